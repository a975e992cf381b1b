#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// PoolFormer sizes (Yu et al. 2022, MetaFormer). Paper = PoolFormer-S12 (the reference's poolformer: stem 7/4,
/// layers 2-2-6-2, widths 64-128-320-512); Cpu = stem 3/2, layers 1-1-2-1, widths 16-32-64-128.
/// </summary>
public sealed record PoolFormerConfig(int[] Layers, int[] Widths, int StemPatch, int StemStride, int StemPadding, int MlpRatio = 4, double LayerScale = 1e-5)
{
    public static PoolFormerConfig Paper => new(new[] { 2, 2, 6, 2 }, new[] { 64, 128, 320, 512 }, 7, 4, 2);
    public static PoolFormerConfig Cpu => new(new[] { 1, 1, 2, 1 }, new[] { 16, 32, 64, 128 }, 3, 2, 1);
}

/// <summary>PoolFormer block on [B,C,H,W]: x + ls1 * (avgpool3(GN(x)) - GN(x)), then x + ls2 * mlp1x1(GN(x)).</summary>
public sealed class PoolFormerBlock : Module<Tensor, Tensor>
{
    private readonly GroupNorm norm1, norm2;
    private readonly AvgPool2d pool;
    private readonly Conv2d fc1, fc2;
    private readonly Parameter ls1, ls2;

    public PoolFormerBlock(int dim, int mlpRatio, double layerScale) : base(nameof(PoolFormerBlock))
    {
        norm1 = PoolFormer.ChannelNorm(dim);
        pool = AvgPool2d(3, stride: 1, padding: 1, count_include_pad: false);
        norm2 = PoolFormer.ChannelNorm(dim);
        fc1 = Conv2d(dim, dim * mlpRatio, 1);
        fc2 = Conv2d(dim * mlpRatio, dim, 1);
        ls1 = Parameter(full(dim, 1, 1, layerScale));
        ls2 = Parameter(full(dim, 1, 1, layerScale));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = norm1.call(x);
        x = x + ls1 * (pool.call(y) - y);
        return x + ls2 * fc2.call(functional.gelu(fc1.call(norm2.call(x))));
    }
}

/// <summary>PoolFormer (Yu et al. 2022): conv stem, four stages of pooling blocks with strided-conv downsampling, GN, mean, head. Hook points: each block ("blocks.i").</summary>
public sealed class PoolFormer : HookedModel
{
    private readonly Conv2d stem;
    private readonly ModuleList<Module<Tensor, Tensor>> blocks;
    private readonly ModuleList<Module<Tensor, Tensor>> downsamples;
    private readonly GroupNorm norm;
    private readonly Linear head;
    private readonly int[] stageOf;
    private readonly IReadOnlyList<string> hooks;

    public PoolFormer(PoolFormerConfig config, int inChannels, int classes) : base(nameof(PoolFormer))
    {
        stem = Conv2d(inChannels, config.Widths[0], config.StemPatch, stride: config.StemStride, padding: config.StemPadding);
        blocks = new ModuleList<Module<Tensor, Tensor>>();
        downsamples = new ModuleList<Module<Tensor, Tensor>>();
        var stages = new List<int>();
        for (int s = 0; s < config.Widths.Length; s++)
        {
            if (s > 0) downsamples.Add(Conv2d(config.Widths[s - 1], config.Widths[s], 3, stride: 2, padding: 1));
            for (int b = 0; b < config.Layers[s]; b++)
            {
                blocks.Add(new PoolFormerBlock(config.Widths[s], config.MlpRatio, config.LayerScale));
                stages.Add(s);
            }
        }
        stageOf = stages.ToArray();
        norm = ChannelNorm(config.Widths[^1]);
        head = Linear(config.Widths[^1], classes);
        hooks = Numbered("blocks", blocks.Count);
        RegisterComponents();
    }

    public override IReadOnlyList<string> HookPoints => hooks;
    public override string Architecture => "poolformer";

    /// <summary>GroupNorm with one group (LayerNorm over C,H,W). Its affine parameters are set explicitly: TorchSharp 0.107
    /// can hand back GroupNorm weights that hold uninitialized memory (seen as NaN at initialization).</summary>
    public static GroupNorm ChannelNorm(int dim)
    {
        var n = GroupNorm(1, dim);
        using (no_grad())
        {
            n.weight!.fill_(1);
            n.bias!.zero_();
        }
        return n;
    }

    public override Tensor forward(Tensor x)
    {
        x = stem.call(x);
        int stage = 0;
        for (int i = 0; i < blocks.Count; i++)
        {
            while (stageOf[i] > stage) { x = downsamples[stage].call(x); stage++; }
            x = blocks[i].call(x);
        }
        return head.call(norm.call(x).mean(new long[] { 2, 3 }));
    }
}

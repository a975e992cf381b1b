#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// PoolFormer sizes (Yu et al. 2022, MetaFormer). Paper = PoolFormer-S12 (timm poolformer_s12, the reference's poolformer:
/// stem 7/4, layers 2-2-6-2, widths 64-128-320-512); Cpu = stem 3/2, layers 1-1-2-1, widths 16-32-64-128.
/// </summary>
public sealed record PoolFormerConfig(int[] Layers, int[] Widths, int StemPatch, int StemStride, int StemPadding, int MlpRatio = 4, double LayerScale = 1e-5)
{
    public static PoolFormerConfig Paper => new(new[] { 2, 2, 6, 2 }, new[] { 64, 128, 320, 512 }, 7, 4, 2);
    public static PoolFormerConfig Cpu => new(new[] { 1, 1, 2, 1 }, new[] { 16, 32, 64, 128 }, 3, 2, 1);
}

/// <summary>A learnable per-channel scale on [B,C,H,W] (timm's Scale: parameter "scale" of shape [C]).</summary>
public sealed class ChannelScale : Module<Tensor, Tensor>
{
    private readonly Parameter scale;

    public ChannelScale(int dim, double init) : base(nameof(ChannelScale))
    {
        scale = Parameter(full(dim, init));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x * scale.view(-1, 1, 1);
}

/// <summary>A convolution wrapped so its parameters are named "conv.*" (timm's Stem and Downsampling).</summary>
public sealed class ConvUnit : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;

    public ConvUnit(int inChannels, int outChannels, int kernel, int stride, int padding) : base(nameof(ConvUnit))
    {
        conv = Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv.call(x);
}

/// <summary>Two 1×1 convolutions with GELU (timm's Mlp with use_conv): fc2(gelu(fc1(x))) on [B,C,H,W].</summary>
public sealed class ConvMlp : Module<Tensor, Tensor>
{
    private readonly Conv2d fc1, fc2;

    public ConvMlp(int dim, int hidden) : base(nameof(ConvMlp))
    {
        fc1 = Conv2d(dim, hidden, 1);
        fc2 = Conv2d(hidden, dim, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc2.call(functional.gelu(fc1.call(x)));
}

/// <summary>PoolFormer block on [B,C,H,W]: x + ls1 * (avgpool3(GN(x)) - GN(x)), then x + ls2 * mlp1x1(GN(x)). Names as timm's MetaFormerBlock.</summary>
public sealed class PoolFormerBlock : Module<Tensor, Tensor>
{
    private readonly GroupNorm norm1, norm2;
    private readonly AvgPool2d pool;
    private readonly ConvMlp mlp;
    private readonly ChannelScale layer_scale1, layer_scale2;

    public PoolFormerBlock(int dim, int mlpRatio, double layerScale) : base(nameof(PoolFormerBlock))
    {
        norm1 = PoolFormer.ChannelNorm(dim);
        pool = AvgPool2d(3, stride: 1, padding: 1, count_include_pad: false);
        layer_scale1 = new ChannelScale(dim, layerScale);
        norm2 = PoolFormer.ChannelNorm(dim);
        mlp = new ConvMlp(dim, dim * mlpRatio);
        layer_scale2 = new ChannelScale(dim, layerScale);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = norm1.call(x);
        x = x + layer_scale1.call(pool.call(y) - y);
        return x + layer_scale2.call(mlp.call(norm2.call(x)));
    }
}

/// <summary>One stage: a strided 3×3 downsampling convolution when the width changes (else identity), then its blocks.</summary>
public sealed class PoolFormerStage : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> downsample;
    private readonly ModuleList<Module<Tensor, Tensor>> blocks;

    public PoolFormerStage(int inWidth, int width, int depth, int mlpRatio, double layerScale) : base(nameof(PoolFormerStage))
    {
        downsample = inWidth == width ? Identity() : new ConvUnit(inWidth, width, 3, 2, 1);
        blocks = new ModuleList<Module<Tensor, Tensor>>();
        for (int b = 0; b < depth; b++) blocks.Add(new PoolFormerBlock(width, mlpRatio, layerScale));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = downsample.call(x);
        foreach (var b in blocks) x = b.call(x);
        return x;
    }
}

/// <summary>timm MetaFormer's head for PoolFormer: mean over H,W, LayerNorm over channels (eps 1e-6), linear "fc".</summary>
public sealed class PoolFormerHead : Module<Tensor, Tensor>
{
    private readonly LayerNorm norm;
    private readonly Linear fc;

    public PoolFormerHead(int dim, int classes) : base(nameof(PoolFormerHead))
    {
        norm = LayerNorm(dim, eps: 1e-6);
        fc = Linear(dim, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => fc.call(norm.call(x.mean(new long[] { 2, 3 })));
}

/// <summary>
/// PoolFormer (Yu et al. 2022) as timm's MetaFormer builds poolformer_s12: conv stem, four stages of pooling blocks
/// (strided-conv downsampling between them), pooled LayerNorm head. Parameter names follow timm
/// (stem.conv, stages.s.downsample.conv, stages.s.blocks.j.mlp.fc1, head.norm, head.fc).
/// Hook points: each block ("stages.s.blocks.j").
/// </summary>
public sealed class PoolFormer : HookedModel
{
    private readonly ConvUnit stem;
    private readonly ModuleList<Module<Tensor, Tensor>> stages;
    private readonly PoolFormerHead head;
    private readonly IReadOnlyList<string> hooks;

    public PoolFormer(PoolFormerConfig config, int inChannels, int classes) : base(nameof(PoolFormer))
    {
        stem = new ConvUnit(inChannels, config.Widths[0], config.StemPatch, config.StemStride, config.StemPadding);
        stages = new ModuleList<Module<Tensor, Tensor>>();
        var names = new List<string>();
        for (int s = 0; s < config.Widths.Length; s++)
        {
            stages.Add(new PoolFormerStage(config.Widths[Math.Max(s - 1, 0)], config.Widths[s], config.Layers[s], config.MlpRatio, config.LayerScale));
            for (int b = 0; b < config.Layers[s]; b++) names.Add($"stages.{s}.blocks.{b}");
        }
        head = new PoolFormerHead(config.Widths[^1], classes);
        hooks = names;
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
        foreach (var s in stages) x = s.call(x);
        return head.call(x);
    }
}

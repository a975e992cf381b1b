#nullable enable
using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>ResMLP sizes (Touvron et al. 2022). Paper = ResMLP-12 (timm resmlp_12_224, the reference's resmlp_12_224_we); Cpu = patch 4, dim 96, 4 blocks.</summary>
public sealed record ResMlpConfig(int Patch, int Dim, int Depth, int MlpRatio = 4, double LayerScale = 0.1)
{
    public static ResMlpConfig Paper => new(Patch: 16, Dim: 384, Depth: 12);
    public static ResMlpConfig Cpu => new(Patch: 4, Dim: 96, Depth: 4);
}

/// <summary>ResMLP's per-channel affine "norm": alpha * x + beta on the last axis (alpha, beta stored [1,1,C] as in timm's Affine).</summary>
public sealed class ChannelAffine : Module<Tensor, Tensor>
{
    private readonly Parameter alpha, beta;

    public ChannelAffine(int dim) : base(nameof(ChannelAffine))
    {
        alpha = Parameter(ones(1, 1, dim));
        beta = Parameter(zeros(1, 1, dim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x * alpha + beta;
}

/// <summary>ResMLP block: x + ls1 * linear_tokens(norm1(x)), then x + ls2 * mlp_channels(norm2(x)). Output [B,T,C]. Names as timm's ResBlock.</summary>
public sealed class ResMlpBlock : Module<Tensor, Tensor>
{
    private readonly ChannelAffine norm1, norm2;
    private readonly Linear linear_tokens;
    private readonly FeedForward mlp_channels;
    private readonly Parameter ls1, ls2;

    public ResMlpBlock(int tokens, int dim, int mlpRatio, double layerScale) : base(nameof(ResMlpBlock))
    {
        norm1 = new ChannelAffine(dim);
        linear_tokens = Linear(tokens, tokens);
        norm2 = new ChannelAffine(dim);
        mlp_channels = new FeedForward(dim, dim * mlpRatio);
        ls1 = Parameter(full(dim, layerScale));
        ls2 = Parameter(full(dim, layerScale));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x + ls1 * linear_tokens.call(norm1.call(x).transpose(1, 2)).transpose(1, 2);
        return x + ls2 * mlp_channels.call(norm2.call(x));
    }
}

/// <summary>ResMLP (Touvron et al. 2022): patch tokens, residual MLP blocks, affine, mean over tokens, head. Hook points: the stem and each block, as the reference hooks them. Parameter names follow timm's MlpMixer/ResBlock (stem.proj, blocks.i.linear_tokens, ...).</summary>
public sealed class ResMlp : HookedModel
{
    private readonly PatchEmbedding stem;
    private readonly ModuleList<Module<Tensor, Tensor>> blocks;
    private readonly ChannelAffine norm;
    private readonly Linear head;
    private readonly IReadOnlyList<string> hooks;

    public ResMlp(ResMlpConfig config, int inChannels, int imageSize, int classes) : base(nameof(ResMlp))
    {
        int grid = PatchGrid("resmlp", imageSize, config.Patch);
        stem = new PatchEmbedding(inChannels, config.Dim, config.Patch);
        blocks = new ModuleList<Module<Tensor, Tensor>>();
        for (int i = 0; i < config.Depth; i++) blocks.Add(new ResMlpBlock(grid * grid, config.Dim, config.MlpRatio, config.LayerScale));
        norm = new ChannelAffine(config.Dim);
        head = Linear(config.Dim, classes);
        hooks = Numbered("blocks", config.Depth, "stem");
        RegisterComponents();
    }

    public override IReadOnlyList<string> HookPoints => hooks;
    public override string Architecture => "resmlp";

    public override Tensor forward(Tensor x)
    {
        var t = stem.call(x);
        foreach (var b in blocks) t = b.call(t);
        return head.call(norm.call(t).mean(new long[] { 1 }));
    }
}

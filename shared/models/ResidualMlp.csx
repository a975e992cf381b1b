#nullable enable
using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// Widths and block form of the residual MLP. The defaults are the reference's mlp_512 (Ding et al. 2025, model/sup_model.py):
/// width 512, 5 blocks x + fc2(gelu(fc1(x))) with hidden 4x (timm's Mlp without norm or dropout), dropout 0.3 before the head.
/// </summary>
public sealed record ResidualMlpConfig(int Width = 512, int Depth = 5, int HiddenMultiplier = 4,
                                       bool BlockNorm = false, double BlockDropout = 0.0, double HeadDropout = 0.3)
{
    /// <summary>The reference: width 512, hidden 2048, 5 blocks, no norm, no dropout in the blocks.</summary>
    public static ResidualMlpConfig Paper => new();
    /// <summary>The reference block at half width (256, hidden 1024, 5 blocks): 2,831,370 parameters on 28x28 inputs.</summary>
    public static ResidualMlpConfig Cpu => new(Width: 256);
    /// <summary>Our earlier variant ("mlp-prenorm"): a pre-LayerNorm and dropout 0.1 inside every block. Not the reference's.</summary>
    public ResidualMlpConfig PreNorm() => this with { BlockNorm = true, BlockDropout = 0.1 };
}

/// <summary>One residual block: x + fc2(dropout(gelu(fc1(norm(x))))); the reference's has no norm and no dropout. Its output is the residual stream.</summary>
public sealed class ResidualMlpBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> norm;
    private readonly Linear fc1, fc2;
    private readonly Module<Tensor, Tensor> drop;

    public ResidualMlpBlock(int width, int hidden, bool useNorm, double dropout) : base(nameof(ResidualMlpBlock))
    {
        norm = useNorm ? LayerNorm(width) : Identity();
        fc1 = Linear(width, hidden);
        fc2 = Linear(hidden, width);
        drop = dropout > 0 ? Dropout(dropout) : Identity();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x + fc2.call(drop.call(functional.gelu(fc1.call(norm.call(x)))));
}

/// <summary>
/// The reference's residual MLP (mlp_512, Ding et al. 2025): flatten, Linear(in, W), Depth residual blocks
/// (hidden 4W, GELU), dropout, classifier. Hook points: the stem output and the residual stream after each block,
/// as the reference returns them. The "mlp-prenorm" variant adds LayerNorm and dropout per block (not in the reference).
/// </summary>
public sealed class ResidualMlp : HookedModel
{
    private readonly Linear stem;
    private readonly ModuleList<Module<Tensor, Tensor>> blocks;
    private readonly Dropout drop;
    private readonly Linear head;
    private readonly IReadOnlyList<string> hooks;

    public ResidualMlp(ResidualMlpConfig config, int inChannels, int imageSize, int classes) : base(nameof(ResidualMlp))
    {
        stem = Linear((long)inChannels * imageSize * imageSize, config.Width);
        blocks = new ModuleList<Module<Tensor, Tensor>>();
        for (int i = 0; i < config.Depth; i++)
            blocks.Add(new ResidualMlpBlock(config.Width, config.Width * config.HiddenMultiplier, config.BlockNorm, config.BlockDropout));
        drop = Dropout(config.HeadDropout);
        head = Linear(config.Width, classes);
        hooks = Numbered("blocks", config.Depth, "stem");
        RegisterComponents();
    }

    public override IReadOnlyList<string> HookPoints => hooks;
    public override string Architecture => "mlp";

    public override Tensor forward(Tensor x)
    {
        x = stem.call(x.flatten(1));
        foreach (var b in blocks) x = b.call(x);
        return head.call(drop.call(x));
    }
}

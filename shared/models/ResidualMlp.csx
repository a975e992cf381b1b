#nullable enable
using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>Widths of the residual MLP. The reference's mlp_512 (Ding et al. 2025, model/sup_model.py) is Width 512, Depth 5, hidden 4x.</summary>
public sealed record ResidualMlpConfig(int Width = 512, int Depth = 5, int HiddenMultiplier = 4,
                                       bool BlockNorm = true, double BlockDropout = 0.1, double HeadDropout = 0.3)
{
    /// <summary>The reference width (512, hidden 2048, 5 blocks).</summary>
    public static ResidualMlpConfig Paper => new();
    /// <summary>Half width (256, hidden 1024, 5 blocks): ~3M parameters on 28x28 inputs.</summary>
    public static ResidualMlpConfig Cpu => new(Width: 256);
}

/// <summary>One residual block: x + fc2(dropout(gelu(fc1(norm(x))))). Its output is the residual stream.</summary>
public sealed class ResidualMlpBlock : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> norm;
    private readonly Linear fc1, fc2;
    private readonly Dropout drop;

    public ResidualMlpBlock(int width, int hidden, bool useNorm, double dropout) : base(nameof(ResidualMlpBlock))
    {
        norm = useNorm ? LayerNorm(width) : Identity();
        fc1 = Linear(width, hidden);
        fc2 = Linear(hidden, width);
        drop = Dropout(dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x + fc2.call(drop.call(functional.gelu(fc1.call(norm.call(x)))));
}

/// <summary>
/// The reference's residual MLP (mlp_512, Ding et al. 2025): flatten, Linear(in, W), Depth residual blocks
/// (hidden 4W, GELU), dropout, classifier. Hook points: the stem output and the residual stream after each block,
/// as the reference returns them. Differences from the reference (which has none): optional LayerNorm and dropout per block.
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

#nullable enable
using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>MLP-Mixer sizes (Tolstikhin et al. 2021). Paper = Mixer-B/16 (timm mixer_b16_224, the reference's mxier); Cpu = patch 4, dim 64, 4 blocks.</summary>
public sealed record MixerConfig(int Patch, int Dim, int Depth, int TokenHidden, int ChannelHidden)
{
    public static MixerConfig Paper => new(Patch: 16, Dim: 768, Depth: 12, TokenHidden: 384, ChannelHidden: 3072);
    public static MixerConfig Cpu => new(Patch: 4, Dim: 64, Depth: 4, TokenHidden: 32, ChannelHidden: 256);
}

/// <summary>Mixer block: x + mlp_tokens(LN(x)^T)^T, then x + mlp_channels(LN(x)). Output [B,T,C]. Names as timm's MixerBlock.</summary>
public sealed class MixerBlock : Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1, norm2;
    private readonly FeedForward mlp_tokens, mlp_channels;

    public MixerBlock(int tokens, int dim, int tokenHidden, int channelHidden) : base(nameof(MixerBlock))
    {
        norm1 = LayerNorm(dim, eps: MlpMixer.NormEps);
        mlp_tokens = new FeedForward(tokens, tokenHidden);
        norm2 = LayerNorm(dim, eps: MlpMixer.NormEps);
        mlp_channels = new FeedForward(dim, channelHidden);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x + mlp_tokens.call(norm1.call(x).transpose(1, 2)).transpose(1, 2);
        return x + mlp_channels.call(norm2.call(x));
    }
}

/// <summary>MLP-Mixer (Tolstikhin et al. 2021): patch tokens, mixer blocks, LN, mean over tokens, head. Hook points: each block ("blocks.i"). Parameter names follow timm's MlpMixer (stem.proj, blocks.i.mlp_tokens.fc1, ...).</summary>
public sealed class MlpMixer : HookedModel
{
    /// <summary>timm's Mixer LayerNorm epsilon.</summary>
    public const double NormEps = 1e-6;

    private readonly PatchEmbedding stem;
    private readonly ModuleList<Module<Tensor, Tensor>> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;
    private readonly IReadOnlyList<string> hooks;

    public MlpMixer(MixerConfig config, int inChannels, int imageSize, int classes) : base(nameof(MlpMixer))
    {
        int grid = PatchGrid("mixer", imageSize, config.Patch);
        stem = new PatchEmbedding(inChannels, config.Dim, config.Patch);
        blocks = new ModuleList<Module<Tensor, Tensor>>();
        for (int i = 0; i < config.Depth; i++) blocks.Add(new MixerBlock(grid * grid, config.Dim, config.TokenHidden, config.ChannelHidden));
        norm = LayerNorm(config.Dim, eps: NormEps);
        head = Linear(config.Dim, classes);
        hooks = Numbered("blocks", config.Depth);
        RegisterComponents();
    }

    public override IReadOnlyList<string> HookPoints => hooks;
    public override string Architecture => "mixer";

    public override Tensor forward(Tensor x)
    {
        var t = stem.call(x);
        foreach (var b in blocks) t = b.call(t);
        return head.call(norm.call(t).mean(new long[] { 1 }));
    }
}

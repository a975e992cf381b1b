#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>Builds the project's hooked image classifiers by name at a chosen scale.</summary>
public static class ModelZoo
{
    /// <summary>Every model name <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = new[] { "mlp", "resnet", "vgg", "vit", "mixer", "resmlp", "poolformer" };
    /// <summary>Named variants <see cref="Create"/> also accepts, outside the survey's list of architectures.</summary>
    public static IReadOnlyList<string> Variants { get; } = new[] { "mlp-prenorm" };

    /// <summary>One line per model for help texts.</summary>
    public static string Describe(string name) => name switch
    {
        "mlp" => "residual MLP, the reference's mlp_512 block x + fc2(gelu(fc1(x))) (Paper: width 512; Cpu: width 256)",
        "mlp-prenorm" => "residual MLP with pre-LayerNorm and dropout 0.1 per block (our variant, not the reference's)",
        "resnet" => "ResNet (Paper: ResNet-34; Cpu: CIFAR-style ResNet-14)",
        "vgg" => "VGG with BatchNorm (Paper: VGG-11; Cpu: 4 conv units)",
        "vit" => "Vision Transformer (Paper: ViT-S/16; Cpu: patch 4, dim 64, depth 4)",
        "mixer" => "MLP-Mixer (Paper: Mixer-B/16; Cpu: patch 4, dim 64, depth 4)",
        "resmlp" => "ResMLP (Paper: ResMLP-12; Cpu: patch 4, dim 96, depth 4)",
        "poolformer" => "PoolFormer (Paper: S12; Cpu: widths 16-128)",
        _ => throw UnknownModel(name),
    };

    /// <summary>The timm model whose structure and parameter names the Paper scale of <paramref name="name"/> reproduces, or null.</summary>
    public static string? TimmName(string name) => (name ?? "").Trim().ToLowerInvariant() switch
    {
        "vit" => "vit_small_patch16_224",
        "resmlp" => "resmlp_12_224",
        "mixer" => "mixer_b16_224",
        "poolformer" => "poolformer_s12",
        _ => null,
    };

    /// <summary>A new model with freshly initialized weights (seed the torch RNG first for reproducible weights).</summary>
    public static HookedModel Create(string name, ModelScale scale, int inChannels, int imageSize, int classes)
    {
        if (inChannels <= 0 || imageSize <= 0 || classes <= 1)
            throw new SelfSimException($"Model '{name}': need inChannels > 0, imageSize > 0 and classes > 1 (got {inChannels}, {imageSize}, {classes}).");
        bool paper = scale == ModelScale.Paper;
        return (name ?? "").Trim().ToLowerInvariant() switch
        {
            "mlp" => new ResidualMlp(paper ? ResidualMlpConfig.Paper : ResidualMlpConfig.Cpu, inChannels, imageSize, classes),
            "mlp-prenorm" => new ResidualMlp((paper ? ResidualMlpConfig.Paper : ResidualMlpConfig.Cpu).PreNorm(), inChannels, imageSize, classes),
            "resnet" => new CifarResNet(paper ? ResNetConfig.Paper : ResNetConfig.Cpu, inChannels, classes),
            "vgg" => new SmallVgg(paper ? VggConfig.Paper : VggConfig.Cpu, inChannels, classes),
            "vit" => new VisionTransformer(paper ? VitConfig.Paper : VitConfig.Cpu, inChannels, imageSize, classes),
            "mixer" => new MlpMixer(paper ? MixerConfig.Paper : MixerConfig.Cpu, inChannels, imageSize, classes),
            "resmlp" => new ResMlp(paper ? ResMlpConfig.Paper : ResMlpConfig.Cpu, inChannels, imageSize, classes),
            "poolformer" => new PoolFormer(paper ? PoolFormerConfig.Paper : PoolFormerConfig.Cpu, inChannels, classes),
            _ => throw UnknownModel(name),
        };
    }

    static SelfSimException UnknownModel(string? name) =>
        new($"Unknown model '{name}'. Choose one of: {string.Join(", ", Names.Concat(Variants))}.");
}

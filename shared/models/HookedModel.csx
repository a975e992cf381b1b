#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>How big a model is built: the reference's 224-px configuration, or a small one that trains on 2 CPU cores.</summary>
public enum ModelScale
{
    /// <summary>28/32-px inputs, small widths: minutes per epoch on a laptop CPU.</summary>
    Cpu,
    /// <summary>The widths and depths of the reference code (Ding et al. 2025), meant for 224-px inputs on a GPU.</summary>
    Paper,
}

/// <summary>
/// A model whose per-block outputs can be captured: <see cref="HookPoints"/> are submodule names
/// (as in <c>named_modules()</c>) whose forward output is a layer of the feature network.
/// </summary>
public interface IHookedModel
{
    /// <summary>Submodule names to hook, in forward order (e.g. "stem", "blocks.0", ...).</summary>
    IReadOnlyList<string> HookPoints { get; }

    /// <summary>The zoo name this model was built from ("mlp", "vit", ...).</summary>
    string Architecture { get; }
}

/// <summary>Base class of the zoo's image classifiers: images [B,C,H,W] in, logits [B,classes] out.</summary>
public abstract class HookedModel : Module<Tensor, Tensor>, IHookedModel
{
    protected HookedModel(string name) : base(name) { }

    public abstract IReadOnlyList<string> HookPoints { get; }
    public abstract string Architecture { get; }

    /// <summary>Number of trainable parameters.</summary>
    public long ParameterCount() => parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>The submodule a hook point names; throws if the name is not one of this model's modules.</summary>
    public Module HookModule(string name) =>
        named_modules().FirstOrDefault(m => m.name == name).module
        ?? throw new SelfSimException($"Model '{Architecture}' has no submodule '{name}'. Its hook points are: {string.Join(", ", HookPoints)}.");

    /// <summary>"blocks.0", "blocks.1", ...</summary>
    protected static IReadOnlyList<string> Numbered(string prefix, int count, params string[] first) =>
        first.Concat(Enumerable.Range(0, count).Select(i => $"{prefix}.{i}")).ToArray();

    /// <summary>Throws a clear error unless the image side is a multiple of the patch size.</summary>
    protected static int PatchGrid(string model, int imageSize, int patch)
    {
        if (imageSize <= 0 || imageSize % patch != 0)
            throw new SelfSimException($"{model}: image size {imageSize} is not a multiple of the patch size {patch}. " +
                                       $"Resize the images to a multiple of {patch} or pick the other model scale.");
        return imageSize / patch;
    }
}

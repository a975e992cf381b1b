#nullable enable
using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>Non-overlapping patches to tokens (Dosovitskiy et al. 2021): [B,C,H,W] -> conv(kernel = stride = patch) -> [B, T, dim].</summary>
public sealed class PatchEmbedding : Module<Tensor, Tensor>
{
    private readonly Conv2d proj;

    public PatchEmbedding(int inChannels, int dim, int patch) : base(nameof(PatchEmbedding))
    {
        proj = Conv2d(inChannels, dim, patch, stride: patch);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => proj.call(x).flatten(2).transpose(1, 2);
}

/// <summary>Two-layer perceptron with GELU, applied on the last axis: fc2(drop(gelu(fc1(x)))).</summary>
public sealed class FeedForward : Module<Tensor, Tensor>
{
    private readonly Linear fc1, fc2;
    private readonly Dropout drop;

    public FeedForward(int dim, int hidden, double dropout = 0.0) : base(nameof(FeedForward))
    {
        fc1 = Linear(dim, hidden);
        fc2 = Linear(hidden, dim);
        drop = Dropout(dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => drop.call(fc2.call(drop.call(functional.gelu(fc1.call(x)))));
}

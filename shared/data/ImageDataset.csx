#nullable enable
using System;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// A labelled image set held in memory: images [N, C, H, W] float32 in [0, 1], labels int64 [N],
/// with the per-channel mean and std used to normalise inputs.
/// </summary>
public sealed class ImageDataset
{
    public ImageDataset(string name, Tensor images, Tensor labels, int classes, float[] mean, float[] std)
    {
        if (images.dim() != 4) throw new ArgumentException($"{name}: images must be [N, C, H, W], got [{string.Join(", ", images.shape)}]");
        if (labels.shape[0] != images.shape[0]) throw new ArgumentException($"{name}: {images.shape[0]} images but {labels.shape[0]} labels");
        Name = name; Images = images; Labels = labels; Classes = classes; Mean = mean; Std = std;
    }

    public string Name { get; }
    public Tensor Images { get; }
    public Tensor Labels { get; }
    public int Classes { get; }
    public float[] Mean { get; }
    public float[] Std { get; }
    public int Count => (int)Images.shape[0];
    public int Channels => (int)Images.shape[1];
    public int ImageSize => (int)Images.shape[2];

    /// <summary>The first <paramref name="n"/> samples (all when n ≥ Count), e.g. for smoke runs and probe batches.</summary>
    public ImageDataset Take(int n) =>
        n >= Count ? this : new ImageDataset(Name, Images.narrow(0, 0, n), Labels.narrow(0, 0, n), Classes, Mean, Std);

    /// <summary>Normalises a batch with this dataset's per-channel mean and std.</summary>
    public Tensor Normalize(Tensor batch)
    {
        using var m = tensor(Mean, device: batch.device).view(1, -1, 1, 1);
        using var s = tensor(Std, device: batch.device).view(1, -1, 1, 1);
        return (batch - m) / s;
    }

    public override string ToString() => $"{Name}: {Count} images {Channels}×{ImageSize}×{ImageSize}, {Classes} classes";
}

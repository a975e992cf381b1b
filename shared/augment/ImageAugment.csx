#nullable enable
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>Batch augmentation for CIFAR-style training: random crop from a zero-padded image and a horizontal flip (He et al. 2016).</summary>
public static class ImageAugment
{
    /// <summary>Each image of [B,C,H,W] is padded by <paramref name="pad"/> on every side, cropped back to H×W at a random offset, and flipped with probability ½.</summary>
    public static Tensor RandomCropFlip(Tensor batch, Random rng, int pad = 4)
    {
        if (batch.dim() != 4) throw new SelfSimException($"RandomCropFlip expects images [B,C,H,W], got [{string.Join(", ", batch.shape)}].");
        long b = batch.shape[0], h = batch.shape[2], w = batch.shape[3];
        using var padded = nn.functional.pad(batch, new long[] { pad, pad, pad, pad });
        var crops = new List<Tensor>((int)b);
        try
        {
            for (long i = 0; i < b; i++)
            {
                int dy = rng.Next(2 * pad + 1), dx = rng.Next(2 * pad + 1);
                var c = padded[i].narrow(1, dy, h).narrow(2, dx, w);
                crops.Add(rng.Next(2) == 1 ? c.flip(2) : c);
            }
            return stack(crops);
        }
        finally { foreach (var c in crops) c.Dispose(); }
    }
}

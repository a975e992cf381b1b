#nullable enable
using System;
using TorchSharp;
using static TorchSharp.torch;

// Random erasing (Zhong et al. 2020) as timm's RandomErasing applies it for DeiT (timm/data/random_erasing.py):
// per image with probability 0.25, one box of 2–33 % of the area and aspect 0.3–3.3, filled per pixel with N(0, 1)
// values (mode "pixel"), on normalised images.

/// <summary>Random-erasing settings; <see cref="Deit"/> is probability 0.25, mode pixel, one box.</summary>
public sealed record RandomErasingConfig(double Probability = 0.25, double MinArea = 0.02, double MaxArea = 1.0 / 3, double MinAspect = 0.3)
{
    public static RandomErasingConfig Deit => new();
}

public static class RandomErasing
{
    /// <summary>Draws the box for one H×W image, or null when this image is not erased (probability 1 − p) or no box fits in 10 tries.</summary>
    public static CropBox? SampleBox(int height, int width, RandomErasingConfig config, Random rng)
    {
        if (rng.NextDouble() > config.Probability) return null;
        double area = (double)height * width, logLo = Math.Log(config.MinAspect), logHi = Math.Log(1 / config.MinAspect);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (config.MinArea + (config.MaxArea - config.MinArea) * rng.NextDouble());
            double aspect = Math.Exp(logLo + (logHi - logLo) * rng.NextDouble());
            int h = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
            int w = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
            if (w < width && h < height)
                return new CropBox(rng.Next(height - h + 1), rng.Next(width - w + 1), h, w);
        }
        return null;
    }

    /// <summary>Erases in place, per image of [B,C,H,W] (or one [C,H,W]), a sampled box with standard-normal noise (torch's global RNG).
    /// Returns how many images were erased.</summary>
    public static int ApplyInPlace(Tensor images, RandomErasingConfig config, Random rng)
    {
        if (images.dim() == 3) { using var b = images.unsqueeze(0); return ApplyInPlace(b, config, rng); }
        if (images.dim() != 4) throw new SelfSimException($"RandomErasing expects [B,C,H,W] or [C,H,W], got [{string.Join(", ", images.shape)}].");
        int erased = 0;
        using var _ = no_grad();
        for (long i = 0; i < images.shape[0]; i++)
        {
            if (SampleBox((int)images.shape[2], (int)images.shape[3], config, rng) is not CropBox box) continue;
            using var window = images[i].narrow(1, box.Top, box.Height).narrow(2, box.Left, box.Width);
            using var noise = randn(window.shape, dtype: images.dtype, device: images.device);
            window.copy_(noise);
            erased++;
        }
        return erased;
    }
}

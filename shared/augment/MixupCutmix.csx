#nullable enable
using System;
using TorchSharp;
using static TorchSharp.torch;

// Mixup (Zhang et al. 2018) and CutMix (Yun et al. 2019) per batch with label-smoothed soft targets, as timm's Mixup
// (timm/data/mixup.py, mode "batch", correct_lam) configures them for DeiT: mixup α 0.8, cutmix α 1.0, switch ½, smoothing 0.1.

/// <summary>Mixup/CutMix settings; <see cref="Deit"/> is DeiT's recipe.</summary>
public sealed record MixupConfig(double MixupAlpha = 0.8, double CutmixAlpha = 1.0, double Probability = 1.0,
                                 double SwitchProbability = 0.5, double LabelSmoothing = 0.1)
{
    public static MixupConfig Deit => new();
}

/// <summary>What one batch got: λ (the weight of the original image after any box correction), and the CutMix box when used
/// (rows [Top, Bottom), columns [Left, Right) pasted from the batch flipped along its first axis).</summary>
public readonly record struct MixDecision(double Lambda, bool Cutmix, int Top = 0, int Bottom = 0, int Left = 0, int Right = 0);

/// <summary>Batch mixing and the soft-target loss that goes with it.</summary>
public static class MixupCutmix
{
    /// <summary>Label-smoothed one-hot targets of <paramref name="labels"/> mixed with those of the flipped batch:
    /// λ·y + (1−λ)·flip(y), where y puts 1 − s + s/K on the label and s/K elsewhere.</summary>
    public static Tensor SoftTargets(Tensor labels, int classes, double lambda, double smoothing)
    {
        double off = smoothing / classes, on = 1.0 - smoothing + off;
        using var idx = labels.to(ScalarType.Int64);
        using var hot = nn.functional.one_hot(idx, classes).to(ScalarType.Float32);
        using var y1 = hot * (float)(on - off) + (float)off;
        using var y2 = y1.flip(0);
        return y1 * lambda + y2 * (1 - lambda);
    }

    /// <summary>Draws the batch's decision: with probability <see cref="MixupConfig.Probability"/> mix, CutMix with probability
    /// <see cref="MixupConfig.SwitchProbability"/> (λ ~ Beta(αc, αc)), else mixup (λ ~ Beta(αm, αm)); CutMix's λ is then corrected
    /// to the clipped box's area.</summary>
    public static MixDecision Sample(MixupConfig config, int height, int width, Random rng)
    {
        if (config.MixupAlpha <= 0 && config.CutmixAlpha <= 0) return new MixDecision(1, false);
        if (rng.NextDouble() >= config.Probability) return new MixDecision(1, false);
        bool cut = config.MixupAlpha > 0 && config.CutmixAlpha > 0 ? rng.NextDouble() < config.SwitchProbability : config.CutmixAlpha > 0;
        double alpha = cut ? config.CutmixAlpha : config.MixupAlpha;
        double lam = Beta(rng, alpha, alpha);
        return cut ? CutmixBox(height, width, lam, rng) : new MixDecision(lam, false);
    }

    /// <summary>timm's rand_bbox with λ correction: a box of side ⌊H√(1−λ)⌋ × ⌊W√(1−λ)⌋ centred at a uniform pixel, clipped to the image; λ = 1 − box area / image area.</summary>
    public static MixDecision CutmixBox(int height, int width, double lambda, Random rng)
    {
        double ratio = Math.Sqrt(1 - lambda);
        int cutH = (int)(height * ratio), cutW = (int)(width * ratio);
        int cy = rng.Next(height), cx = rng.Next(width);
        int top = Math.Clamp(cy - cutH / 2, 0, height), bottom = Math.Clamp(cy + cutH / 2, 0, height);
        int left = Math.Clamp(cx - cutW / 2, 0, width), right = Math.Clamp(cx + cutW / 2, 0, width);
        double lam = 1.0 - (double)(bottom - top) * (right - left) / ((double)height * width);
        return new MixDecision(lam, true, top, bottom, left, right);
    }

    /// <summary>Applies <paramref name="decision"/> to images [B,C,H,W]: mixup blends with the flipped batch; CutMix pastes its box from it.</summary>
    public static Tensor Mix(Tensor images, MixDecision decision)
    {
        if (images.dim() != 4) throw new SelfSimException($"Mixup/CutMix expects images [B,C,H,W], got [{string.Join(", ", images.shape)}].");
        if (decision.Lambda >= 1.0) return images.clone();
        using var flipped = images.flip(0);
        if (!decision.Cutmix) return images * decision.Lambda + flipped * (1 - decision.Lambda);
        var mixed = images.clone();
        int h = decision.Bottom - decision.Top, w = decision.Right - decision.Left;
        if (h > 0 && w > 0)
            mixed.narrow(2, decision.Top, h).narrow(3, decision.Left, w)
                 .copy_(flipped.narrow(2, decision.Top, h).narrow(3, decision.Left, w));
        return mixed;
    }

    /// <summary>One DeiT batch: a fresh decision, mixed images and their soft targets.</summary>
    public static (Tensor Images, Tensor Targets, MixDecision Decision) Apply(Tensor images, Tensor labels, int classes, MixupConfig config, Random rng)
    {
        var d = Sample(config, (int)images.shape[2], (int)images.shape[3], rng);
        return (Mix(images, d), SoftTargets(labels, classes, d.Lambda, config.LabelSmoothing), d);
    }

    /// <summary>Cross-entropy against soft targets, averaged over the batch: mean_i Σ_k −t_ik log softmax(z_i)_k (timm's SoftTargetCrossEntropy).</summary>
    public static Tensor SoftCrossEntropy(Tensor logits, Tensor targets)
    {
        using var logp = nn.functional.log_softmax(logits, 1);
        using var per = (-targets * logp).sum(1);
        return per.mean();
    }

    /// <summary>A Beta(a, b) draw from two Gamma draws (Marsaglia & Tsang 2000).</summary>
    public static double Beta(Random rng, double a, double b)
    {
        double x = Gamma(rng, a), y = Gamma(rng, b);
        return x / (x + y);
    }

    static double Gamma(Random rng, double shape)
    {
        if (shape < 1) return Gamma(rng, shape + 1) * Math.Pow(1.0 - rng.NextDouble(), 1.0 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double z = RandAugment.Gaussian(rng, 0, 1), v = 1 + c * z;
            if (v <= 0) continue;
            v = v * v * v;
            double u = 1.0 - rng.NextDouble();
            if (Math.Log(u) < 0.5 * z * z + d - d * v + d * Math.Log(v)) return d * v;
        }
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// RandAugment (Cubuk et al. 2020) as timm configures it for DeiT: "rand-m9-mstd0.5-inc1" = two ops per image from the
// 15 "increasing" ops, each applied with probability 0.5 at a magnitude drawn from N(9, 0.5²) clipped to [0, 10]
// (timm/data/auto_augment.py). Pixel ops follow PIL's 8-bit arithmetic; geometric ops resample bicubically and fill
// with the dataset mean, as timm's PIL transforms do.

/// <summary>RandAugment settings; <see cref="Deit"/> is timm's rand-m9-mstd0.5-inc1 at 224 px.</summary>
public sealed record RandAugmentConfig(double Magnitude = 9, double MagnitudeStd = 0.5, int Layers = 2, double Probability = 0.5,
                                       double TranslateFraction = 0.45)
{
    public static RandAugmentConfig Deit => new();
}

/// <summary>One RandAugment draw: which op, whether it fired, the magnitude and the sign of signed ops.</summary>
public readonly record struct RandAugmentStep(string Op, bool Applied, double Magnitude, bool Negate);

/// <summary>The RandAugment policy and its ops on float images [C,H,W] in [0, 1] (treated as 8-bit values /255).</summary>
public static class RandAugment
{
    /// <summary>timm's _RAND_INCREASING_TRANSFORMS, in its order.</summary>
    public static IReadOnlyList<string> IncreasingOps { get; } = new[]
    {
        "AutoContrast", "Equalize", "Invert", "Rotate", "PosterizeIncreasing", "SolarizeIncreasing", "SolarizeAdd",
        "ColorIncreasing", "ContrastIncreasing", "BrightnessIncreasing", "SharpnessIncreasing",
        "ShearX", "ShearY", "TranslateXRel", "TranslateYRel",
    };

    /// <summary>Draws the ops for one image: <see cref="RandAugmentConfig.Layers"/> uniform choices with replacement, each applied with
    /// the configured probability at a magnitude N(m, mstd²) clipped to [0, 10], signed ops negated with probability ½.</summary>
    public static RandAugmentStep[] Sample(RandAugmentConfig config, Random rng)
    {
        var steps = new RandAugmentStep[config.Layers];
        for (int i = 0; i < steps.Length; i++)
        {
            string op = IncreasingOps[rng.Next(IncreasingOps.Count)];
            bool applied = config.Probability >= 1.0 || rng.NextDouble() <= config.Probability;
            double m = config.Magnitude;
            if (config.MagnitudeStd > 0) m = Gaussian(rng, m, config.MagnitudeStd);
            m = Math.Clamp(m, 0, 10);
            steps[i] = new RandAugmentStep(op, applied, m, rng.NextDouble() > 0.5);
        }
        return steps;
    }

    /// <summary>Applies a fresh draw of the policy to one image [C,H,W]; <paramref name="fill"/> is the per-channel fill (0–1) of geometric ops.</summary>
    public static Tensor Apply(Tensor image, RandAugmentConfig config, Random rng, float[] fill)
    {
        var x = image.alias();
        foreach (var s in Sample(config, rng))
        {
            if (!s.Applied) continue;
            var next = ApplyOp(x, s.Op, s.Magnitude, s.Negate, fill, config.TranslateFraction);
            x.Dispose();
            x = next;
        }
        return x;
    }

    /// <summary>One op at magnitude <paramref name="m"/> (0–10) with timm's level-to-argument rules.</summary>
    public static Tensor ApplyOp(Tensor image, string op, double m, bool negate, float[] fill, double translateFraction = 0.45)
    {
        double level = m / 10.0, sign = negate ? -1 : 1;
        double Enhance() => Math.Max(0.1, 1.0 + sign * level * 0.9);
        return op switch
        {
            "AutoContrast" => AutoContrast(image),
            "Equalize" => Equalize(image),
            "Invert" => Invert(image),
            "Rotate" => Rotate(image, sign * level * 30, fill),
            "PosterizeIncreasing" => Posterize(image, 4 - (int)(level * 4)),
            "SolarizeIncreasing" => Solarize(image, 256 - Math.Min(256, (int)(level * 256))),
            "SolarizeAdd" => SolarizeAdd(image, Math.Min(128, (int)(level * 110))),
            "ColorIncreasing" => Color(image, Enhance()),
            "ContrastIncreasing" => Contrast(image, Enhance()),
            "BrightnessIncreasing" => Brightness(image, Enhance()),
            "SharpnessIncreasing" => Sharpness(image, Enhance()),
            "ShearX" => Affine(image, 1, sign * level * 0.3, 0, 0, 1, 0, fill),
            "ShearY" => Affine(image, 1, 0, 0, sign * level * 0.3, 1, 0, fill),
            "TranslateXRel" => Affine(image, 1, 0, sign * level * translateFraction * image.shape[2], 0, 1, 0, fill),
            "TranslateYRel" => Affine(image, 1, 0, 0, 0, 1, sign * level * translateFraction * image.shape[1], fill),
            _ => throw new SelfSimException($"RandAugment: unknown op '{op}'. Known ops: {string.Join(", ", IncreasingOps)}."),
        };
    }

    // ---- pixel ops, in 8-bit values v = round(255 x) as PIL computes them ----

    static Tensor Bytes(Tensor x) => (x * 255).round().clamp(0, 255);
    static Tensor Unit(Tensor v) => v / 255;

    public static Tensor Invert(Tensor x) { using var v = Bytes(x); return Unit(255 - v); }

    /// <summary>Keeps the top <paramref name="bits"/> bits of each 8-bit value (PIL ImageOps.posterize).</summary>
    public static Tensor Posterize(Tensor x, int bits)
    {
        using var v = Bytes(x);
        if (bits >= 8) return Unit(v);
        double step = Math.Pow(2, 8 - Math.Max(bits, 0));
        return Unit((v / step).floor() * step);
    }

    /// <summary>Values at or above <paramref name="threshold"/> (0–256) are inverted (PIL ImageOps.solarize).</summary>
    public static Tensor Solarize(Tensor x, int threshold)
    {
        using var v = Bytes(x);
        return Unit(where(v < threshold, v, 255 - v));
    }

    /// <summary>Values below 128 get <paramref name="add"/> added, capped at 255 (timm's solarize_add).</summary>
    public static Tensor SolarizeAdd(Tensor x, int add)
    {
        using var v = Bytes(x);
        return Unit(where(v < 128, (v + add).clamp_max(255), v));
    }

    /// <summary>Per channel, stretches [min, max] to [0, 255] with PIL's truncating lookup table (ImageOps.autocontrast, cutoff 0).</summary>
    public static Tensor AutoContrast(Tensor x)
    {
        using var v = Bytes(x);
        var channels = new List<Tensor>();
        for (int c = 0; c < v.shape[0]; c++)
        {
            var ch = v[c];
            double lo = ch.min().item<float>(), hi = ch.max().item<float>();
            if (hi <= lo) { channels.Add(ch.clone()); continue; }
            double scale = 255.0 / (hi - lo), offset = -lo * scale;
            using var wide = ch.to(ScalarType.Float64); // PIL builds the table in double precision
            channels.Add((wide * scale + offset).floor().clamp(0, 255).to(v.dtype));
        }
        using var s = stack(channels);
        foreach (var t in channels) t.Dispose();
        return Unit(s);
    }

    /// <summary>Per-channel histogram equalisation with PIL's lookup table (ImageOps.equalize).</summary>
    public static Tensor Equalize(Tensor x)
    {
        using var v = Bytes(x);
        var data = v.to(ScalarType.Int32).cpu().data<int>().ToArray();
        int c = (int)v.shape[0], plane = data.Length / c;
        var output = new float[data.Length];
        for (int ch = 0; ch < c; ch++)
        {
            var hist = new long[256];
            for (int i = 0; i < plane; i++) hist[data[ch * plane + i]]++;
            var nonZero = hist.Where(h => h > 0).ToArray();
            var lut = Enumerable.Range(0, 256).ToArray();
            if (nonZero.Length > 1)
            {
                long step = (nonZero.Sum() - nonZero[^1]) / 255;
                if (step > 0)
                {
                    long n = step / 2;
                    for (int i = 0; i < 256; i++) { lut[i] = (int)Math.Min(255, n / step); n += hist[i]; }
                }
            }
            for (int i = 0; i < plane; i++) output[ch * plane + i] = lut[data[ch * plane + i]];
        }
        using var t = tensor(output, v.shape, device: x.device);
        return Unit(t);
    }

    /// <summary>PIL's Image.blend(degenerate, image, factor) on 8-bit values: truncation inside [0,1], clipping outside.</summary>
    static Tensor Blend(Tensor degenerate, Tensor image, double factor)
    {
        using var mixed = degenerate + factor * (image - degenerate);
        return Unit(mixed.clamp(0, 255).floor());
    }

    /// <summary>ITU-R 601-2 luma in 8 bits as PIL's RGB→L conversion: (19595 R + 38470 G + 7471 B + 2^15) >> 16.</summary>
    static Tensor Luma(Tensor v) =>
        v.shape[0] == 3 ? ((v[0] * 19595 + v[1] * 38470 + v[2] * 7471 + 32768) / 65536).floor() : v[0].clone();

    /// <summary>Blends with the grey version (PIL ImageEnhance.Color).</summary>
    public static Tensor Color(Tensor x, double factor)
    {
        using var v = Bytes(x);
        using var l = Luma(v);
        using var grey = l.unsqueeze(0).expand_as(v);
        return Blend(grey, v, factor);
    }

    /// <summary>Blends with a flat image at the rounded mean luma (PIL ImageEnhance.Contrast).</summary>
    public static Tensor Contrast(Tensor x, double factor)
    {
        using var v = Bytes(x);
        using var l = Luma(v);
        double mean = Math.Floor(l.to(ScalarType.Float64).mean().item<double>() + 0.5);
        using var flat = full_like(v, mean);
        return Blend(flat, v, factor);
    }

    /// <summary>Blends with black (PIL ImageEnhance.Brightness).</summary>
    public static Tensor Brightness(Tensor x, double factor)
    {
        using var v = Bytes(x);
        using var black = zeros_like(v);
        return Blend(black, v, factor);
    }

    /// <summary>Blends with PIL's SMOOTH filter (3×3 kernel 1-1-1/1-5-1/1-1-1 over 13, border pixels kept) (ImageEnhance.Sharpness).</summary>
    public static Tensor Sharpness(Tensor x, double factor)
    {
        using var v = Bytes(x);
        long c = v.shape[0], h = v.shape[1], w = v.shape[2];
        if (h < 3 || w < 3) return Unit(v);
        using var kernel = tensor(new float[] { 1, 1, 1, 1, 5, 1, 1, 1, 1 }, new long[] { 1, 1, 3, 3 }, device: x.device) / 13f;
        using var smooth = nn.functional.conv2d(v.unsqueeze(1), kernel.expand(1, 1, 3, 3)).squeeze(1); // [C, H-2, W-2]
        using var rounded = (smooth + 0.5).floor().clamp(0, 255);
        using var degenerate = v.clone();
        degenerate.narrow(1, 1, h - 2).narrow(2, 1, w - 2).copy_(rounded);
        return Blend(degenerate, v, factor);
    }

    // ---- geometric ops ----

    /// <summary>Rotates counter-clockwise by <paramref name="degrees"/> about the image centre (PIL Image.rotate).</summary>
    public static Tensor Rotate(Tensor x, double degrees, float[] fill)
    {
        double a = -degrees * Math.PI / 180, cos = Math.Cos(a), sin = Math.Sin(a);
        double cx = x.shape[2] / 2.0, cy = x.shape[1] / 2.0;
        // input = M (p - centre) + centre, M = [[cos, sin], [-sin, cos]]
        return Affine(x, cos, sin, cx - cos * cx - sin * cy, -sin, cos, cy + sin * cx - cos * cy, fill);
    }

    /// <summary>
    /// PIL's Image.transform(AFFINE, (a,b,c,d,e,f)): the output pixel whose centre is (X, Y) samples the input at
    /// (aX + bY + c, dX + eY + f), bicubically; points outside the image take <paramref name="fill"/>. Result on the 8-bit grid.
    /// </summary>
    public static Tensor Affine(Tensor x, double a, double b, double c, double d, double e, double f, float[] fill)
    {
        long ch = x.shape[0], h = x.shape[1], w = x.shape[2];
        if (fill.Length != 1 && fill.Length != ch) throw new SelfSimException($"RandAugment: fill has {fill.Length} values for {ch} channels.");
        using var scope = NewDisposeScope();
        var ys = arange(h, dtype: ScalarType.Float64, device: x.device) + 0.5;
        var xs = arange(w, dtype: ScalarType.Float64, device: x.device) + 0.5;
        var grid = meshgrid(new[] { ys, xs }, indexing: "ij");
        var u = grid[1] * a + grid[0] * b + c;   // input column coordinate (pixel units, centres at i + 0.5)
        var v = grid[1] * d + grid[0] * e + f;   // input row coordinate
        var sample = stack(new[] { 2 * u / w - 1, 2 * v / h - 1 }, -1).unsqueeze(0).to(x.dtype); // [1,H,W,2], align_corners = false
        var fillT = tensor(fill, device: x.device).view(-1, 1, 1).to(x.dtype);
        var shifted = (x - fillT).unsqueeze(0);
        var moved = nn.functional.grid_sample(shifted, sample, mode: (GridSampleMode)2 /* libtorch bicubic; TorchSharp 0.107 names only nearest and bilinear */, padding_mode: GridSamplePaddingMode.Zeros, align_corners: false);
        var result = ((moved.squeeze(0) + fillT) * 255).round().clamp(0, 255) / 255;
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>A normal draw (Box–Muller).</summary>
    public static double Gaussian(Random rng, double mean, double std)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return mean + std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

#nullable enable
using System;
using TorchSharp;
using static TorchSharp.torch;

// The 224-px input pipeline of DeiT/timm (Touvron et al. 2021; timm's transforms_imagenet_train / _eval), on tensors.

/// <summary>A crop rectangle in pixels: rows [Top, Top+Height), columns [Left, Left+Width).</summary>
public readonly record struct CropBox(int Top, int Left, int Height, int Width);

/// <summary>
/// Resize and crop for 224-px training and evaluation, on float images [C,H,W] (or batches [B,C,H,W]) in [0, 1]:
/// train = random-resized crop (area 8–100 %, aspect 3/4–4/3, bicubic) then a horizontal flip with probability ½;
/// eval = bicubic resize of the shorter side to ⌊size / 0.875⌋ (256 for 224) and a centre crop.
/// Resizing is bicubic with align_corners = false and antialiasing when shrinking, as PIL's bicubic resize that timm uses.
/// </summary>
public static class ImagePipeline
{
    /// <summary>DeiT's evaluation crop fraction: 224 / 256.</summary>
    public const double EvalCropFraction = 0.875;

    /// <summary>Bicubic resize to <paramref name="height"/>×<paramref name="width"/>, antialiased when shrinking, clamped to [0, 1].</summary>
    public static Tensor Resize(Tensor image, int height, int width)
    {
        bool single = image.dim() == 3;
        if (!single && image.dim() != 4) throw new SelfSimException($"ImagePipeline.Resize expects [C,H,W] or [B,C,H,W], got [{string.Join(", ", image.shape)}].");
        if (height <= 0 || width <= 0) throw new SelfSimException($"ImagePipeline.Resize: target size {height}×{width} must be positive.");
        using var batch = single ? image.unsqueeze(0) : image.alias();
        bool shrinking = height < batch.shape[2] || width < batch.shape[3];
        using var resized = nn.functional.interpolate(batch, new long[] { height, width }, mode: InterpolationMode.Bicubic,
            align_corners: false, antialias: shrinking);
        var clamped = resized.clamp(0, 1);
        return single ? clamped.squeeze(0) : clamped;
    }

    /// <summary>Resize so the shorter side is <paramref name="size"/>, keeping the aspect (the longer side is truncated, as torchvision does).</summary>
    public static Tensor ResizeShorter(Tensor image, int size)
    {
        int h = (int)image.shape[^2], w = (int)image.shape[^1];
        return h <= w ? Resize(image, size, (int)((long)size * w / h)) : Resize(image, (int)((long)size * h / w), size);
    }

    /// <summary>The central <paramref name="size"/>×<paramref name="size"/> window (offsets rounded as torchvision's CenterCrop).</summary>
    public static Tensor CenterCrop(Tensor image, int size)
    {
        int h = (int)image.shape[^2], w = (int)image.shape[^1];
        if (size > h || size > w) throw new SelfSimException($"CenterCrop: crop {size} is larger than the image {h}×{w}. Resize first.");
        int top = (int)Math.Round((h - size) / 2.0, MidpointRounding.ToEven), left = (int)Math.Round((w - size) / 2.0, MidpointRounding.ToEven);
        return Crop(image, new CropBox(top, left, size, size));
    }

    /// <summary>Evaluation transform: shorter side to ⌊size / 0.875⌋ (bicubic), centre crop to size×size.</summary>
    public static Tensor EvalTransform(Tensor image, int size = 224)
    {
        using var resized = ResizeShorter(image, (int)Math.Floor(size / EvalCropFraction));
        return CenterCrop(resized, size).contiguous();
    }

    /// <summary>Copies the crop window out of [C,H,W] or [B,C,H,W].</summary>
    public static Tensor Crop(Tensor image, CropBox box) =>
        image.narrow(-2, box.Top, box.Height).narrow(-1, box.Left, box.Width);

    /// <summary>
    /// Samples a random-resized-crop window (timm's RandomResizedCropAndInterpolation.get_params): up to 10 tries of an area
    /// fraction uniform in [scaleMin, scaleMax] and a log-uniform aspect in [ratioMin, ratioMax]; when none fits, a centre
    /// crop with the aspect clamped into the range.
    /// </summary>
    public static CropBox SampleResizedCrop(int height, int width, Random rng, double scaleMin = 0.08, double scaleMax = 1.0,
                                            double ratioMin = 3.0 / 4, double ratioMax = 4.0 / 3)
    {
        double area = (double)height * width;
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (scaleMin + (scaleMax - scaleMin) * rng.NextDouble());
            double aspect = Math.Exp(Math.Log(ratioMin) + (Math.Log(ratioMax) - Math.Log(ratioMin)) * rng.NextDouble());
            int w = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
            int h = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
            if (w <= width && h <= height && w > 0 && h > 0)
                return new CropBox(rng.Next(height - h + 1), rng.Next(width - w + 1), h, w);
        }
        double inRatio = (double)width / height;
        int cw = width, ch = height;
        if (inRatio < ratioMin) ch = (int)Math.Round(cw / ratioMin, MidpointRounding.ToEven);
        else if (inRatio > ratioMax) cw = (int)Math.Round(ch * ratioMax, MidpointRounding.ToEven);
        return new CropBox((height - ch) / 2, (width - cw) / 2, ch, cw);
    }

    /// <summary>Training geometry for one image [C,H,W]: random-resized crop to size×size (bicubic), then a horizontal flip with probability ½.</summary>
    public static Tensor RandomResizedCropFlip(Tensor image, int size, Random rng)
    {
        if (image.dim() != 3) throw new SelfSimException($"RandomResizedCropFlip expects one image [C,H,W], got [{string.Join(", ", image.shape)}].");
        var box = SampleResizedCrop((int)image.shape[1], (int)image.shape[2], rng);
        using var crop = Crop(image, box);
        var resized = Resize(crop, size, size);
        if (rng.NextDouble() < 0.5) { using var r = resized; return r.flip(2); }
        return resized;
    }
}

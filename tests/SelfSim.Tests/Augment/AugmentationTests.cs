using System;
using System.IO;
using System.Linq;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SelfSim.Tests.Augment;

/// <summary>The 224-px pipeline and DeiT's augmentations, against PyTorch's bicubic resize, PIL's ops and hand-checked cases.</summary>
public class AugmentationTests : IClassFixture<AugmentationTests.Reference>
{
    public sealed class Reference : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("selfsim-augment-").FullName;
        public Reference() => PythonScript.Run("augment_reference.py", Dir);
        public float[] Read(string name) => NpyFile.Read(Path.Combine(Dir, name + ".npy")).Data;
        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    readonly Reference reference;
    readonly ITestOutputHelper output;
    public AugmentationTests(Reference reference, ITestOutputHelper output) { this.reference = reference; this.output = output; }

    static double MaxDiff(float[] a, float[] b) { Assert.Equal(a.Length, b.Length); return a.Zip(b, (x, y) => Math.Abs(x - y)).Max(); }

    [Fact]
    public void Bicubic_resize_matches_torch_interpolate()
    {
        using var x = tensor(reference.Read("resize_in"), new long[] { 3, 20, 30 });
        using var down = ImagePipeline.Resize(x, 11, 17);
        using var up = ImagePipeline.Resize(x, 37, 45);
        double dDown = MaxDiff(down.data<float>().ToArray(), reference.Read("resize_down"));
        double dUp = MaxDiff(up.data<float>().ToArray(), reference.Read("resize_up"));
        output.WriteLine($"bicubic resize vs torch: down (antialias) {dDown:E2}, up {dUp:E2}");
        Assert.True(dDown < 1e-5 && dUp < 1e-5, $"down {dDown:E2}, up {dUp:E2}");
    }

    [Fact]
    public void Eval_transform_resizes_the_shorter_side_to_256_and_crops_the_centre_224()
    {
        using var img = rand(3, 320, 480);
        using var resized = ImagePipeline.ResizeShorter(img, 256);
        Assert.Equal(new long[] { 3, 256, 384 }, resized.shape);
        using var eval = ImagePipeline.EvalTransform(img);
        Assert.Equal(new long[] { 3, 224, 224 }, eval.shape);
        using var byHand = resized.narrow(1, 16, 224).narrow(2, 80, 224);
        Assert.Equal(0.0, MaxDiff(eval.data<float>().ToArray(), byHand.contiguous().data<float>().ToArray()));
        // Centre crop offsets by hand: a 5×6 image cropped to 3 starts at row round(1.0) = 1, column round(1.5) = 2 (half to even).
        using var grid = arange(30, dtype: ScalarType.Float32).view(1, 5, 6);
        using var c = ImagePipeline.CenterCrop(grid, 3);
        Assert.Equal(new float[] { 8, 9, 10, 14, 15, 16, 20, 21, 22 }, c.data<float>().ToArray());
    }

    [Fact]
    public void Random_resized_crop_samples_area_and_aspect_in_range_and_falls_back_to_a_centre_crop()
    {
        var rng = new Random(5);
        double minArea = 1, maxArea = 0;
        for (int i = 0; i < 4000; i++)
        {
            var b = ImagePipeline.SampleResizedCrop(320, 480, rng);
            Assert.True(b.Top >= 0 && b.Left >= 0 && b.Top + b.Height <= 320 && b.Left + b.Width <= 480, b.ToString());
            double area = (double)b.Height * b.Width / (320 * 480), aspect = (double)b.Width / b.Height;
            minArea = Math.Min(minArea, area); maxArea = Math.Max(maxArea, area);
            Assert.InRange(aspect, 0.75 * 0.97, 4.0 / 3 * 1.03); // rounding to whole pixels
        }
        output.WriteLine($"crop area fractions seen: {minArea:F4} to {maxArea:F4}");
        Assert.InRange(minArea, 0.075, 0.1);
        Assert.InRange(maxArea, 0.85, 0.8897); // aspect ≤ 4/3 inside a 3:2 image caps the area at 320·427 / (320·480)
        // A 10×1000 strip fits no sampled box: the fallback is the centre crop with aspect clamped to 4/3 (13 = round(10·4/3)).
        Assert.Equal(new CropBox(0, 493, 10, 13), ImagePipeline.SampleResizedCrop(10, 1000, new Random(1)));
        using var img = rand(3, 40, 50);
        using var crop = ImagePipeline.RandomResizedCropFlip(img, 24, new Random(2));
        Assert.Equal(new long[] { 3, 24, 24 }, crop.shape);
    }

    [Theory]
    [InlineData("invert", 0)]
    [InlineData("posterize2", 0)]
    [InlineData("solarize100", 0)]
    [InlineData("solarize_add60", 0)]
    [InlineData("autocontrast", 0)]
    [InlineData("equalize", 0)]
    [InlineData("color1.6", 1)]
    [InlineData("color0.4", 1)]
    [InlineData("contrast1.7", 1)]
    [InlineData("contrast0.3", 1)]
    [InlineData("brightness1.5", 1)]
    [InlineData("brightness0.5", 1)]
    [InlineData("sharpness1.8", 1)]
    [InlineData("sharpness0.2", 1)]
    [InlineData("translate_x3", 1)]
    [InlineData("translate_y-2", 1)]
    [InlineData("rotate90", 1)]
    public void RandAugment_op_matches_PIL(string op, int levels)
    {
        using var img = tensor(reference.Read("image"), new long[] { 3, 12, 12 }) / 255f;
        var fill = new[] { 124f / 255, 116f / 255, 104f / 255 };
        using var got = op switch
        {
            "invert" => RandAugment.Invert(img),
            "posterize2" => RandAugment.Posterize(img, 2),
            "solarize100" => RandAugment.Solarize(img, 100),
            "solarize_add60" => RandAugment.SolarizeAdd(img, 60),
            "autocontrast" => RandAugment.AutoContrast(img),
            "equalize" => RandAugment.Equalize(img),
            "color1.6" => RandAugment.Color(img, 1.6),
            "color0.4" => RandAugment.Color(img, 0.4),
            "contrast1.7" => RandAugment.Contrast(img, 1.7),
            "contrast0.3" => RandAugment.Contrast(img, 0.3),
            "brightness1.5" => RandAugment.Brightness(img, 1.5),
            "brightness0.5" => RandAugment.Brightness(img, 0.5),
            "sharpness1.8" => RandAugment.Sharpness(img, 1.8),
            "sharpness0.2" => RandAugment.Sharpness(img, 0.2),
            "translate_x3" => RandAugment.Affine(img, 1, 0, 3, 0, 1, 0, fill),
            "translate_y-2" => RandAugment.Affine(img, 1, 0, 0, 0, 1, -2, fill),
            "rotate90" => RandAugment.Rotate(img, 90, fill),
            _ => throw new ArgumentException(op),
        };
        using var bytes = (got * 255).round();
        double diff = MaxDiff(bytes.data<float>().ToArray(), reference.Read("pil_" + op));
        output.WriteLine($"{op}: max difference from PIL {diff} levels");
        Assert.True(diff <= levels, $"{op}: {diff} levels from PIL (allowed {levels})");
    }

    [Theory]
    [InlineData("shear_x0.2")]
    [InlineData("rotate17")]
    [InlineData("rotate-17")]
    public void Resampled_geometric_ops_stay_close_to_PIL(string op)
    {
        // PIL's bicubic kernel (a = −0.5) differs from libtorch's (a = −0.75), so off-grid samples of a smooth image differ a little.
        using var img = tensor(reference.Read("smooth"), new long[] { 3, 12, 12 }) / 255f;
        var fill = new[] { 124f / 255, 116f / 255, 104f / 255 };
        using var got = op == "rotate17" ? RandAugment.Rotate(img, 17, fill) : op == "rotate-17" ? RandAugment.Rotate(img, -17, fill) : RandAugment.Affine(img, 1, 0.2, 0, 0, 1, 0, fill);
        var a = (got * 255).round().data<float>().ToArray();
        var b = reference.Read("pil_" + op.Replace("-17", "17"));
        double mean = a.Zip(b, (x, y) => Math.Abs(x - y)).Average();
        output.WriteLine($"{op}: mean |C# − PIL| = {mean:F2} levels");
        if (op == "rotate-17") Assert.True(mean > 10, $"turning the wrong way is only {mean:F2} levels off: the test cannot tell directions apart");
        else Assert.True(mean < 3, $"{op}: mean difference {mean:F2} levels");
    }

    [Fact]
    public void RandAugment_policy_draws_two_of_fifteen_ops_at_magnitude_9_with_std_half()
    {
        var rng = new Random(3);
        var steps = Enumerable.Range(0, 15000).SelectMany(_ => RandAugment.Sample(RandAugmentConfig.Deit, rng)).ToList();
        Assert.Equal(30000, steps.Count);
        Assert.Equal(15, steps.Select(s => s.Op).Distinct().Count());
        Assert.All(steps.GroupBy(s => s.Op), g => Assert.InRange(g.Count() / 30000.0, 1 / 15.0 - 0.01, 1 / 15.0 + 0.01));
        Assert.InRange(steps.Count(s => s.Applied) / 30000.0, 0.48, 0.52);
        double mean = steps.Average(s => s.Magnitude), sd = Math.Sqrt(steps.Average(s => (s.Magnitude - mean) * (s.Magnitude - mean)));
        Assert.InRange(mean, 8.98, 9.02);
        Assert.InRange(sd, 0.48, 0.52);
        Assert.All(steps, s => Assert.InRange(s.Magnitude, 0, 10));
        using var img = rand(3, 16, 16);
        using var y = RandAugment.Apply(img, RandAugmentConfig.Deit, new Random(4), new[] { 0.5f, 0.5f, 0.5f });
        Assert.Equal(img.shape, y.shape);
    }

    [Fact]
    public void Soft_targets_are_smoothed_and_mixed_with_the_flipped_batch()
    {
        using var labels = tensor(new long[] { 0, 2 });
        using var t = MixupCutmix.SoftTargets(labels, 4, 0.7, 0.1);
        // on = 1 − 0.1 + 0.025 = 0.925, off = 0.025; row 0 = 0.7·onehot(0) + 0.3·onehot(2) over the smoothed rows.
        var expected = new[] { 0.655f, 0.025f, 0.295f, 0.025f, 0.295f, 0.025f, 0.655f, 0.025f };
        Assert.Equal(expected, t.data<float>().ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        using var logits = zeros(2, 4);
        Assert.Equal(Math.Log(4), MixupCutmix.SoftCrossEntropy(logits, t).item<float>(), 5);
    }

    [Fact]
    public void Cutmix_pastes_the_box_from_the_flipped_batch_and_corrects_lambda()
    {
        var d = MixupCutmix.CutmixBox(10, 10, 0.75, new Random(9));
        Assert.True(d.Cutmix);
        int area = (d.Bottom - d.Top) * (d.Right - d.Left);
        Assert.Equal(1 - area / 100.0, d.Lambda, 12);
        Assert.True(d.Bottom - d.Top <= 5 && d.Right - d.Left <= 5); // side ⌊10·√0.25⌋ = 5 before clipping, even halves: 2 + 2
        using var images = stack(new[] { zeros(1, 10, 10), ones(1, 10, 10) });
        using var mixed = MixupCutmix.Mix(images, new MixDecision(0.84, true, 2, 6, 3, 7));
        Assert.Equal(16f, mixed[0].sum().item<float>());          // a 4×4 box of ones pasted into the zeros image
        Assert.Equal(1f, mixed[0, 0, 2, 3].item<float>());
        Assert.Equal(0f, mixed[0, 0, 6, 7].item<float>());
        Assert.Equal(100f - 16f, mixed[1].sum().item<float>());
        using var blended = MixupCutmix.Mix(images, new MixDecision(0.8, false));
        Assert.Equal(0.2f, blended[0, 0, 0, 0].item<float>(), 6);
    }

    [Fact]
    public void Mixup_and_cutmix_are_chosen_half_and_half_with_beta_lambdas()
    {
        var rng = new Random(12);
        var ds = Enumerable.Range(0, 20000).Select(_ => MixupCutmix.Sample(MixupConfig.Deit, 224, 224, rng)).ToList();
        Assert.InRange(ds.Count(d => d.Cutmix) / 20000.0, 0.48, 0.52);
        var mix = ds.Where(d => !d.Cutmix).Select(d => d.Lambda).ToList();
        double m = mix.Average(), v = mix.Average(l => (l - m) * (l - m));
        Assert.InRange(m, 0.49, 0.51);                       // Beta(0.8, 0.8): mean ½
        Assert.InRange(v, 0.0962 - 0.004, 0.0962 + 0.004);  // variance 0.64 / (2.56 · 2.6) = 0.0962
        var u = Enumerable.Range(0, 20000).Select(_ => MixupCutmix.Beta(rng, 1, 1)).ToList();
        Assert.InRange(u.Average(l => l * l), 1 / 3.0 - 0.01, 1 / 3.0 + 0.01); // Beta(1,1) = uniform: E[λ²] = ⅓
    }

    [Fact]
    public void Random_erasing_hits_a_quarter_of_images_with_per_pixel_noise_inside_the_box_only()
    {
        var rng = new Random(21);
        int hits = 0;
        for (int i = 0; i < 8000; i++)
            if (RandomErasing.SampleBox(224, 224, RandomErasingConfig.Deit, rng) is CropBox b)
            {
                hits++;
                double area = (double)b.Height * b.Width / (224 * 224);
                Assert.InRange(area, 0.018, 0.34);
                Assert.InRange((double)b.Height / b.Width, 0.29, 3.45);
            }
        Assert.InRange(hits / 8000.0, 0.235, 0.265);

        torch.manual_seed(2);
        using var batch = zeros(64, 3, 32, 32);
        int erased = RandomErasing.ApplyInPlace(batch, RandomErasingConfig.Deit with { Probability = 1 }, new Random(4));
        Assert.Equal(64, erased);
        using var changed = batch.ne(0);
        Assert.True(changed.sum().item<long>() > 64 * 3 * 32 * 32 * 0.02);
        using var values = batch.masked_select(changed);
        Assert.InRange(values.std().item<float>(), 0.95, 1.05); // N(0,1) per pixel ("pixel" mode)
        Assert.InRange(values.mean().item<float>(), -0.05, 0.05);
    }
}

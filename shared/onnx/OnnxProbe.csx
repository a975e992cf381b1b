#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The probe batch fed to an ONNX model: float32 samples [N, ...] in the model's exact input layout, whose samples become
/// the node matrices' columns. From a .npy array (fed as it is), an image folder (decoded, resized to the model's H×W:
/// the eval transform, the shorter side to ⌊size/0.875⌋ then a centre crop, and normalised by <see cref="ImageNetMean"/>
/// and <see cref="ImageNetStd"/> unless told otherwise), or the embedded MNIST / Fashion-MNIST test split (resized,
/// channels repeated to what the model takes, normalised by the dataset's own mean and std unless told otherwise).
/// </summary>
public sealed class OnnxProbe
{
    /// <summary>The ImageNet statistics torchvision and timm normalise RGB images with.</summary>
    public static readonly float[] ImageNetMean = { 0.485f, 0.456f, 0.406f };
    /// <summary>See <see cref="ImageNetMean"/>.</summary>
    public static readonly float[] ImageNetStd = { 0.229f, 0.224f, 0.225f };

    /// <summary>Where the samples came from and how they were prepared, in words.</summary>
    public string Source { get; }
    /// <summary>C-order float32 data of <see cref="Shape"/>.</summary>
    public float[] Data { get; }
    /// <summary>[N, ...]: the first axis counts samples.</summary>
    public int[] Shape { get; }
    /// <summary>Number of samples N.</summary>
    public int Count => Shape[0];
    int SampleSize => Shape.Skip(1).Aggregate(1, (a, b) => a * b);

    public OnnxProbe(string source, float[] data, int[] shape)
    {
        if (shape.Length < 1 || shape[0] < 1) throw new SelfSimException($"probe {source}: it holds no samples (shape [{string.Join(", ", shape)}]).");
        if (shape.Aggregate(1L, (a, b) => a * b) != data.Length)
            throw new SelfSimException($"probe {source}: {data.Length} values do not make the shape [{string.Join(", ", shape)}].");
        if (data.Any(v => !float.IsFinite(v))) throw new SelfSimException($"probe {source}: it holds NaN or infinite values. Feed finite inputs.");
        Source = source; Data = data; Shape = shape;
    }

    /// <summary>A probe from a tensor [N, ...] (e.g. <see cref="NodeMatrix.ProbeBatch"/>), copied to float32.</summary>
    public static OnnxProbe FromTensor(string source, Tensor t)
    {
        using var f = t.detach().cpu().to(ScalarType.Float32).contiguous();
        return new OnnxProbe(source, f.data<float>().ToArray(), f.shape.Select(d => (int)d).ToArray());
    }

    /// <summary>A .npy array holding a batch in the model's exact input layout (float32, float64 or integer; fed as float32).</summary>
    public static OnnxProbe FromNpy(string path, int limit = int.MaxValue)
    {
        var (data, shape) = NpyFile.ReadArray(path);
        if (shape.Length < 1) throw new SelfSimException($"probe '{path}' is a scalar; save a batch [N, ...] in the model's input layout.");
        var s = shape.Select(d => (int)d).ToArray();
        if (s[0] > limit)
        {
            int per = s.Skip(1).Aggregate(1, (a, b) => a * b);
            data = data.AsSpan(0, limit * per).ToArray();
            s[0] = limit;
        }
        return new OnnxProbe($"{Path.GetFileName(path)} ({s[0]} samples, as saved)", data, s);
    }

    /// <summary>The first <paramref name="samples"/> test images of "mnist" or "fashion-mnist", shaped for <paramref name="input"/>.</summary>
    public static OnnxProbe FromDataset(string dataset, OnnxInput input, int samples, float[]? mean = null, float[]? std = null, string? dataDir = null)
    {
        if (dataset is not ("mnist" or "fashion-mnist"))
            throw new SelfSimException($"probe '{dataset}' is not an embedded dataset; use mnist, fashion-mnist, a .npy file or an image folder.");
        var (c, h, w) = ImageLayout(input, $"probe {dataset}");
        var test = Mnist.Load(dataDir ?? DataPaths.Default, train: false, dataset);
        using var scope = NewDisposeScope();
        var take = test.Images.narrow(0, 0, Math.Min(samples, test.Count));
        var sized = take.shape[2] == h && take.shape[3] == w ? take : ImagePipeline.Resize(take, h, w);
        var rgb = c == 1 ? sized : sized.expand(-1, c, -1, -1);
        var m = Stats(mean ?? test.Mean, c, "mean"); var s = Stats(std ?? test.Std, c, "std");
        var normal = (rgb - tensor(m).view(1, c, 1, 1)) / tensor(s).view(1, c, 1, 1);
        return FromTensor($"{dataset} test images 0-{take.shape[0] - 1} ({Describe(h, w, c, m, s)})", normal);
    }

    /// <summary>The images of <paramref name="folder"/> (and its subfolders, in ordinal order of path; .jpg, .jpeg, .png, .bmp),
    /// decoded by <see cref="ImageFolder.Decoder"/>, resized for <paramref name="input"/> and normalised.</summary>
    public static OnnxProbe FromImageFolder(string folder, OnnxInput input, int samples, float[]? mean = null, float[]? std = null)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"No image folder at '{folder}'. Check the path.");
        var decode = ImageFolder.Decoder ?? throw new SelfSimException(
            "decoding images needs an image library: use the `selfsim` command line, or set ImageFolder.Decoder to a function path → [3,H,W] float tensor in [0, 1].");
        var (c, h, w) = ImageLayout(input, $"probe {folder}");
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png" or ".bmp")
            .OrderBy(f => f, StringComparer.Ordinal).Take(samples).ToList();
        if (files.Count == 0) throw new SelfSimException($"probe folder '{folder}' holds no .jpg, .jpeg, .png or .bmp images.");
        using var scope = NewDisposeScope();
        var images = new List<Tensor>();
        foreach (var f in files)
        {
            Tensor img;
            try { img = decode(f); }
            catch (Exception e) when (e is not SelfSimException) { throw new SelfSimException($"probe image '{f}' does not decode: {e.Message.TrimEnd('.')}. Remove or replace it."); }
            var sized = h == w ? ImagePipeline.EvalTransform(img, h) : ImagePipeline.Resize(img, h, w);
            images.Add(c == 3 ? sized : c == 1 ? sized.mean(new long[] { 0 }, keepdim: true)
                : throw new SelfSimException($"the model's input {input} takes {c} channels; image probes give 1 (grey) or 3 (RGB). Use a .npy probe."));
        }
        var m = Stats(mean ?? (c == 3 ? ImageNetMean : new[] { 0.5f }), c, "mean");
        var s = Stats(std ?? (c == 3 ? ImageNetStd : new[] { 0.5f }), c, "std");
        var normal = (stack(images) - tensor(m).view(1, c, 1, 1)) / tensor(s).view(1, c, 1, 1);
        return FromTensor($"{files.Count} images of {folder} ({(h == w ? "resized and centre-cropped" : "resized")}, {Describe(h, w, c, m, s)})", normal);
    }

    /// <summary>
    /// The probe <paramref name="spec"/> names for <paramref name="input"/>: "mnist", "fashion-mnist", a .npy file or an image
    /// folder; at most <paramref name="samples"/> samples. <paramref name="mean"/> and <paramref name="std"/> override the
    /// image normalisation (one value, or one per channel).
    /// </summary>
    public static OnnxProbe Open(string spec, OnnxInput input, int samples = NodeMatrix.DefaultProbeSamples,
        float[]? mean = null, float[]? std = null, string? dataDir = null)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new SelfSimException("No probe given. Pass mnist, fashion-mnist, a .npy batch or an image folder.");
        if (samples < 2) throw new SelfSimException($"a probe needs at least 2 samples (a node's vector has one coordinate per sample); asked for {samples}.");
        if (spec is "mnist" or "fashion-mnist") return FromDataset(spec, input, samples, mean, std, dataDir);
        if (Directory.Exists(spec)) return FromImageFolder(spec, input, samples, mean, std);
        if (spec.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) return FromNpy(spec, samples);
        throw File.Exists(spec)
            ? new SelfSimException($"probe '{spec}' is neither a .npy batch nor an image folder. Use mnist, fashion-mnist, FILE.npy or a folder of images.")
            : new FileNotFoundException($"No probe at '{spec}'. Use mnist, fashion-mnist, an existing .npy batch or an image folder.", spec);
    }

    /// <summary>Refuses a probe whose samples do not have the input's shape (fixed dimensions must match), naming the input.</summary>
    public void CheckFits(OnnxInput input)
    {
        bool rankOk = Shape.Length == input.Shape.Length;
        bool dimsOk = rankOk && Shape.Select((d, i) => i == 0 ? input.Shape[0] < 0 || d % input.Shape[0] == 0 : input.Shape[i] < 0 || input.Shape[i] == d).All(x => x);
        if (!dimsOk)
            throw new SelfSimException($"the probe ({Source}) is [{string.Join(", ", Shape)}], but the model's input is {input}: " +
                                       (rankOk && input.FixedBatch is long b && Shape[0] % b != 0
                                           ? $"the model fixes the batch at {b}; give a multiple of {b} samples."
                                           : "save a batch of that shape (the first axis counts samples)."));
        if (input.DType != "float32")
            throw new SelfSimException($"the model's input is {input}; the probe is float32. Export the model with a float32 input.");
    }

    /// <summary>Samples [start, start + count) as an ONNX Runtime tensor.</summary>
    public Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float> Batch(int start, int count)
    {
        if (start < 0 || count < 1 || start + count > Count) throw new SelfSimException($"probe {Source}: samples {start}..{start + count - 1} are out of 0..{Count - 1}.");
        var dims = Shape.ToArray();
        dims[0] = count;
        return new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(Data.AsMemory(start * SampleSize, count * SampleSize), dims);
    }

    static (int C, int H, int W) ImageLayout(OnnxInput input, string what)
    {
        if (input.Shape.Length != 4 || input.Shape.Skip(1).Any(d => d <= 0))
            throw new SelfSimException($"{what}: images need a model input [N, C, H, W] with fixed C, H and W; the model's input is {input}. Use a .npy probe.");
        return ((int)input.Shape[1], (int)input.Shape[2], (int)input.Shape[3]);
    }

    static float[] Stats(float[] v, int channels, string what) =>
        v.Length == channels ? v : v.Length == 1 ? Enumerable.Repeat(v[0], channels).ToArray()
        : throw new SelfSimException($"--{what} has {v.Length} values; give one, or one per channel ({channels}).");

    static string Describe(int h, int w, int c, float[] m, float[] s) =>
        $"{c}×{h}×{w}, normalised by mean ({string.Join(", ", m.Select(x => x.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)))}) " +
        $"and std ({string.Join(", ", s.Select(x => x.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)))})";

    public override string ToString() => $"probe [{string.Join(", ", Shape)}]: {Source}";
}

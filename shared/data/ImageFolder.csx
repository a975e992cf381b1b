#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>One image file of a class-folder dataset and its label (the index of its folder in sorted order).</summary>
public readonly record struct ImageFile(string Path, int Label);

/// <summary>
/// Class-folder image datasets (root/SPLIT/CLASS/*.jpg|png, classes in ordinal order of folder name, as torchvision's
/// ImageFolder): Imagenette (imagenette2-320, JPEG, WordNet-id folders) and CINIC-10 (32-px PNG).
/// Decoding needs an image library, which shared/ does not reference: pass a decoder that returns [3,H,W] float in [0, 1]
/// (the command line sets <see cref="Decoder"/> to its SixLabors.ImageSharp decoder).
/// Each image is stored at size×size: the shorter side resized to ⌊size / 0.875⌋ and centre-cropped (the eval transform),
/// or kept as is when it already is size×size.
/// </summary>
public static class ImageFolder
{
    static readonly string[] Extensions = { ".jpg", ".jpeg", ".png" };

    /// <summary>The decoder <see cref="Load"/> uses when none is passed; null until a host that references an image library sets it.</summary>
    public static Func<string, Tensor>? Decoder { get; set; }

    /// <summary>Imagenette's ten WordNet ids (folder names) and the class names fast.ai gives them.</summary>
    public static IReadOnlyDictionary<string, string> ImagenetteClasses { get; } = new Dictionary<string, string>
    {
        ["n01440764"] = "tench",
        ["n02102040"] = "English springer",
        ["n02979186"] = "cassette player",
        ["n03000684"] = "chain saw",
        ["n03028079"] = "church",
        ["n03394916"] = "French horn",
        ["n03417042"] = "garbage truck",
        ["n03425413"] = "gas pump",
        ["n03445777"] = "golf ball",
        ["n03888257"] = "parachute",
    };

    /// <summary>CINIC-10's classes (the CIFAR-10 classes).</summary>
    public static IReadOnlyList<string> CinicClasses { get; } = new[] { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" };

    /// <summary>The class folders under <paramref name="splitDir"/> (ordinal order) and every image file in them.</summary>
    public static (IReadOnlyList<string> Classes, IReadOnlyList<ImageFile> Files) Scan(string splitDir, string dataset)
    {
        if (!Directory.Exists(splitDir)) throw DataPaths.Missing(splitDir, dataset);
        var classes = Directory.GetDirectories(splitDir).Select(Path.GetFileName).OfType<string>().OrderBy(c => c, StringComparer.Ordinal).ToList();
        if (classes.Count < 2) throw DataPaths.Corrupt(splitDir, dataset, $"{classes.Count} class folders; an image-folder dataset needs one folder per class");
        var files = new List<ImageFile>();
        for (int label = 0; label < classes.Count; label++)
            files.AddRange(Directory.GetFiles(Path.Combine(splitDir, classes[label]))
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .OrderBy(f => f, StringComparer.Ordinal).Select(f => new ImageFile(f, label)));
        var empty = classes.Where((c, i) => files.All(f => f.Label != i)).ToList();
        if (empty.Count > 0) throw DataPaths.Corrupt(splitDir, dataset, $"class folders without images: {string.Join(", ", empty)}");
        return (classes, files);
    }

    /// <summary>Loads a split into memory at size×size (see the class summary). <paramref name="limit"/> keeps the first N files per class
    /// (for smoke runs). Mean/std are the ImageNet statistics timm uses for both datasets.</summary>
    public static ImageDataset Load(string splitDir, string dataset, int size, Func<string, Tensor>? decode = null, int limit = int.MaxValue)
    {
        decode ??= Decoder ?? throw new SelfSimException(
            $"{dataset}: decoding JPEG/PNG needs an image library. Use the `selfsim` command line (it decodes with SixLabors.ImageSharp), " +
            "or set ImageFolder.Decoder to a function path → [3,H,W] float tensor in [0, 1].");
        if (size <= 0) throw new SelfSimException($"{dataset}: image size {size} must be positive.");
        var (classes, files) = Scan(splitDir, dataset);
        var chosen = files.GroupBy(f => f.Label).SelectMany(g => g.Take(limit)).ToList();
        var images = new List<Tensor>(chosen.Count);
        try
        {
            foreach (var f in chosen)
            {
                Tensor img;
                try { img = decode(f.Path); }
                catch (Exception e) when (e is not SelfSimException) { throw DataPaths.Corrupt(f.Path, dataset, $"it does not decode as an image: {e.Message}"); }
                using (img)
                {
                    if (img.dim() != 3 || img.shape[0] != 3)
                        throw DataPaths.Corrupt(f.Path, dataset, $"the decoder returned [{string.Join(", ", img.shape)}], expected [3,H,W]");
                    images.Add(img.shape[1] == size && img.shape[2] == size ? img.clone() : ImagePipeline.EvalTransform(img, size));
                }
            }
            var stacked = stack(images);
            var labels = tensor(chosen.Select(f => (long)f.Label).ToArray());
            return new ImageDataset(dataset, stacked, labels, classes.Count,
                new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f });
        }
        finally { foreach (var t in images) t.Dispose(); }
    }

    /// <summary>Imagenette (imagenette2-320) split "train" or "val" from dataDir/imagenette/imagenette2-320/.</summary>
    public static ImageDataset LoadImagenette(string dataDir, bool train, int size = 224, Func<string, Tensor>? decode = null, int limit = int.MaxValue) =>
        Load(Path.Combine(dataDir, "imagenette", "imagenette2-320", train ? "train" : "val"), "imagenette", size, decode, limit);

    /// <summary>CINIC-10 split "train", "valid" or "test" from dataDir/cinic10/ (32-px images kept as they are when size is 32).</summary>
    public static ImageDataset LoadCinic10(string dataDir, string split, int size = 32, Func<string, Tensor>? decode = null, int limit = int.MaxValue) =>
        split is "train" or "valid" or "test"
            ? Load(Path.Combine(dataDir, "cinic10", split), "cinic10", size, decode, limit)
            : throw new SelfSimException($"CINIC-10 has splits train, valid and test, not '{split}'.");
}

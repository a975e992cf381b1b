#nullable enable
using System;
using System.IO;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>MNIST (LeCun et al. 1998) and Fashion-MNIST (Xiao et al. 2017) from IDX files in data/{mnist,fashion-mnist}/.</summary>
public static class Mnist
{
    /// <summary>Loads the train (60,000) or test (10,000) split. <paramref name="variant"/> is "mnist" or "fashion-mnist".</summary>
    public static ImageDataset Load(string dataDir, bool train, string variant = "mnist")
    {
        if (variant != "mnist" && variant != "fashion-mnist")
            throw new SelfSimException($"Unknown MNIST variant '{variant}'. Use mnist or fashion-mnist.");
        var dir = Path.Combine(dataDir, variant);
        string prefix = train ? "train" : "t10k";
        var (ishape, pixels) = IdxFile.Read(Locate(dir, $"{prefix}-images-idx3-ubyte", variant), variant);
        var (lshape, labels) = IdxFile.Read(Locate(dir, $"{prefix}-labels-idx1-ubyte", variant), variant);
        if (ishape.Length != 3 || lshape.Length != 1 || ishape[0] != lshape[0])
            throw DataPaths.Corrupt(dir, variant, $"images [{string.Join(",", ishape)}] and labels [{string.Join(",", lshape)}] do not match");

        int bad = Array.FindIndex(labels, b => b >= 10);
        if (bad >= 0)
            throw DataPaths.Corrupt(Locate(dir, $"{prefix}-labels-idx1-ubyte", variant), variant, $"label {bad} is {labels[bad]}, but {variant} has classes 0–9");
        var images = tensor(pixels, new long[] { ishape[0], 1, ishape[1], ishape[2] }).to_type(ScalarType.Float32).div_(255f);
        var y = tensor(labels, new long[] { lshape[0] }).to_type(ScalarType.Int64);
        var (mean, std) = variant == "mnist" ? (0.1307f, 0.3081f) : (0.2860f, 0.3530f);
        return new ImageDataset($"{variant}/{(train ? "train" : "test")}", images, y, 10, new[] { mean }, new[] { std });
    }

    /// <summary>The .gz file if present, else the uncompressed one; the error names the .gz and the fetch command.</summary>
    static string Locate(string dir, string stem, string variant)
    {
        var gz = Path.Combine(dir, stem + ".gz");
        if (File.Exists(gz)) return gz;
        var raw = Path.Combine(dir, stem);
        if (File.Exists(raw)) return raw;
        throw DataPaths.Missing(gz, variant);
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>CIFAR-10 and CIFAR-100 (Krizhevsky 2009) in their binary format: per record a label byte (CIFAR-100: coarse then fine) and 3072 bytes of R, G, B planes.</summary>
public static class Cifar
{
    const int Pixels = 3 * 32 * 32;

    /// <summary>Loads the train (50,000) or test (10,000) split from data/cifar10/cifar-10-batches-bin/ or data/cifar100/cifar-100-binary/.</summary>
    public static ImageDataset Load(string dataDir, bool train, int classes = 10)
    {
        string name = classes switch { 10 => "cifar10", 100 => "cifar100", _ => throw new SelfSimException($"CIFAR has 10 or 100 classes, not {classes}.") };
        var files = classes == 10
            ? (train ? new[] { 1, 2, 3, 4, 5 }.Select(i => Path.Combine(dataDir, "cifar10", "cifar-10-batches-bin", $"data_batch_{i}.bin")).ToArray()
                     : new[] { Path.Combine(dataDir, "cifar10", "cifar-10-batches-bin", "test_batch.bin") })
            : new[] { Path.Combine(dataDir, "cifar100", "cifar-100-binary", train ? "train.bin" : "test.bin") };
        int labelBytes = classes == 10 ? 1 : 2, record = labelBytes + Pixels;

        var pixels = new List<byte[]>();
        var labels = new List<byte>();
        foreach (var f in files)
        {
            if (!File.Exists(f)) throw DataPaths.Missing(f, name);
            var bytes = File.ReadAllBytes(f);
            if (bytes.Length == 0 || bytes.Length % record != 0)
                throw DataPaths.Corrupt(f, name, $"{bytes.Length} bytes is not a whole number of {record}-byte records");
            int n = bytes.Length / record;
            var px = new byte[n * Pixels];
            for (int i = 0; i < n; i++)
            {
                byte label = bytes[i * record + labelBytes - 1]; // CIFAR-100: the fine label
                if (label >= classes) throw DataPaths.Corrupt(f, name, $"record {i} has label {label} ≥ {classes}");
                labels.Add(label);
                Buffer.BlockCopy(bytes, i * record + labelBytes, px, i * Pixels, Pixels);
            }
            pixels.Add(px);
        }
        var all = new byte[labels.Count * Pixels];
        int at = 0;
        foreach (var p in pixels) { Buffer.BlockCopy(p, 0, all, at, p.Length); at += p.Length; }

        var images = tensor(all, new long[] { labels.Count, 3, 32, 32 }).to_type(ScalarType.Float32).div_(255f);
        var y = tensor(labels.ToArray(), new long[] { labels.Count }).to_type(ScalarType.Int64);
        var (mean, std) = classes == 10
            ? (new[] { 0.4914f, 0.4822f, 0.4465f }, new[] { 0.2470f, 0.2435f, 0.2616f })
            : (new[] { 0.5071f, 0.4865f, 0.4409f }, new[] { 0.2673f, 0.2564f, 0.2762f });
        return new ImageDataset($"{name}/{(train ? "train" : "test")}", images, y, classes, mean, std);
    }
}

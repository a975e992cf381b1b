using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using Xunit;

namespace SelfSim.Tests.Data;

public class DatasetReaderTests
{
    [Fact]
    public void Embedded_mnist_has_the_canonical_content()
    {
        var mnist = DatasetCatalog.Get("mnist");
        foreach (var src in mnist.Sources)
        {
            var path = Path.Combine(RepoPaths.Data, "mnist", src.FileName);
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            Assert.Equal(src.PayloadSha256, Convert.ToHexString(SHA256.HashData(gz)).ToLowerInvariant());
            Assert.True(DatasetFetcher.Matches(path, src));
        }
    }

    [Fact]
    public void Mnist_loads_with_the_published_sizes_and_label_counts()
    {
        var train = Mnist.Load(RepoPaths.Data, train: true);
        var test = Mnist.Load(RepoPaths.Data, train: false);
        Assert.Equal(new long[] { 60000, 1, 28, 28 }, train.Images.shape);
        Assert.Equal(new long[] { 10000, 1, 28, 28 }, test.Images.shape);
        var trainCounts = TorchSharp.torch.bincount(train.Labels).data<long>().ToArray();
        var testCounts = TorchSharp.torch.bincount(test.Labels).data<long>().ToArray();
        Assert.Equal(new long[] { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 }, trainCounts);
        Assert.Equal(new long[] { 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009 }, testCounts);
        Assert.Equal(0f, train.Images.min().item<float>());
        Assert.Equal(1f, train.Images.max().item<float>());
        // Mean pixel of the training set, the normalisation constant everyone uses.
        Assert.Equal(0.1307, train.Images.mean().item<float>(), 3);
    }

    [Fact]
    public void Missing_file_names_the_file_and_the_fetch_command()
    {
        var dir = Directory.CreateTempSubdirectory("selfsim-data").FullName;
        try
        {
            var e = Assert.Throws<SelfSimException>(() => Mnist.Load(dir, train: false));
            Assert.Contains("t10k-images-idx3-ubyte.gz", e.Message);
            Assert.Contains("selfsim data fetch mnist", e.Message);
            var c = Assert.Throws<SelfSimException>(() => Cifar.Load(dir, train: false, classes: 100));
            Assert.Contains("test.bin", c.Message);
            Assert.Contains("selfsim data fetch cifar100", c.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Corrupt_idx_files_are_named_with_the_fix()
    {
        var dir = Directory.CreateTempSubdirectory("selfsim-data").FullName;
        try
        {
            var m = Path.Combine(dir, "mnist");
            Directory.CreateDirectory(m);
            var src = File.ReadAllBytes(Path.Combine(RepoPaths.Data, "mnist", "t10k-images-idx3-ubyte.gz"));
            File.WriteAllBytes(Path.Combine(m, "t10k-images-idx3-ubyte.gz"), src[..(src.Length / 2)]); // truncated gzip
            File.Copy(Path.Combine(RepoPaths.Data, "mnist", "t10k-labels-idx1-ubyte.gz"), Path.Combine(m, "t10k-labels-idx1-ubyte.gz"));
            var e = Assert.Throws<SelfSimException>(() => Mnist.Load(dir, train: false));
            Assert.Contains("corrupt", e.Message);
            Assert.Contains("t10k-images-idx3-ubyte.gz", e.Message);
            Assert.Contains("selfsim data fetch mnist", e.Message);

            // A well-formed gzip whose IDX header promises more than it holds.
            var bad = Path.Combine(m, "t10k-images-idx3-ubyte");
            File.Delete(Path.Combine(m, "t10k-images-idx3-ubyte.gz"));
            File.WriteAllBytes(bad, new byte[] { 0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3 });
            var h = Assert.Throws<SelfSimException>(() => Mnist.Load(dir, train: false));
            Assert.Contains("promises 1568 values but the file holds 3", h.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Cifar_binary_reads_labels_and_channel_planes()
    {
        var dir = Directory.CreateTempSubdirectory("selfsim-cifar").FullName;
        try
        {
            // CIFAR-100 records: coarse label, fine label, then R, G, B planes of 32×32.
            var folder = Path.Combine(dir, "cifar100", "cifar-100-binary");
            Directory.CreateDirectory(folder);
            var rec = new byte[2 + 3072];
            using (var f = File.Create(Path.Combine(folder, "test.bin")))
                for (int i = 0; i < 3; i++)
                {
                    rec[0] = 7; rec[1] = (byte)(40 + i);
                    for (int c = 0; c < 3; c++) for (int p = 0; p < 1024; p++) rec[2 + c * 1024 + p] = (byte)(c * 100 + i);
                    rec[2 + 5] = 255; // R plane, row 0, column 5
                    f.Write(rec);
                }
            var ds = Cifar.Load(dir, train: false, classes: 100);
            Assert.Equal(new long[] { 3, 3, 32, 32 }, ds.Images.shape);
            Assert.Equal(new long[] { 40, 41, 42 }, ds.Labels.data<long>().ToArray());
            Assert.Equal(1f, ds.Images[1, 0, 0, 5].item<float>());
            Assert.Equal(201f / 255f, ds.Images[1, 2, 7, 7].item<float>(), 6);
            Assert.Equal(100, ds.Classes);

            File.AppendAllText(Path.Combine(folder, "test.bin"), "x");
            var e = Assert.Throws<SelfSimException>(() => Cifar.Load(dir, train: false, classes: 100));
            Assert.Contains("not a whole number of 3074-byte records", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}

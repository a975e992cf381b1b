using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace SelfSim.Tests.Data;

/// <summary>
/// Fashion-MNIST from Debian's dataset-fashion-mnist package (.ci/run installs it): `selfsim data fetch fashion-mnist` copies
/// the IDX files after checking the SHA-256 of their content, and the loader reads them. Expected numbers from NumPy on the
/// same files (labels of the first 10 images, 6,000 / 1,000 per class, the sum of all training pixels).
/// </summary>
public sealed class FashionMnistTests : IDisposable
{
    const string Debian = "/usr/share/datasets/fashion-mnist";
    readonly string _dir = Directory.CreateTempSubdirectory("selfsim-fmnist").FullName;
    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task Fetch_copies_the_verified_debian_files_and_the_loader_reads_the_published_content()
    {
        Assert.True(Directory.Exists(Debian), $"{Debian} is missing: install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist; .ci/run does).");
        var log = new System.Collections.Generic.List<string>();
        var spec = DatasetCatalog.Get("fashion-mnist");
        var target = await DatasetFetcher.FetchAsync(spec, _dir, log: log.Add);
        Assert.Equal(4, log.Count(l => l.Contains("copied from " + Debian)));
        Assert.All(spec.Sources, s => Assert.True(DatasetFetcher.Matches(Path.Combine(target, s.FileName), s)));

        var train = Mnist.Load(_dir, true, "fashion-mnist");
        var test = Mnist.Load(_dir, false, "fashion-mnist");
        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        Assert.Equal(new long[] { 9, 0, 0, 3, 0, 2, 7, 2, 5, 5 }, train.Labels.narrow(0, 0, 10).data<long>().ToArray());
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(6000, train.Labels.eq(c).sum().item<long>()));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, test.Labels.eq(c).sum().item<long>()));
        double pixelSum = train.Images.to_type(TorchSharp.torch.ScalarType.Float64).mul(255).round().sum().item<double>();
        Assert.Equal(3_431_114_169d, pixelSum);
        Assert.Equal(0.2860405969887955, pixelSum / 255 / (60_000.0 * 784), 12); // the mean the loader normalizes with (0.2860)
    }

    [Fact]
    public void A_tampered_local_copy_is_not_accepted()
    {
        var src = DatasetCatalog.Get("fashion-mnist").Sources[1];
        var bad = Path.Combine(_dir, src.FileName);
        using (var gz = new System.IO.Compression.GZipStream(File.Create(bad), System.IO.Compression.CompressionLevel.Fastest))
            gz.Write(new byte[] { 0, 0, 8, 1, 0, 0, 0, 1, 3 });
        Assert.False(DatasetFetcher.Matches(bad, src));
        Assert.False(DatasetFetcher.Matches(Path.Combine(Debian, DatasetCatalog.Get("fashion-mnist").Sources[0].FileName), src)); // wrong file
    }
}

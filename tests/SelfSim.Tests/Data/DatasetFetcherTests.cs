using System;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace SelfSim.Tests.Data;

/// <summary>The downloader against a server on 127.0.0.1 that can serve whole, truncated and tampered files.</summary>
public sealed class DatasetFetcherTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("selfsim-fetch").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    /// <summary>A tiny HTTP/1.1 server: path → (body, declared Content-Length). Serves a bounded number of requests.</summary>
    sealed class LocalServer : IDisposable
    {
        readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        readonly CancellationTokenSource _stop = new();
        public string Url { get; }
        public LocalServer(Func<string, (byte[] Body, long Declared)?> route)
        {
            _listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
            _ = Task.Run(async () =>
            {
                for (int served = 0; served < 20 && !_stop.IsCancellationRequested; served++)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    using var stream = client.GetStream();
                    var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
                    var requestLine = await reader.ReadLineAsync() ?? "";
                    while (!string.IsNullOrEmpty(await reader.ReadLineAsync())) { }
                    var path = requestLine.Split(' ')[1];
                    var hit = route(path);
                    var head = hit is { } h
                        ? $"HTTP/1.1 200 OK\r\nContent-Length: {h.Declared}\r\nConnection: close\r\n\r\n"
                        : "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                    if (hit is { } b) await stream.WriteAsync(b.Body);
                }
            });
        }
        public void Dispose() { _stop.Cancel(); _listener.Stop(); }
    }

    static string Sha(byte[] b) => Convert.ToHexString(SHA256.HashData(b)).ToLowerInvariant();

    DatasetSpec Spec(byte[] content, string? sha = null) =>
        new("toy", "toy", "test", new[] { new DatasetSource("http://unused/toy.bin", "toy.bin", sha ?? Sha(content)) }, new[] { "toy.bin" });

    [Fact]
    public async Task Verified_file_is_written_and_a_second_fetch_keeps_it()
    {
        var content = Encoding.ASCII.GetBytes(new string('a', 100_000));
        using var server = new LocalServer(p => p == "/toy.bin" ? (content, content.Length) : null);
        var target = await DatasetFetcher.FetchAsync(Spec(content), _dir, mirror: server.Url);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(target, "toy.bin")));
        string log = "";
        await DatasetFetcher.FetchAsync(Spec(content), _dir, mirror: server.Url, log: l => log += l);
        Assert.Contains("already present and verified", log);
    }

    [Fact]
    public async Task Truncated_download_fails_and_leaves_nothing()
    {
        var content = new byte[50_000];
        new Random(3).NextBytes(content);
        using var server = new LocalServer(p => (content[..20_000], content.Length)); // promises 50,000, sends 20,000, closes
        var e = await Assert.ThrowsAsync<SelfSimException>(() => DatasetFetcher.FetchAsync(Spec(content), _dir, mirror: server.Url));
        Assert.Contains("toy.bin", e.Message);
        Assert.Contains("20000", e.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "toy")));
    }

    [Fact]
    public async Task Checksum_mismatch_fails_and_leaves_nothing()
    {
        var content = Encoding.ASCII.GetBytes("the real file");
        var tampered = Encoding.ASCII.GetBytes("a tampered file");
        using var server = new LocalServer(p => (tampered, tampered.Length));
        var e = await Assert.ThrowsAsync<SelfSimException>(() => DatasetFetcher.FetchAsync(Spec(content), _dir, mirror: server.Url));
        Assert.Contains("Checksum mismatch for toy.bin", e.Message);
        Assert.Contains(Sha(tampered), e.Message);
        Assert.Contains(Sha(content), e.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "toy")));
    }

    [Fact]
    public async Task Http_error_names_the_url()
    {
        using var server = new LocalServer(_ => null);
        var e = await Assert.ThrowsAsync<SelfSimException>(() => DatasetFetcher.FetchAsync(Spec(new byte[] { 1 }), _dir, mirror: server.Url));
        Assert.Contains("HTTP 404", e.Message);
        Assert.Contains("/toy.bin", e.Message);
    }

    [Fact]
    public async Task Archive_is_verified_then_unpacked_into_place()
    {
        // A tar.gz holding folder/a.bin, as CIFAR's archives do.
        var staging = Path.Combine(_dir, "staging");
        Directory.CreateDirectory(Path.Combine(staging, "folder"));
        File.WriteAllBytes(Path.Combine(staging, "folder", "a.bin"), new byte[] { 1, 2, 3 });
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            TarFile.CreateFromDirectory(staging, gz, includeBaseDirectory: false);
        var archive = ms.ToArray();
        var spec = new DatasetSpec("arch", "arch", "test",
            new[] { new DatasetSource("http://unused/x.tar.gz", "x.tar.gz", null, Convert.ToHexString(MD5.HashData(archive)).ToLowerInvariant(), ExtractTarGz: true) },
            new[] { "folder/a.bin" });
        using var server = new LocalServer(p => (archive, archive.Length));
        var target = await DatasetFetcher.FetchAsync(spec, _dir, mirror: server.Url);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(Path.Combine(target, "folder", "a.bin")));
        Assert.False(File.Exists(Path.Combine(target, "x.tar.gz")));
        Assert.Empty(Directory.GetDirectories(target, ".extract-*"));
    }

    /// <summary>A CINIC-10-shaped tar.gz: train/, valid/ and test/, each with the ten class folders and one 32-px PNG per class.</summary>
    byte[] TinyCinic10()
    {
        var staging = Path.Combine(_dir, "cinic-staging");
        foreach (var split in new[] { "train", "valid", "test" })
            for (int c = 0; c < 10; c++)
            {
                var folder = Path.Combine(staging, split, ImageFolder.CinicClasses[c]);
                Directory.CreateDirectory(folder);
                using var img = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(32, 32,
                    new SixLabors.ImageSharp.PixelFormats.Rgb24((byte)(20 * c), 7, (byte)(split.Length)));
                SixLabors.ImageSharp.ImageExtensions.SaveAsPng(img, Path.Combine(folder, $"{split}-{c}.png"));
            }
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
            TarFile.CreateFromDirectory(staging, gz, includeBaseDirectory: false);
        Directory.Delete(staging, true);
        return ms.ToArray();
    }

    [Fact]
    public async Task Cinic10_fetch_unpacks_the_three_splits_where_the_loader_reads_them()
    {
        var archive = TinyCinic10();
        var real = DatasetCatalog.Get("cinic10");
        var src = Assert.Single(real.Sources);
        Assert.Equal("CINIC-10.tar.gz", src.FileName);
        Assert.True(src.ExtractTarGz);
        Assert.Equal(30, real.ExpectedFiles.Count);   // 3 splits × 10 class folders
        // The catalog entry with the tiny archive's MD5 in place of the published one: same URL name, unpacking and checks.
        var spec = real with { Sources = new[] { src with { Md5 = Convert.ToHexString(MD5.HashData(archive)).ToLowerInvariant() } } };
        using var server = new LocalServer(p => p == "/CINIC-10.tar.gz" ? (archive, archive.Length) : null);
        var target = await DatasetFetcher.FetchAsync(spec, _dir, mirror: server.Url);
        Assert.Equal(Path.Combine(_dir, "cinic10"), target);
        Assert.False(File.Exists(Path.Combine(target, "CINIC-10.tar.gz")));
        var train = ImageFolder.LoadCinic10(_dir, "train", decode: SelfSim.Cli.ImageSharpDecoder.Decode);
        Assert.Equal(10, train.Count);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), train.Labels.data<long>().ToArray());
        Assert.Equal(20 * 9 / 255f, train.Images[9, 0, 3, 3].item<float>(), 6);   // truck: red 180
        Assert.Equal(10, ImageFolder.LoadCinic10(_dir, "valid", decode: SelfSim.Cli.ImageSharpDecoder.Decode).Count);
        Assert.Equal(10, ImageFolder.LoadCinic10(_dir, "test", decode: SelfSim.Cli.ImageSharpDecoder.Decode).Count);
    }

    [Fact]
    public async Task Cinic10_fetch_refuses_an_archive_that_is_not_the_published_one()
    {
        var archive = TinyCinic10();
        using var server = new LocalServer(p => (archive, archive.Length));
        var e = await Assert.ThrowsAsync<SelfSimException>(() => DatasetFetcher.FetchAsync(DatasetCatalog.Get("cinic10"), _dir, mirror: server.Url));
        Assert.Contains("MD5", e.Message);
        Assert.Contains("6ee4d0c996905fe93221de577967a372", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_dir, "cinic10", "train")));
        Assert.False(File.Exists(Path.Combine(_dir, "cinic10", "CINIC-10.tar.gz")));
    }

    [Fact]
    public void Catalog_knows_the_datasets_with_checksums()
    {
        Assert.Equal(new[] { "mnist", "fashion-mnist", "cifar10", "cifar100", "imagenette", "cinic10" }, DatasetCatalog.Names);
        foreach (var d in DatasetCatalog.All)
            Assert.All(d.Sources, s => Assert.True(s.Sha256?.Length == 64 || s.Md5?.Length == 32, $"{d.Name}/{s.FileName} has no checksum"));
        var e = Assert.Throws<SelfSimException>(() => DatasetCatalog.Get("imagenet"));
        Assert.Contains("mnist, fashion-mnist, cifar10, cifar100", e.Message);
    }

    // ---- issue 25: a planted .part link, a stalling mirror, and data list on a file that fails verification ----

    [Fact]
    public async Task A_planted_part_link_is_removed_not_written_through()
    {
        var content = Encoding.ASCII.GetBytes("the real payload, 43 bytes long, more or less");
        var outside = Path.Combine(_dir, "outside-precious.txt");
        File.WriteAllText(outside, "keep me");
        Directory.CreateDirectory(Path.Combine(_dir, "toy"));
        File.CreateSymbolicLink(Path.Combine(_dir, "toy", "toy.bin.part"), outside);
        using var server = new LocalServer(p => p == "/toy.bin" ? (content, content.Length) : null);
        await DatasetFetcher.FetchAsync(Spec(content), _dir, mirror: server.Url);
        Assert.Equal("keep me", File.ReadAllText(outside));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(_dir, "toy", "toy.bin")));
    }

    [Fact]
    public async Task A_mirror_that_stalls_after_its_headers_is_given_up_after_the_stall_timeout()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync(stop.Token);
            using var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync())) { }
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789"));
            try { await Task.Delay(TimeSpan.FromSeconds(30), stop.Token); } catch (OperationCanceledException) { }
        });
        Environment.SetEnvironmentVariable(DatasetFetcher.StallVariable, "1");
        try
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<SelfSimException>(() =>
                DatasetFetcher.FetchAsync(Spec(new byte[1000]), _dir, mirror: $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"));
            Assert.Contains("stalled", e.Message);
            Assert.Contains("after 10 bytes", e.Message);
            Assert.InRange(sw.Elapsed.TotalSeconds, 0.5, 15);
        }
        finally { Environment.SetEnvironmentVariable(DatasetFetcher.StallVariable, null); stop.Cancel(); listener.Stop(); }
    }

    [Fact]
    public void A_present_file_with_the_wrong_checksum_is_named_as_failing_verification()
    {
        var content = Encoding.ASCII.GetBytes("expected bytes");
        Directory.CreateDirectory(Path.Combine(_dir, "toy"));
        File.WriteAllText(Path.Combine(_dir, "toy", "toy.bin"), "tampered bytes");
        Assert.Equal(new[] { "toy.bin" }, DatasetFetcher.FailingVerification(Spec(content), _dir));
        File.WriteAllBytes(Path.Combine(_dir, "toy", "toy.bin"), content);
        Assert.Empty(DatasetFetcher.FailingVerification(Spec(content), _dir));
    }
}

#nullable enable
using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

/// <summary>
/// Downloads a dataset's canonical files, verifies each checksum, and writes into data/NAME/ atomically:
/// a download goes to a .part file, is verified, then renamed; an archive is unpacked into a temporary
/// folder that is moved into place only when complete. A failed fetch leaves nothing half-written.
/// </summary>
public static class DatasetFetcher
{
    /// <summary>Fetches <paramref name="spec"/> into dataDir/spec.Folder. <paramref name="mirror"/> replaces each URL's folder (for mirrors and tests).</summary>
    public static async Task<string> FetchAsync(DatasetSpec spec, string dataDir, HttpClient? client = null, string? mirror = null,
                                                Action<string>? log = null, CancellationToken cancel = default)
    {
        log ??= _ => { };
        var target = Path.Combine(dataDir, spec.Folder);
        Directory.CreateDirectory(target);
        bool ownClient = client == null;
        client ??= new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        try
        {
            foreach (var src in spec.Sources)
            {
                var url = mirror == null ? src.Url : mirror.TrimEnd('/') + "/" + src.FileName;
                if (src.ExtractTarGz)
                {
                    if (spec.ExpectedFiles.All(f => Present(target, f))) { log($"{spec.Name}: already present"); continue; }
                    var archive = Path.Combine(target, src.FileName);
                    await DownloadVerifiedAsync(client, url, archive, src, log, cancel);
                    ExtractAtomically(archive, target, spec);
                    File.Delete(archive);
                }
                else
                {
                    var dest = Path.Combine(target, src.FileName);
                    if (File.Exists(dest) && Matches(dest, src)) { log($"{src.FileName}: already present and verified"); continue; }
                    if (mirror == null && CopyLocal(spec, src, dest, log)) continue;
                    await DownloadVerifiedAsync(client, url, dest, src, log, cancel);
                }
            }
        }
        finally { if (ownClient) client.Dispose(); }
        var missing = spec.ExpectedFiles.Where(f => !Present(target, f)).ToList();
        if (missing.Count > 0)
            throw new SelfSimException($"{spec.Name}: the fetched files do not include {string.Join(", ", missing)}. The source may have changed; report it.");
        return target;
    }

    /// <summary>Whether an expected entry exists: a folder when it ends in '/', else a file.</summary>
    public static bool Present(string target, string entry) =>
        entry.EndsWith('/') ? Directory.Exists(Path.Combine(target, entry.TrimEnd('/'))) : File.Exists(Path.Combine(target, entry));

    /// <summary>The downloaded files of <paramref name="spec"/> under <paramref name="dataDir"/> that are present but fail
    /// their checksum (archives are unpacked and removed, so only plain downloads can be checked).</summary>
    public static string[] FailingVerification(DatasetSpec spec, string dataDir)
    {
        var target = Path.Combine(dataDir, spec.Folder);
        return spec.Sources.Where(s => !s.ExtractTarGz && File.Exists(Path.Combine(target, s.FileName)) && !Matches(Path.Combine(target, s.FileName), s))
            .Select(s => s.FileName).ToArray();
    }

    public static Task<string> FetchAsync(string name, string dataDir, string? mirror = null, Action<string>? log = null) =>
        FetchAsync(DatasetCatalog.Get(name), dataDir, null, mirror, log);

    /// <summary>Environment variable with the stall timeout in seconds (default 60).</summary>
    public const string StallVariable = "SELFSIM_FETCH_STALL_SECONDS";

    /// <summary>How long a download may go without a byte before it is given up.</summary>
    public static TimeSpan StallTimeout =>
        double.TryParse(Environment.GetEnvironmentVariable(StallVariable), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s) : TimeSpan.FromSeconds(60);

    static async Task DownloadVerifiedAsync(HttpClient client, string url, string dest, DatasetSource src, Action<string> log, CancellationToken cancel)
    {
        var part = dest + ".part";
        log($"downloading {url}");
        try
        {
            long received = 0;
            long? expected;
            using (var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancel))
            {
                if (!response.IsSuccessStatusCode)
                    throw new SelfSimException($"Download of {url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}. Check the network, or pass --mirror with a folder that holds {src.FileName}.");
                expected = response.Content.Headers.ContentLength;
                await using var body = await response.Content.ReadAsStreamAsync(cancel);
                // A planted .part (a symbolic link to a file elsewhere) is removed, never written through: Delete removes
                // the link itself, and CreateNew (O_EXCL) refuses anything that appears in between.
                if (File.Exists(part) || new FileInfo(part).LinkTarget is not null) File.Delete(part);
                await using var file = new FileStream(part, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                var buffer = new byte[1 << 16];
                int n;
                try
                {
                    // A mirror that stalls after its headers is given up after StallTimeout without a byte, not the whole limit.
                    while (true)
                    {
                        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                        stall.CancelAfter(StallTimeout);
                        try { n = await body.ReadAsync(buffer, stall.Token); }
                        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                        {
                            throw new SelfSimException($"Download of {url} stalled: no data for {StallTimeout.TotalSeconds:0} s after {received} bytes. " +
                                                       $"Run the fetch again, or pass --mirror with a folder that holds {src.FileName} (${StallVariable} sets the wait).");
                        }
                        if (n <= 0) break;
                        await file.WriteAsync(buffer.AsMemory(0, n), cancel); received += n;
                    }
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    throw new SelfSimException($"Download of {url} broke off after {received} bytes{(expected is long l ? $" of {l}" : "")} ({e.Message}). Run the fetch again.");
                }
            }
            if (expected is long len && received != len)
                throw new SelfSimException($"Download of {url} is truncated: {received} of {len} bytes. Run the fetch again.");
            var (sha, md5) = Hashes(part);
            if (src.Sha256 != null && !sha.Equals(src.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new SelfSimException($"Checksum mismatch for {src.FileName} from {url}: SHA-256 {sha}, expected {src.Sha256}. The file was not kept; run the fetch again or use another mirror.");
            if (src.Sha256 == null && src.Md5 != null && !md5.Equals(src.Md5, StringComparison.OrdinalIgnoreCase))
                throw new SelfSimException($"Checksum mismatch for {src.FileName} from {url}: MD5 {md5}, expected the published {src.Md5}. The file was not kept; run the fetch again or use another mirror.");
            File.Move(part, dest, overwrite: true);
            log($"{src.FileName}: {received} bytes, {(src.Sha256 != null ? "SHA-256" : "MD5")} verified");
        }
        finally
        {
            if (File.Exists(part)) File.Delete(part);
        }
    }

    /// <summary>Copies <paramref name="src"/> from one of the spec's local folders (a system package) when a verified copy is there.</summary>
    static bool CopyLocal(DatasetSpec spec, DatasetSource src, string dest, Action<string> log)
    {
        foreach (var folder in spec.LocalFolders ?? Array.Empty<string>())
        {
            var local = Path.Combine(folder, src.FileName);
            if (!File.Exists(local)) continue;
            if (!Matches(local, src)) { log($"{local}: checksum does not match the published content; not used"); continue; }
            AtomicFile.Write(dest, s => { using var f = File.OpenRead(local); f.CopyTo(s); });
            log($"{src.FileName}: copied from {folder} (content SHA-256 verified)");
            return true;
        }
        return false;
    }

    /// <summary>True when the file at <paramref name="path"/> is the verified content of <paramref name="src"/>.</summary>
    public static bool Matches(string path, DatasetSource src)
    {
        var (sha, md5) = Hashes(path);
        if (src.Sha256 != null && sha.Equals(src.Sha256, StringComparison.OrdinalIgnoreCase)) return true;
        if (src.Sha256 == null && src.Md5 != null && md5.Equals(src.Md5, StringComparison.OrdinalIgnoreCase)) return true;
        if (src.PayloadSha256 == null) return false;
        try
        {
            using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var h = SHA256.Create();
            return Convert.ToHexString(h.ComputeHash(gz)).Equals(src.PayloadSha256, StringComparison.OrdinalIgnoreCase);
        }
        catch (InvalidDataException) { return false; }
    }

    static (string Sha256, string Md5) Hashes(string path)
    {
        using var s = File.OpenRead(path);
        using var sha = SHA256.Create();
        using var md5 = MD5.Create();
        var buffer = new byte[1 << 16];
        int n;
        while ((n = s.Read(buffer, 0, buffer.Length)) > 0) { sha.TransformBlock(buffer, 0, n, null, 0); md5.TransformBlock(buffer, 0, n, null, 0); }
        sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
        md5.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
        return (Convert.ToHexString(sha.Hash!).ToLowerInvariant(), Convert.ToHexString(md5.Hash!).ToLowerInvariant());
    }

    // System.Formats.Tar ships with every .NET runtime but is not among the .NET Interactive kernel's
    // default script references, so the call is bound at run time and the script compiles everywhere.
    static void ExtractTar(Stream tar, string folder)
    {
        var tarFile = Type.GetType("System.Formats.Tar.TarFile, System.Formats.Tar", throwOnError: true)!;
        var extract = tarFile.GetMethod("ExtractToDirectory", new[] { typeof(Stream), typeof(string), typeof(bool) })
            ?? throw new SelfSimException("System.Formats.Tar.TarFile.ExtractToDirectory(Stream, string, bool) is missing from this .NET runtime; use .NET 8 or later.");
        try { extract.Invoke(null, new object[] { tar, folder, false }); }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }

    static void ExtractAtomically(string archive, string target, DatasetSpec spec)
    {
        var staging = Path.Combine(target, ".extract-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        try
        {
            using (var gz = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
                ExtractTar(gz, staging);
            foreach (var top in Directory.GetDirectories(staging))
            {
                var final = Path.Combine(target, Path.GetFileName(top));
                if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
                Directory.Move(top, final);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException && e is not SelfSimException)
        {
            throw new SelfSimException($"The archive {archive} for {spec.Name} could not be unpacked ({e.Message}). Run `selfsim data fetch {spec.Name}` again.");
        }
        finally { if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true); }
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

/// <summary>
/// Makes TorchSharp's native library loadable when TorchSharp runs straight from NuGet package folders, as it does in
/// the .NET Interactive kernel (<c>#r "nuget: TorchSharp-cpu"</c>): there the build step's patch (NativePatch.targets)
/// never applies. TorchSharp 0.107.0's libLibTorchSharp.so needs GLIBCXX_3.4.32, which Debian 12 and Ubuntu 22.04 lack.
/// Then, and only then (Linux, TorchSharp from a package folder, system libstdc++ without that version), this
/// 1. loads libgomp, libc10, libtorch_cpu and libtorch from the libtorch-cpu-linux-x64 package folder, and
/// 2. loads a copy of libLibTorchSharp.so with that one need marked WEAK (ElfVersionNeeds), kept outside the NuGet
///    cache under ~/.cache/selfsim/native/HASH/ (written atomically; HASH is of the original library).
/// TorchSharp's own lookup of "libLibTorchSharp.so" then finds the loaded copy by its soname.
/// Everywhere else it does nothing. <see cref="Status"/> says what it did.
/// </summary>
public static class TorchNativeLoader
{
    /// <summary>What <see cref="EnsureLoadable"/> did, e.g. "not needed (not Linux)".</summary>
    public static string Status { get; private set; } = "not checked";

    static readonly object Gate = new();
    static bool _done;

    /// <summary>Idempotent. Throws a <see cref="SelfSimException"/> naming the library, the missing version and the fix.</summary>
    public static void EnsureLoadable()
    {
        lock (Gate)
        {
            if (_done) return;
            Status = Apply();
            _done = true;
        }
    }

    static string Apply()
    {
        if (!OperatingSystem.IsLinux()) return "not needed (not Linux)";
        var version = ElfVersionNeeds.TorchSharpGlibcxxVersion;
        // typeof() loads the managed assembly only; the native backend loads on first use.
        var managed = typeof(TorchSharp.torch).Assembly.Location;
        if (string.IsNullOrEmpty(managed)) return "not needed (TorchSharp has no file location)";
        // A NuGet package folder: <packages>/torchsharp/<version>/lib/<tfm>/TorchSharp.dll
        var packageDir = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(managed)!, "..", ".."));
        var original = Path.Combine(packageDir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        if (!File.Exists(original))
            return "not needed (TorchSharp is not loaded from a NuGet package folder; builds patch their own copy)";
        if (ElfVersionNeeds.SystemProvides(version) != false)
            return $"not needed (the system libstdc++ provides {version}, or none was found to check)";

        var bytes = File.ReadAllBytes(original);
        var patched = ElfVersionNeeds.Weakened(bytes, version, out var outcome);
        if (patched == null) return $"not needed ({original}: {outcome})";

        var libtorch = FindLibTorchFolder(packageDir);
        try
        {
            foreach (var name in new[] { "libgomp-*.so.1", "libc10.so", "libtorch_cpu.so", "libtorch.so" })
            {
                var file = Directory.GetFiles(libtorch, name).OrderBy(f => f, StringComparer.Ordinal).FirstOrDefault()
                           ?? throw new SelfSimException($"{Path.Combine(libtorch, name)} is missing, so TorchSharp cannot load. Restore the package again: delete {libtorch} and re-run the #r \"nuget: TorchSharp-cpu\" cell.");
                NativeLibrary.Load(file);
            }
            var copy = PatchedCopyPath(bytes);
            if (!File.Exists(copy) || !File.ReadAllBytes(copy).AsSpan().SequenceEqual(patched))
                AtomicFile.WriteAllBytes(copy, patched);
            NativeLibrary.Load(copy);
            return $"applied: {version} need of {original} marked weak in {copy} (the system libstdc++ lacks {version})";
        }
        catch (DllNotFoundException e)
        {
            throw new SelfSimException(
                $"TorchSharp's native library could not be loaded: {e.Message}\n" +
                $"libLibTorchSharp.so ({original}) needs {version} from libstdc++.so.6, which this system's libstdc++ " +
                $"({ElfVersionNeeds.FindSystemLibStdCxx()}) lacks; selfsim loads a copy with that need marked weak, and that failed. " +
                "Fix: install a newer libstdc++ (GCC 13 or later), or run the notebook with `selfsim run`, whose build patches its own copy.");
        }
    }

    /// <summary>The libtorch-cpu-linux-x64 package folder TorchSharp-cpu depends on (its nuspec names the version).</summary>
    static string FindLibTorchFolder(string torchSharpPackageDir)
    {
        var packages = Path.GetFullPath(Path.Combine(torchSharpPackageDir, "..", ".."));
        var torchSharpVersion = Path.GetFileName(torchSharpPackageDir);
        var root = Path.Combine(packages, "libtorch-cpu-linux-x64");
        string? wanted = null;
        var nuspec = Path.Combine(packages, "torchsharp-cpu", torchSharpVersion, "torchsharp-cpu.nuspec");
        if (File.Exists(nuspec))
        {
            var m = Regex.Match(File.ReadAllText(nuspec), "id=\"libtorch-cpu\"\\s+version=\"\\[?([^\",\\]]+)");
            if (m.Success) wanted = m.Groups[1].Value;
        }
        var versions = Directory.Exists(root) ? Directory.GetDirectories(root).Select(Path.GetFileName).ToList() : new List<string?>();
        var pick = wanted != null && versions.Contains(wanted) ? wanted : versions.OrderBy(v => v, StringComparer.Ordinal).LastOrDefault();
        var folder = pick == null ? null : Path.Combine(root, pick, "runtimes", "linux-x64", "native");
        if (folder == null || !Directory.Exists(folder))
            throw new SelfSimException(
                $"TorchSharp {torchSharpVersion} came from {packages}, but the libtorch-cpu-linux-x64 package{(wanted == null ? "" : " " + wanted)} " +
                $"is not there ({root}). Add #r \"nuget: TorchSharp-cpu, {torchSharpVersion}\" to the first cell and run it again.");
        return folder;
    }

    static string PatchedCopyPath(byte[] original)
    {
        var hash = Convert.ToHexString(SHA256.HashData(original))[..16].ToLowerInvariant();
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(cache))
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "selfsim", "native", hash, "libLibTorchSharp.so");
    }
}

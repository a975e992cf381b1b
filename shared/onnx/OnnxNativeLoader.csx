#nullable enable
using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

/// <summary>
/// Makes ONNX Runtime's native library (libonnxruntime.so, onnxruntime.dll) loadable when the managed package runs straight
/// from NuGet package folders, as in the .NET Interactive kernel (<c>#r "nuget: Microsoft.ML.OnnxRuntime"</c>), where the
/// native library sits in a sibling package (microsoft.ml.onnxruntime/VERSION/runtimes/RID/native/) that no deps file names.
/// If the runtime's own lookup finds the library, this does nothing; otherwise it loads the sibling package's copy by its
/// full path, and the runtime's later lookup of "onnxruntime" finds the loaded library by its soname (as
/// <see cref="TorchNativeLoader"/> does for TorchSharp). <see cref="Status"/> says what it did.
/// </summary>
public static class OnnxNativeLoader
{
    /// <summary>What <see cref="EnsureLoadable"/> did.</summary>
    public static string Status { get; private set; } = "not checked";

    static readonly object Gate = new();
    static bool _done;

    /// <summary>Idempotent. Throws a <see cref="SelfSimException"/> naming the library and the fix when it cannot be found.</summary>
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
        var managed = typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly;
        if (NativeLibrary.TryLoad("onnxruntime", managed, null, out _)) return "not needed (the runtime finds onnxruntime)";
        var location = managed.Location;
        if (string.IsNullOrEmpty(location)) return "not needed (ONNX Runtime has no file location)";
        // <packages>/microsoft.ml.onnxruntime.managed/<version>/lib/<tfm>/Microsoft.ML.OnnxRuntime.dll
        var managedPackage = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(location)!, "..", ".."));
        var version = Path.GetFileName(managedPackage);
        var packages = Path.GetFullPath(Path.Combine(managedPackage, "..", ".."));
        var rid = RuntimeInformation.RuntimeIdentifier.StartsWith("linux", StringComparison.Ordinal)
            ? (RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64")
            : OperatingSystem.IsWindows() ? (RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "win-arm64" : "win-x64")
            : OperatingSystem.IsMacOS() ? "osx-arm64" : RuntimeInformation.RuntimeIdentifier;
        var file = OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";
        var candidates = new[] { "microsoft.ml.onnxruntime", "microsoft.ml.onnxruntime.gpu.linux", "microsoft.ml.onnxruntime.gpu" }
            .Select(p => Path.Combine(packages, p, version, "runtimes", rid, "native", file)).ToList();
        var found = candidates.FirstOrDefault(File.Exists)
            ?? throw new SelfSimException($"ONNX Runtime's native library {file} was not found (looked beside the program and in {candidates[0]}). " +
                                          $"Add #r \"nuget: Microsoft.ML.OnnxRuntime, {version}\" to the first cell (or restore the package again).");
        NativeLibrary.Load(found);
        return $"applied: loaded {found} (the runtime's own lookup did not find onnxruntime)";
    }
}

using System;
using System.IO;
using System.Linq;

namespace SelfSim.Cli;

/// <summary>What `doctor` says about TorchSharp's native library and the GLIBCXX patch.</summary>
public sealed record NativeStatus(string? LibraryPath, bool? SystemProvidesVersion, bool? NeedIsWeak, string Summary)
{
    public static NativeStatus Inspect(string? baseDir = null)
    {
        baseDir ??= AppContext.BaseDirectory;
        if (!OperatingSystem.IsLinux())
            return new NativeStatus(null, null, null, "not needed (not Linux)");
        var lib = Directory.EnumerateFiles(baseDir, "libLibTorchSharp.so", SearchOption.AllDirectories).FirstOrDefault();
        bool? provides = ElfVersionNeeds.SystemProvides(ElfVersionNeeds.TorchSharpGlibcxxVersion);
        if (lib == null)
            return new NativeStatus(null, provides, null, $"libLibTorchSharp.so not found under {baseDir}");
        var needs = ElfVersionNeeds.ReadNeeds(File.ReadAllBytes(lib)) ?? new();
        var need = needs.FirstOrDefault(n => n.Version == ElfVersionNeeds.TorchSharpGlibcxxVersion);
        if (need == null)
            return new NativeStatus(lib, provides, null, $"not needed (this libLibTorchSharp.so does not ask for {ElfVersionNeeds.TorchSharpGlibcxxVersion})");
        string summary = (provides, need.IsWeak) switch
        {
            (true, false) => $"not needed (system libstdc++ provides {need.Version}); library unpatched",
            (true, true) => $"applied (harmless: system libstdc++ also provides {need.Version})",
            (_, true) => $"applied ({need.Version} need marked weak; system libstdc++ lacks it)",
            (_, false) => $"MISSING: system libstdc++ lacks {need.Version} and the library is unpatched. Rebuild with `dotnet build` so the post-build step patches it.",
        };
        return new NativeStatus(lib, provides, need.IsWeak, summary);
    }
}

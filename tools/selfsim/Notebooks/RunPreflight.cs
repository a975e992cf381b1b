using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace SelfSim.Cli.Notebooks;

/// <summary>What <see cref="RunPreflight.Check"/> found: <see cref="Errors"/> stop the run before its first cell, each
/// <see cref="Notes"/> line names an optional thing that is missing and what that costs.</summary>
public sealed record PreflightReport(IReadOnlyList<string> Errors, IReadOnlyList<string> Notes, IReadOnlyList<string> Checked, TimeSpan Elapsed)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// `selfsim run`'s check before the first cell, in well under a second: the data the notebooks read (the embedded
/// MNIST), free disk space where outputs go, that every output folder and cache is writable, the NuGet packages the
/// notebooks pin, and the optional Chromium. It stops the run only for what would make it fail; a missing optional
/// thing is one line, said once per run, with what it costs.
/// </summary>
public static class RunPreflight
{
    /// <summary>Disk space one notebook's outputs take at most, measured on the default run (executed notebook about
    /// 5 MB, figures about 4 MB each as HTML with plotly.js inline, SVG/PNG, and its share of the site), with margin.</summary>
    public const long BytesPerNotebook = 64L << 20;

    /// <summary>Runs every check. <paramref name="outputs"/> are the folders the run writes into (executed notebooks,
    /// figures, site, summary).</summary>
    public static PreflightReport Check(IReadOnlyList<string> notebooks, IEnumerable<string> outputs)
    {
        var clock = Stopwatch.StartNew();
        var errors = new List<string>();
        var notes = new List<string>();
        var ok = new List<string>();

        CheckData(notebooks, errors, notes);
        if (errors.Count == 0 && notes.Count == 0) ok.Add("MNIST");
        var folders = outputs.Select(Path.GetFullPath).Distinct().ToList();
        foreach (var folder in folders)
            if (NotWritable(folder) is string why)
                errors.Add($"output folder {folder} is not writable ({why}): choose another with --out, --figures or --site.");
        if (errors.Count == 0) ok.Add("outputs writable");
        CheckSpace(folders, notebooks.Count, errors, ok);
        CheckCaches(notebooks, errors, notes, ok);
        if (StaticFigureExporter.FindChromium() == null) notes.Add(StaticFigureExporter.MissingCost);
        else ok.Add("Chromium");
        return new PreflightReport(errors, notes, ok, clock.Elapsed);
    }

    /// <summary>The embedded MNIST (data/mnist/), found as the notebooks find it (DataPaths.Default in the kernel
    /// process): $SELFSIM_DATA, else data/ beside global.json above the notebook, else above this program. Each file
    /// must be gzip, not a Git LFS pointer. With no data folder at all, only notebooks that read MNIST would fail: a note.</summary>
    static void CheckData(IReadOnlyList<string> notebooks, List<string> errors, List<string> notes)
    {
        var spec = DatasetCatalog.Get("mnist");
        var env = Environment.GetEnvironmentVariable(DataPaths.EnvironmentVariable);
        var roots = notebooks.Select(nb => !string.IsNullOrWhiteSpace(env)
                ? Path.GetFullPath(env)
                : DataPaths.FindAbove(Path.GetDirectoryName(Path.GetFullPath(nb))!) ?? DataPaths.FindAbove(AppContext.BaseDirectory))
            .Distinct().ToList();
        foreach (var root in roots)
        {
            if (root == null)
            {
                notes.Add($"no data/ folder beside global.json above the notebooks: a notebook that reads MNIST will fail " +
                          $"(set {DataPaths.EnvironmentVariable} to a folder that holds mnist/).");
                continue;
            }
            foreach (var name in spec.ExpectedFiles)
            {
                var file = Path.Combine(root, spec.Folder, name);
                var problem = !File.Exists(file) ? "is missing"
                    : !IsGzip(file) ? "is not gzip (a Git LFS pointer, or damaged)" : null;
                if (problem != null)
                    errors.Add($"data: {file} {problem}: `selfsim data fetch mnist` writes a verified copy.");
            }
        }
    }

    static bool IsGzip(string file)
    {
        using var s = File.OpenRead(file);
        return s.ReadByte() == 0x1f && s.ReadByte() == 0x8b;
    }

    /// <summary>Why <paramref name="folder"/> cannot be written (after creating it), or null: a probe file is written and removed.</summary>
    static string? NotWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".selfsim-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, new byte[] { 1 });
            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>Free space on each file system the outputs go to, against <see cref="BytesPerNotebook"/> per notebook.</summary>
    static void CheckSpace(IReadOnlyList<string> folders, int notebooks, List<string> errors, List<string> ok)
    {
        long need = BytesPerNotebook * Math.Max(1, notebooks);
        long least = long.MaxValue;
        foreach (var folder in folders.Append(Path.GetTempPath()))
        {
            if (!Directory.Exists(folder)) continue;
            long free;
            try { free = new DriveInfo(folder).AvailableFreeSpace; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { continue; }
            least = Math.Min(least, free);
            if (free < need)
                errors.Add($"disk: {Mb(free)} free for {folder}, and the run writes up to about {Mb(need)} there: " +
                           "free some space or choose another folder.");
        }
        if (least != long.MaxValue && least >= need) ok.Add($"{Mb(least)} free");
    }

    /// <summary>The temporary folder (the kernel processes' result files), the NuGet packages folder (the notebooks'
    /// <c>#r "nuget: …"</c>) and, on a Linux whose libstdc++ lacks GLIBCXX_3.4.32, the native-library cache
    /// (TorchNativeLoader).</summary>
    static void CheckCaches(IReadOnlyList<string> notebooks, List<string> errors, List<string> notes, List<string> ok)
    {
        int before = errors.Count;
        if (NotWritable(Path.GetTempPath()) is string tmp)
            errors.Add($"temporary folder {Path.GetTempPath()} is not writable ({tmp}): set TMPDIR to a writable folder.");

        var packages = NuGetPackagesFolder();
        var missing = PinnedPackages(notebooks)
            .Where(p => !Directory.Exists(Path.Combine(packages, p.Id.ToLowerInvariant(), p.Version.ToLowerInvariant())))
            .Select(p => $"{p.Id} {p.Version}").ToList();
        if (missing.Count > 0)
        {
            if (NotWritable(packages) is string why)
                errors.Add($"the notebooks need NuGet packages that are not in {packages} ({string.Join(", ", missing)}) and that " +
                           $"folder is not writable ({why}): set NUGET_PACKAGES to a writable folder.");
            else
                notes.Add($"NuGet packages not yet cached: {string.Join(", ", missing)}: the first notebook restores them " +
                          "from nuget.org (network needed, about a minute once).");
        }

        if (OperatingSystem.IsLinux() && ElfVersionNeeds.SystemProvides("GLIBCXX_3.4.32") == false)
        {
            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrWhiteSpace(cache))
                cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            var native = Path.Combine(cache, "selfsim", "native");
            if (NotWritable(native) is string why)
                errors.Add($"cache {native} is not writable ({why}): this libstdc++ lacks GLIBCXX_3.4.32, so the kernel keeps a " +
                           "patched copy of libLibTorchSharp.so there; set XDG_CACHE_HOME to a writable folder.");
        }
        if (errors.Count == before) ok.Add("caches writable");
    }

    /// <summary>$NUGET_PACKAGES, else ~/.nuget/packages (where the kernel's <c>#r "nuget: …"</c> restores to).</summary>
    static string NuGetPackagesFolder()
    {
        var env = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        return !string.IsNullOrWhiteSpace(env)
            ? Path.GetFullPath(env)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }

    static readonly Regex NuGetReference = new(@"^#r\s+""nuget:\s*([^,""\s]+)\s*,\s*([^""\s]+)\s*""", RegexOptions.Multiline);

    /// <summary>Every <c>#r "nuget: Id, Version"</c> in the notebooks' code cells.</summary>
    static IEnumerable<(string Id, string Version)> PinnedPackages(IReadOnlyList<string> notebooks) =>
        notebooks.SelectMany(nb =>
        {
            try { return KernelNotebookHost.Read(Path.GetFullPath(nb)).Elements.Select(e => e.Contents ?? "").ToList(); }
            catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException) { return new List<string>(); }
        })
        .SelectMany(code => NuGetReference.Matches(code).Select(m => (m.Groups[1].Value, m.Groups[2].Value)))
        .Distinct();

    static string Mb(long bytes) => bytes >= 10L << 30 ? $"{bytes / (double)(1L << 30):F0} GB" : $"{bytes / (double)(1L << 20):F0} MB";

    /// <summary>Prints the report: one line for what passed, one per note; each error on its own line.</summary>
    public static void Print(PreflightReport report, TextWriter log)
    {
        foreach (var e in report.Errors) log.WriteLine($"selfsim run: preflight: {e}");
        if (report.Ok)
            log.WriteLine($"selfsim run: preflight ok in {report.Elapsed.TotalSeconds:F1} s ({string.Join(", ", report.Checked)})");
        foreach (var n in report.Notes) log.WriteLine($"selfsim run: {n}");
    }
}

using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using SelfSim.Cli.Notebooks;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace SelfSim.Tests.Apps;

/// <summary>The folders the app runs share: one results folder (so 01-03 reuse 00's trained MLP and 07 reuses 04's
/// survey and 06's runs, as under `selfsim run`) and one figures folder per app.</summary>
public sealed class AppRunFolders : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("selfsim-apps-").FullName;
    public void Dispose() { try { Directory.Delete(Root, true); } catch (IOException) { } }
}

/// <summary>Runs a class's test cases in the order of their names (xunit's default order is by a hash of each case's
/// id), so the chapter apps run 00, 01, ... as the notebooks do.</summary>
public sealed class ChapterOrder : ITestCaseOrderer
{
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.DisplayName, StringComparer.Ordinal);
}

/// <summary>
/// Every chapter runs as a file-based app without the kernel: `dotnet build apps/NN-name.cs` (what the first
/// `dotnet run` does), then `dotnet run --no-build apps/NN-name.cs` at smoke size exits 0 and writes at least one figure
/// file, whose path it prints. Each app has its own figures folder in a temp folder, and each step a time limit, so the
/// test is bounded and safe beside the others (nothing in the checkout is written except the Debug build of shared/,
/// which the first app makes and the others reuse, and which no other test uses). The apps run one after another, in
/// chapter order, because 01-03 reuse 00's trained MLP and 07 reuses 04's survey and 06's runs (the shared results
/// folder), as under `selfsim run`. The log gives each app's build and run seconds.
/// </summary>
[TestCaseOrderer("SelfSim.Tests.Apps.ChapterOrder", "SelfSim.Tests")]
public sealed class AppSmokeTests : IClassFixture<AppRunFolders>
{
    // measured on the 2-core machine beside other jobs (load average 18-27): build 9-15 s (the first app 55 s, with
    // the shared library), run 5-37 s per app at smoke size; 9 apps in 4 min 56 s
    static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(3);
    static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(4);
    readonly AppRunFolders _folders;
    readonly ITestOutputHelper _log;

    public AppSmokeTests(AppRunFolders folders, ITestOutputHelper log) { _folders = folders; _log = log; }

    /// <summary>Every notebook the export makes an app of, so a new chapter is covered without a change here.</summary>
    public static IEnumerable<object[]> Chapters() =>
        AppExporter.NotebooksIn(RepoPaths.Notebooks).Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Chapter_runs_as_an_app_in_smoke_mode(string chapter)
    {
        var app = Path.Combine("apps", chapter + ".cs");
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, app)), $"{app} is missing; run `selfsim export notebooks --to app --out apps`");
        var figures = Path.Combine(_folders.Root, "figures", chapter);

        var (buildCode, buildSeconds, buildOutput) = Dotnet(BuildLimit, null, "build", app);
        Assert.True(buildCode == 0, $"`dotnet build {app}` exited {buildCode}:\n{Tail(buildOutput)}");
        var (runCode, runSeconds, output) = Dotnet(RunLimit, figures, "run", "--no-build", app);
        _log.WriteLine($"{app}: build {buildSeconds:F1} s, run {runSeconds:F1} s at smoke size, load average {LoadAverage()}");
        Assert.True(runCode == 0, $"{app} exited {runCode}:\n{Tail(output)}");

        var files = Directory.Exists(figures) ? Directory.GetFiles(figures, "*.html") : Array.Empty<string>();
        Assert.True(files.Length >= 1, $"{app} wrote no figure into {figures}:\n{Tail(output)}");
        var printed = Regex.Matches(output, @"^figure: (\S+\.html)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.True(printed.Count >= 1, $"{app} printed no `figure: PATH` line:\n{Tail(output)}");
        foreach (var path in printed) Assert.True(File.Exists(path), $"{app} printed figure {path}, which does not exist");
        Assert.Contains("(smoke)", output);   // tables and titles say the size
    }

    /// <summary>Runs `dotnet ARGS` in the checkout at smoke size, charts into <paramref name="figures"/>; kills it past
    /// <paramref name="limit"/>.</summary>
    (int Code, double Seconds, string Output) Dotnet(TimeSpan limit, string? figures, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);   // the test host's MSBuild settings are not the app build's
        psi.Environment["SELFSIM_SIZE"] = "smoke";
        psi.Environment.Remove("SELFSIM_SMOKE");
        if (figures != null) psi.Environment["SELFSIM_FIGURES"] = figures;
        psi.Environment["SELFSIM_RESULTS"] = Path.Combine(_folders.Root, "results");
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine("stderr: " + e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(limit))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            Assert.Fail($"`dotnet {string.Join(" ", args)}` ran past {limit.TotalMinutes} min at smoke size:\n{Tail(output)}");
        }
        p.WaitForExit();
        lock (output) return (p.ExitCode, clock.Elapsed.TotalSeconds, output.ToString());
    }

    static string Tail(StringBuilder sb) => Tail(sb.ToString());

    static string Tail(string s) => s.Length <= 4000 ? s : "..." + s[^4000..];

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

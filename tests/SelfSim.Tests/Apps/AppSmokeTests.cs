using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace SelfSim.Tests.Apps;

/// <summary>The folders the app runs share: one results folder (so 01-03 reuse 00's trained MLP and 07 reuses 04's
/// survey and 06's runs, as under `selfsim run`) and one figures folder per app.</summary>
public sealed class AppRunFolders : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("selfsim-apps-").FullName;
    public void Dispose() { try { Directory.Delete(Root, true); } catch (IOException) { } }
}

/// <summary>
/// Every chapter runs as a file-based app without the kernel: `dotnet run apps/NN-name.cs` at smoke size exits 0 and
/// writes at least one figure file. Each run has its own figures folder in a temp folder and a time limit, so the
/// test is safe beside the others (nothing in the checkout is written except the build of shared/ in Debug, which
/// no other test uses). The apps run one after another, in chapter order.
/// </summary>
public sealed class AppSmokeTests : IClassFixture<AppRunFolders>
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(12);
    readonly AppRunFolders _folders;
    readonly ITestOutputHelper _log;

    public AppSmokeTests(AppRunFolders folders, ITestOutputHelper log) { _folders = folders; _log = log; }

    public static IEnumerable<object[]> Chapters() =>
        Directory.GetFiles(RepoPaths.Notebooks, "*.ipynb").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetFileNameWithoutExtension(f) });

    [Theory]
    [MemberData(nameof(Chapters))]
    public void Chapter_runs_as_an_app_in_smoke_mode(string chapter)
    {
        var app = Path.Combine("apps", chapter + ".cs");
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, app)), $"{app} is missing; run `selfsim export notebooks --to app --out apps`");
        var figures = Path.Combine(_folders.Root, "figures", chapter);
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("run");
        psi.ArgumentList.Add(app);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            psi.Environment.Remove(key);   // the test host's MSBuild settings are not the app build's
        psi.Environment["SELFSIM_SIZE"] = "smoke";
        psi.Environment.Remove("SELFSIM_SMOKE");
        psi.Environment["SELFSIM_FIGURES"] = figures;
        psi.Environment["SELFSIM_RESULTS"] = Path.Combine(_folders.Root, "results");
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (output) output.AppendLine("stderr: " + e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(Limit))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{app} ran past {Limit.TotalMinutes} min at smoke size:\n{Tail(output)}");
        }
        p.WaitForExit();
        _log.WriteLine($"{app}: {clock.Elapsed.TotalSeconds:F0} s (build and run), load average {LoadAverage()}");
        Assert.True(p.ExitCode == 0, $"{app} exited {p.ExitCode}:\n{Tail(output)}");
        var files = Directory.Exists(figures) ? Directory.GetFiles(figures, "*.html") : Array.Empty<string>();
        Assert.True(files.Length >= 1, $"{app} wrote no figure into {figures}:\n{Tail(output)}");
        Assert.Contains("figure: ", output.ToString());
        Assert.Contains("(smoke)", output.ToString());   // tables and titles say the size
    }

    static string Tail(StringBuilder sb)
    {
        var s = sb.ToString();
        return s.Length <= 4000 ? s : "..." + s[^4000..];
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

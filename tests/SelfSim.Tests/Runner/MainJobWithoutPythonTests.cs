using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using SelfSim.Cli;
using SelfSim.Cli.Notebooks;
using Xunit;
using Xunit.Abstractions;

namespace SelfSim.Tests.Runner;

/// <summary>
/// The main job on a machine with only the .NET SDK: `selfsim run NB --out --figures --site` in a child process that
/// can see neither Python nor Chromium. Where a mount namespace can be made (`unshare --mount` as root, as in CI, or
/// `unshare --user --map-root-user --mount` in a developer's shell), every python* in /usr/bin and /usr/local/bin and
/// every Chromium is covered by a bind mount of an empty, non-executable file, and the child checks that
/// /usr/bin/python3 no longer starts; PATH holds only the .NET SDK's folder. Where no namespace can be made, the
/// child gets that PATH and SELFSIM_NO_CHROMIUM=1 (the option the code honours) instead, and the test says so.
/// Either way the run must exit 0 with the figure as HTML only, a complete site, and the missing Chromium said once.
/// </summary>
[Collection("Runner")]
public sealed class MainJobWithoutPythonTests : IDisposable
{
    readonly string _tmp = Path.Combine(Path.GetTempPath(), "selfsim-bare-" + Guid.NewGuid().ToString("N")[..8]);
    readonly ITestOutputHelper _out;

    public MainJobWithoutPythonTests(ITestOutputHelper output)
    {
        _out = output;
        Directory.CreateDirectory(_tmp);
    }

    public void Dispose() { try { Directory.Delete(_tmp, true); } catch (IOException) { } }

    /// <summary>What the child must not find: Python interpreters and browsers, as the files behind their links.</summary>
    static List<string> Hidden()
    {
        var names = new List<string>();
        foreach (var dir in new[] { "/usr/bin", "/usr/local/bin" })
            if (Directory.Exists(dir)) names.AddRange(Directory.GetFiles(dir, "python*"));
        names.AddRange(new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
                               "/usr/bin/google-chrome-stable", "/usr/lib/chromium/chromium" });
        return names.Where(File.Exists)
            .Select(f => new FileInfo(f).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? f)
            .Where(File.Exists).Distinct().ToList();
    }

    static (int Code, string Output) Start(string file, IEnumerable<string> args, IDictionary<string, string> env, int timeoutMs)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs)) { p.Kill(entireProcessTree: true); return (-1, "timed out\n" + stdout.Result + stderr.Result); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Bind-mounts $1 over each path up to "--", checks that python3 is gone, then runs the rest.</summary>
    const string HideScript =
        "empty=$1; shift; while [ \"$1\" != -- ]; do PATH=/usr/bin:/bin mount --bind \"$empty\" \"$1\" || exit 97; shift; done; shift; " +
        "if /usr/bin/python3 -c 1 2>/dev/null; then echo 'python3 still runs'; exit 98; fi; exec \"$@\"";

    [Fact]
    public void Site_and_figures_are_written_with_neither_Python_nor_Chromium()
    {
        var nbDir = Path.Combine(_tmp, "nbs");
        Directory.CreateDirectory(nbDir);
        var nb = Path.Combine(nbDir, "01-bare.ipynb");
        NotebookBuilder.ForProject("01 · A bare machine", Path.Combine(RepoPaths.Shared, "SelfSim.csx"))
            .Markdown("One chart, saved and shown. Raw HTML stays text: <script>alert(1)</script>")
            .Code("var chart = ChartLayout.Titled(Plotly.NET.CSharp.Chart.Line<double, double, string>(\n" +
                  "    new[] { 1.0, 2.0, 4.0 }, new[] { 8.0, 4.0, 2.0 }), \"Boxes against size\", \"l_B\", \"N_B\");\n" +
                  "var saved = Figures.Save(chart, \"bare-figure\");\nchart")
            .Build().Save(nb);

        var dotnet = Environment.ProcessPath is string host && Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? host : "/usr/share/dotnet/dotnet";
        var dotnetDir = Path.GetDirectoryName(new FileInfo(dotnet).ResolveLinkTarget(true)?.FullName ?? dotnet)!;
        var selfsim = typeof(RunCommand).Assembly.Location;
        string figures = Path.Combine(_tmp, "figures"), site = Path.Combine(_tmp, "site"), outDir = Path.Combine(_tmp, "out");
        var run = new[] { Path.Combine(dotnetDir, "dotnet"), selfsim, "run", nb, "--out", outDir, "--figures", figures,
                          "--site", site, "--size", "smoke", "--quiet" };
        var env = new Dictionary<string, string>
        {
            ["PATH"] = dotnetDir,
            ["DOTNET_ROOT"] = dotnetDir,
            ["DOTNET_HOST_PATH"] = Path.Combine(dotnetDir, "dotnet"),
            ["SELFSIM_DATA"] = RepoPaths.Data,
            ["SELFSIM_CHROMIUM"] = "",
            ["SELFSIM_NO_CHROMIUM"] = "",
        };

        var empty = Path.Combine(_tmp, "empty");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        var hidden = Hidden();
        var wrapped = new List<string> { "-c", HideScript, "sh", empty };
        wrapped.AddRange(hidden);
        wrapped.Add("--");
        wrapped.AddRange(run);
        (int Code, string Output) result = (-2, "unshare not found");
        string how = "";
        if (File.Exists("/usr/bin/unshare"))
            foreach (var flags in new[] { new[] { "--mount", "--propagation", "private" },
                                          new[] { "--user", "--map-root-user", "--mount", "--propagation", "private" } })
            {
                result = Start("/usr/bin/unshare", flags.Concat(new[] { "/bin/sh" }).Concat(wrapped), env, 10 * 60_000);
                how = $"unshare {string.Join(' ', flags)}, {hidden.Count} files hidden";
                _out.WriteLine($"{how}: exit {result.Code}: {result.Output.Split('\n')[0]}");
                // 97: a bind mount failed; 1 with "unshare:" at the start: no namespace (not permitted here)
                if (result.Code != 97 && !result.Output.StartsWith("unshare:", StringComparison.Ordinal)) break;
            }
        if (result.Code == 97 || result.Code == -2 || result.Output.StartsWith("unshare:", StringComparison.Ordinal))
        {
            how = "no mount namespace here: PATH without Python and SELFSIM_NO_CHROMIUM=1";
            env[StaticFigureExporter.NoChromiumVariable] = "1";
            result = Start(run[0], run.Skip(1), env, 10 * 60_000);
        }
        _out.WriteLine(how);
        _out.WriteLine(result.Output);
        Assert.True(result.Code == 0, $"{how}: exit {result.Code}\n{result.Output}");

        // the missing Chromium is said once, as one line with its cost; no figure prints an export failure
        Assert.Single(Regex.Matches(result.Output, Regex.Escape(StaticFigureExporter.MissingCost)));
        Assert.DoesNotContain("export failed", result.Output);
        Assert.Contains("preflight ok", result.Output);

        // the figure: HTML with plotly.js inline, no SVG/PNG
        var html = Assert.Single(Directory.GetFiles(figures, "*.html"));
        Assert.Equal("bare-figure-smoke.html", Path.GetFileName(html));
        Assert.Contains("Plotly.newPlot", File.ReadAllText(html));
        Assert.Empty(Directory.GetFiles(figures, "*.svg").Concat(Directory.GetFiles(figures, "*.png")));

        // the site: index, the chapter with its chart and highlighted code, one local plotly.js, the Markdown's script as text
        Assert.True(File.Exists(Path.Combine(site, "index.html")));
        Assert.Single(Directory.GetFiles(site, "plotly-*.min.js"));
        var page = File.ReadAllText(Path.Combine(site, "01-bare.html"));
        Assert.Contains("01 · A bare machine", page);
        Assert.Contains("<span class=\"nc\">Figures</span>", page);
        Assert.Contains("newPlot", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.DoesNotContain("<script>alert(1)", page);
        Assert.Contains("01-bare.html", File.ReadAllText(Path.Combine(site, "index.html")));
    }
}

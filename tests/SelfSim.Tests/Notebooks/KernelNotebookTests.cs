using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace SelfSim.Tests.Notebooks;

/// <summary>One temporary figures/results folder for the whole collection, so notebook 07 finds what 06 saved.</summary>
public sealed class KernelRunFolder : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("selfsim-nbconvert-").FullName;
    public void Dispose() { try { Directory.Delete(Root, true); } catch (IOException) { } }
}

/// <summary>
/// Every notebook runs in the REAL .NET Interactive C# kernel, the way a Jupyter user runs it: `python3 -m nbconvert
/// --to notebook --execute` with the kernel pinned in .config/dotnet-tools.json (registered by the user, or provisioned
/// for the test by <see cref="JupyterKernelSpec"/>). Smoke size. A notebook fails on any error output, on outputs that
/// lack what the chapter must show (<see cref="NotebookOutputs.Expected"/>, searched in outputs, not source), on
/// compiler diagnostics printed into a cell, and when it shows no Plotly chart. No skipping: when Jupyter is missing the test fails
/// and says how to install it.
/// </summary>
[Collection("Runner")]
public sealed class KernelNotebookTests : IClassFixture<KernelRunFolder>
{
    readonly KernelRunFolder _folder;
    readonly ITestOutputHelper _log;

    public KernelNotebookTests(KernelRunFolder folder, ITestOutputHelper log) { _folder = folder; _log = log; }

    public static IEnumerable<object[]> Collection() =>
        Directory.GetFiles(RepoPaths.Notebooks, "*.ipynb").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => new object[] { n! });

    /// <summary>Python with nbconvert (Debian's python3-nbconvert); the `python3` on PATH may be a bare pyenv shim.</summary>
    internal static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>Problems in an executed notebook: error outputs, compiler diagnostics on stderr. Empty when clean.</summary>
    internal static List<string> Problems(JsonObject nb)
    {
        var problems = new List<string>();
        var cells = nb["cells"]!.AsArray();
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i]!["outputs"] is not JsonArray outputs) continue;
            foreach (var o in outputs.OfType<JsonObject>())
            {
                var type = (string?)o["output_type"];
                if (type == "error")
                    problems.Add($"cell {i}: {(string?)o["ename"]}: {(string?)o["evalue"]}");
                else if (type == "stream" && (string?)o["name"] == "stderr")
                {
                    // CS1701 (TorchSharp was built against System.Runtime.Numerics 8.0; the kernel runs 10.0) has no
                    // source location, so no #pragma can silence it; it is harmless and the only diagnostic allowed.
                    var text = string.Join("\n", Text(o["text"]).Split('\n').Where(l => !l.Contains("warning CS1701")));
                    if (text.Contains("error CS") || text.Contains("warning CS") || text.Contains("Exception"))
                        problems.Add($"cell {i} printed to stderr: {text[..Math.Min(text.Length, 600)]}");
                }
                else if ((type == "execute_result" || type == "display_data") && o["data"] is JsonObject data)
                {
                    // Records and lists show as captioned tables with rounded values (HTML(Tables.Of(...))), never as the
                    // kernel's raw dump ("Estimate = 2.0288016936479467"); chart JSON inside <script> does not count.
                    var shown = Regex.Replace(Text(data["text/html"]) + "\n" + Text(data["text/plain"]), "<script.*?</script>", "",
                        RegexOptions.Singleline);
                    var raw = Regex.Match(shown, @"\d\.\d{9,}");
                    if (raw.Success)
                        problems.Add($"cell {i} shows an unrounded number ({raw.Value}): a raw record dump; show it with HTML(Tables.Of(x, \"caption\"))");
                }
            }
        }
        return problems;
    }

    /// <summary>Chart outputs (ChartDisplay's HTML) in an executed notebook.</summary>
    internal static int Charts(JsonObject nb) => nb["cells"]!.AsArray().OfType<JsonObject>()
        .SelectMany(c => c["outputs"] is JsonArray a ? a.OfType<JsonObject>() : Enumerable.Empty<JsonObject>())
        .Count(o => Text(o["data"]?["text/html"]).Contains("class=\"selfsim-chart\""));

    internal static string Text(JsonNode? n) => n switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(x => (string?)x)),
        _ => (string?)n ?? "",
    };

    [Theory]
    [MemberData(nameof(Collection))]
    public void Notebook_runs_clean_in_the_real_kernel_through_nbconvert(string notebook)
    {
        var outDir = Path.Combine(_folder.Root, "executed");
        var env = new Dictionary<string, string>
        {
            ["SELFSIM_SIZE"] = "smoke",
            [Figures.FolderVariable] = Path.Combine(_folder.Root, "figures"),
        };
        foreach (var kv in JupyterKernelSpec.ChildEnvironment) env[kv.Key] = kv.Value;
        var watch = Stopwatch.StartNew();
        var (code, output) = JupyterKernelSpec.Run(Python,
            $"-m nbconvert --to notebook --execute --allow-errors --ExecutePreprocessor.timeout=1800 --output-dir \"{outDir}\" \"{notebook}\"",
            RepoPaths.Notebooks, env, timeoutMs: 40 * 60_000);
        _log.WriteLine($"{notebook}: nbconvert took {watch.Elapsed.TotalSeconds:F0} s");
        Assert.True(code == 0, $"{notebook}: nbconvert exited with {code}:\n{output[Math.Max(0, output.Length - 4000)..]}");
        var executed = Path.Combine(outDir, notebook);
        var nb = (JsonObject)JsonNode.Parse(File.ReadAllText(executed))!;
        var problems = Problems(nb);
        Assert.True(problems.Count == 0, $"{notebook} under the real kernel:\n" + string.Join("\n", problems));
        // what the chapter must show (its by-hand check, its results), searched in the outputs, not the source
        var missing = NotebookOutputs.Missing(nb, NotebookOutputs.Expected.TryGetValue(
            Path.GetFileNameWithoutExtension(notebook), out var expected) ? expected : Array.Empty<string>());
        Assert.True(missing.Count == 0, $"{notebook}: no output shows: " + string.Join(" | ", missing));
        Assert.True(Charts(nb) >= 1, $"{notebook}: no Plotly chart output (ChartDisplay) in {executed}");
        // the first chart of a session carries plotly.js itself, so charts draw offline
        Assert.Contains(nb["cells"]!.AsArray().OfType<JsonObject>(), c => (c["outputs"]?.ToJsonString() ?? "").Contains("plotly.js v"));
    }

    [Fact]
    public void The_checker_flags_raw_record_dumps_but_not_tables_or_chart_data()
    {
        JsonObject Nb(string html) => (JsonObject)JsonNode.Parse(
            "{\"cells\":[{\"cell_type\":\"code\",\"outputs\":[{\"output_type\":\"execute_result\",\"data\":{\"text/html\":" +
            System.Text.Json.JsonSerializer.Serialize(html) + "}}]}]}")!;
        var dump = Problems(Nb("<table><tr><td>{ Estimate = 2.0288016936479467, Known = 2 }</td></tr></table>"));
        Assert.Contains("unrounded number (2.0288016936479467)", Assert.Single(dump));
        Assert.Empty(Problems(Nb("<table class=\"selfsim-record\"><tr><td>2.029</td></tr></table>")));
        Assert.Empty(Problems(Nb("<div></div><script>Plotly.newPlot('c', [{\"y\":[0.12345678901234]}]);</script>")));
    }
}

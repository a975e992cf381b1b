using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SelfSim.Cli.Notebooks;
using Xunit;
using Xunit.Abstractions;

namespace SelfSim.Tests.Runner;

/// <summary>Runner tests start kernels and share the machine's two cores: never in parallel.</summary>
[CollectionDefinition("Runner", DisableParallelization = true)]
public sealed class RunnerCollection { }

/// <summary>
/// `selfsim run` on the real .NET Interactive C# kernel (a kernel process per notebook), with the fixture notebooks in
/// tests/notebooks: state and outputs as the kernel records them, #load relative to the notebook, NuGet through the
/// kernel, failures that name cell and line, stop at the first failure, cell timeout, a cell that ends its process.
/// </summary>
[Collection("Runner")]
public sealed class NotebookRunnerTests : IDisposable
{
    readonly ITestOutputHelper _out;
    readonly string _tmp = Path.Combine(Path.GetTempPath(), "selfsim-runner-" + Guid.NewGuid().ToString("N")[..8]);

    public NotebookRunnerTests(ITestOutputHelper output) { _out = output; Directory.CreateDirectory(_tmp); }
    public void Dispose() { try { Directory.Delete(_tmp, true); } catch (IOException) { } }

    static string Notebook(string name) => Path.Combine(RepoPaths.Root, "tests", "notebooks", name + ".ipynb");

    async Task<NotebookRunResult> Run(string path, TimeSpan? timeout = null, RunSize size = RunSize.Smoke)
    {
        await using var runner = new NotebookRunner(new RunSettings
        {
            OutDir = Path.Combine(_tmp, "out"),
            FiguresDir = Path.Combine(_tmp, "figures"),
            Size = size,
            CellTimeout = timeout ?? RunSettings.DefaultCellTimeout,
        })
        { Log = _out.WriteLine };
        return await runner.RunAsync(path);
    }

    static JsonObject Reload(NotebookRunResult r) => (JsonObject)JsonNode.Parse(File.ReadAllText(r.Output!))!;
    static JsonArray Outputs(JsonObject nb, int cellIndex) => (JsonArray)nb["cells"]![cellIndex]!["outputs"]!;
    static string Text(JsonNode? n) => n is JsonArray a ? string.Concat(a.Select(x => (string?)x)) : (string?)n ?? "";
    static string All(JsonArray outputs) => outputs.ToJsonString(new System.Text.Json.JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep < and > readable
    });

    /// <summary>A one-off notebook of C# cells in the temporary folder.</summary>
    string Write(string name, params string[] cells)
    {
        var path = Path.Combine(_tmp, name + ".ipynb");
        var b = new NotebookBuilder();
        foreach (var c in cells) b.Code(c);
        b.Build().Save(path);
        return path;
    }

    [Fact]
    public void No_notebook_name_becomes_an_argument_string()
    {
        // issue 25: a name holding '"' injected --config=evil.py into a subprocess argument string. Every process the
        // tool starts takes an argument list (ArgumentList), never one string to split; tools/selfsim/Site is left to
        // its own issue (21), which replaces its nbconvert subprocess with a C# renderer.
        var offenders = new[] { "tools/selfsim", "shared" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, d), "*.*", SearchOption.AllDirectories))
            .Where(f => (f.EndsWith(".cs") || f.EndsWith(".csx")) && !f.Contains("/bin/") && !f.Contains("/obj/")
                        && !f.Contains("/tools/selfsim/Site/"))
            .SelectMany(f => File.ReadAllLines(f).Select((l, i) => (f, i, l)))
            .Where(x => System.Text.RegularExpressions.Regex.IsMatch(x.l, @"\.Arguments\s*=|new ProcessStartInfo\([^()]*,|Process\.Start\([^()]*,"))
            .Select(x => $"{Path.GetRelativePath(RepoPaths.Root, x.f)}:{x.i + 1}: {x.l.Trim()}").ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
        // and the runner hands the notebook's path to its kernel process as one list entry
        var runner = File.ReadAllText(Path.Combine(RepoPaths.Root, "tools/selfsim/Notebooks/NotebookRunner.cs"));
        Assert.Contains("psi.ArgumentList.Add(a)", runner);
    }

    [Fact]
    public async Task Raw_and_unknown_cells_are_inert_text_not_csharp()
    {
        // issue 25: Jupyter shows raw cells as text; run them and this throw would fail the notebook.
        var path = Path.Combine(_tmp, "inert.ipynb");
        File.WriteAllText(path, """
            {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
              {"cell_type": "raw", "id": "r1", "metadata": {}, "source": ["throw new System.Exception(\"raw ran\");"]},
              {"cell_type": "slide", "id": "u1", "metadata": {}, "source": ["throw new System.Exception(\"unknown ran\");"]},
              {"cell_type": "code", "id": "c1", "metadata": {}, "execution_count": null, "outputs": [], "source": ["Console.WriteLine(6 * 7);"]}
            ]}
            """);
        var r = await Run(path);
        Assert.True(r.Succeeded, string.Join("; ", r.Failures.Select(f => f.Describe())));
        Assert.Contains("42", All(Outputs(Reload(r), 2)));
    }

    [Fact]
    public async Task A_cell_printing_megabytes_is_capped_with_a_note_and_nothing_else_is_lost()
    {
        // issue 25: a cell printing 50 MB took minutes and GBs (string + string per event). 12 MB here, in 120k lines.
        var path = Write("loud", "var line = new string('y', 99);\nfor (int i = 0; i < 120_000; i++) Console.WriteLine(line);",
                         "Console.WriteLine(\"after \" + (6 * 7));");
        var r = await Run(path);
        Assert.True(r.Succeeded, string.Join("; ", r.Failures.Select(f => f.Describe())));
        Assert.True(new FileInfo(r.Output!).Length < 3_000_000, $"{new FileInfo(r.Output!).Length} bytes written");
        var loud = All(Outputs(Reload(r), 0));
        Assert.Contains("output truncated", loud);
        Assert.Contains("12,000,000 characters", loud);
        Assert.Contains("after 42", All(Outputs(Reload(r), 1)));
    }

    [Fact]
    public async Task State_outputs_and_streams_are_recorded_as_the_kernel_produces_them()
    {
        var r = await Run(Notebook("state"));
        Assert.True(r.Succeeded, string.Join("; ", r.Failures.Select(f => f.Describe())));
        Assert.Equal(new[] { 2, 3, 4, 5 }, r.Cells.Select(c => c.Cell).ToArray()); // cell 1 is markdown
        var nb = Reload(r);
        var second = Outputs(nb, 2);
        Assert.Contains("answer is 42", All(second));                        // Console.WriteLine
        Assert.Contains("displayed text", All(second));                      // display(...)
        var ret = second.OfType<JsonObject>().Single(o => (string?)o["output_type"] == "execute_result");
        Assert.Contains("<pre>42</pre>", Text(ret["data"]!["text/html"]));   // the cell's value, as the kernel formats it
        Assert.Contains("<b>bold</b>", All(Outputs(nb, 4)));                 // HTML(...)
        Assert.Contains(Outputs(nb, 4).OfType<JsonObject>(), o => (string?)o["name"] == "stderr" && Text(o["text"]).Contains("to stderr"));
        Assert.Equal(".net-csharp", (string?)nb["metadata"]!["kernelspec"]!["name"]);
    }

    [Fact]
    public async Task Load_is_relative_to_the_notebook_and_nuget_goes_through_the_kernel()
    {
        var chain = await Run(Notebook("load-chain"));
        Assert.True(chain.Succeeded, string.Join("; ", chain.Failures.Select(f => f.Describe())));
        Assert.Contains("<pre>42</pre>", All(Outputs(Reload(chain), 0))); // Outer.Value = 2 * Inner.Value from lib/inner.csx

        var unknown = await Run(Notebook("unknown-package"));
        var f = Assert.Single(unknown.Failures);
        Assert.Equal(1, f.Cell);
        Assert.Contains("Contoso.Charts", f.Message);
        Assert.DoesNotContain(unknown.Cells, c => c.Cell == 2); // stopped at the first failure
    }

    [Fact]
    public async Task Compile_and_runtime_errors_name_the_cell_and_stop_the_notebook()
    {
        var compile = await Run(Notebook("compile-error"));
        var c = Assert.Single(compile.Failures);
        Assert.Equal("cell 2, line 3: CS0029: Cannot implicitly convert type 'string' to 'int'", c.Describe());
        Assert.Equal(new[] { 1, 2 }, compile.Cells.Select(x => x.Cell).ToArray());
        var nb = Reload(compile);
        Assert.Contains(Outputs(nb, 1).OfType<JsonObject>(), o => (string?)o["output_type"] == "error");
        Assert.Empty(Outputs(nb, 2)); // never ran

        var runtime = await Run(Notebook("runtime-error"));
        var r = Assert.Single(runtime.Failures);
        Assert.Equal(2, r.Cell);
        Assert.Equal("runtime", r.Kind);
        Assert.Equal("System.InvalidOperationException", r.Type);
        Assert.Equal("boom at line 2", r.Message);
        Assert.DoesNotContain(runtime.Cells, x => x.Cell > 2);
    }

    [Fact]
    public async Task Charts_carry_plotly_inline_and_figures_export_to_svg()
    {
        var r = await Run(Notebook("chart"));
        Assert.True(r.Succeeded, string.Join("; ", r.Failures.Select(f => f.Describe())));
        var nb = Reload(r);
        var html = Text(Outputs(nb, 3).OfType<JsonObject>().Single(o => (string?)o["output_type"] == "execute_result")["data"]!["text/html"]);
        Assert.Contains("class=\"selfsim-chart\"", html);
        Assert.Contains("plotly.js v", html);                  // the first chart of the session carries the library
        Assert.DoesNotContain("<script src=", html);          // nothing loaded from outside
        Assert.Contains("\"name\":\"squares\"", html);
        var fig = Path.Combine(_tmp, "figures", "test-fig-smoke.html");   // a smoke run names its figures so
        Assert.True(File.Exists(fig));
        if (StaticFigureExporter.Unavailable() is string why) { _out.WriteLine("no SVG check: " + why); return; }
        var svg = File.ReadAllText(Path.ChangeExtension(fig, ".svg"));
        Assert.StartsWith("<svg", svg);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(svg, "class=\"trace scatter").Count);
    }

    [Fact]
    public async Task Size_reaches_the_notebook_and_dataframes_and_tensors_display()
    {
        var d = await Run(Notebook("dataframe"), size: RunSize.Smoke);
        Assert.True(d.Succeeded, string.Join("; ", d.Failures.Select(f => f.Describe())));
        var nb = Reload(d);
        Assert.Contains("square", All(Outputs(nb, 1)));
        Assert.Equal("smoke", Text(Outputs(nb, 3).OfType<JsonObject>().Single()["data"]!["text/plain"]));
        Assert.Null(Environment.GetEnvironmentVariable(RunMode.SizeVariable)); // set for the kernel process only
    }

    [Fact]
    public async Task A_cell_past_the_timeout_stops_its_kernel_and_fails_the_notebook()
    {
        var path = Write("slow", "var a = 1;", "System.Threading.Thread.Sleep(600_000);", "a");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // the first cell also starts the kernel (10-20 s on a busy 2-core machine), so the limit leaves room for it
        var r = await Run(path, timeout: TimeSpan.FromSeconds(60));
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(4), $"took {watch.Elapsed}");
        var f = Assert.Single(r.Failures);
        Assert.Equal(2, f.Cell);
        Assert.Equal("timeout", f.Kind);
        Assert.Contains("--cell-timeout", f.Message);
    }

    [Fact]
    public async Task A_cell_that_ends_the_process_fails_its_notebook_not_the_runner()
    {
        var path = Write("exit", "var a = 1;", "System.Environment.Exit(3);", "a");
        var r = await Run(path);
        var f = Assert.Single(r.Failures);
        Assert.Equal(2, f.Cell);
        Assert.Equal("exit", f.Kind);
        Assert.Contains("exit code 3", f.Message);
        Assert.Contains("Environment.Exit", f.Message);
    }
}

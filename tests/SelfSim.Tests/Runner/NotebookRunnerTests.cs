using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SelfSim.Cli.Notebooks;
using Xunit;
using Xunit.Abstractions;

namespace SelfSim.Tests.Runner;

/// <summary>The runner changes the working directory, Console and environment while a notebook runs: never in parallel.</summary>
[CollectionDefinition("Runner", DisableParallelization = true)]
public sealed class RunnerCollection { }

[Collection("Runner")]
public sealed class NotebookRunnerTests : IDisposable
{
    readonly ITestOutputHelper _out;
    readonly string _tmp = Path.Combine(Path.GetTempPath(), "selfsim-runner-" + Guid.NewGuid().ToString("N")[..8]);

    public NotebookRunnerTests(ITestOutputHelper output) => _out = output;
    public void Dispose() { try { Directory.Delete(_tmp, true); } catch (IOException) { } }

    static string Notebook(string name) => Path.Combine(RepoPaths.Root, "tests", "notebooks", name + ".ipynb");

    async Task<NotebookRunResult> Run(string name, bool continueOnError = false, bool smoke = false)
    {
        await using var runner = new NotebookRunner(new RunSettings
        {
            OutDir = Path.Combine(_tmp, "out"), FiguresDir = Path.Combine(_tmp, "figures"),
            ContinueOnError = continueOnError, Smoke = smoke,
        });
        return await runner.RunAsync(Notebook(name));
    }

    static JsonObject Reload(NotebookRunResult r) => (JsonObject)JsonNode.Parse(File.ReadAllText(r.Output!))!;

    static JsonArray Outputs(JsonObject nb, int cellIndex) => (JsonArray)nb["cells"]![cellIndex]!["outputs"]!;

    static string Text(JsonNode? mime) => mime is JsonArray a ? string.Concat(a.Select(x => (string?)x)) : (string?)mime ?? "";

    static JsonObject? Output(JsonArray outputs, string type) => outputs.OfType<JsonObject>().FirstOrDefault(o => (string?)o["output_type"] == type);

    [Fact]
    public async Task State_carries_across_cells_and_outputs_are_recorded_in_order()
    {
        var r = await Run("state");
        Assert.True(r.Succeeded, string.Join("; ", r.Failures.Select(f => f.Describe())));
        var nb = Reload(r);
        var cell3 = Outputs(nb, 2);
        Assert.Equal(new[] { "stream", "display_data", "execute_result" }, cell3.Select(o => (string?)o!["output_type"]).ToArray());
        Assert.Equal("answer is 42\n", Text(cell3[0]!["text"]));
        Assert.Equal("displayed text", Text(cell3[1]!["data"]!["text/plain"]));
        Assert.Equal("42", Text(cell3[2]!["data"]!["text/plain"]));
        Assert.Equal(2, (int)cell3[2]!["execution_count"]!);
        Assert.Equal(2, (int)nb["cells"]![2]!["execution_count"]!);

        // a list of records becomes a table with one row per record
        var table = Text(Output(Outputs(nb, 3), "execute_result")!["data"]!["text/html"]);
        Assert.Contains("<th>X</th><th>Y</th>", table);
        Assert.Contains("<tr><td>2</td><td>2</td><td>4</td></tr>", table);

        // HTML(...) via display, Console.Error as stderr, a using from an earlier cell, no result after ';'
        var last = Outputs(nb, 4);
        Assert.Equal("<b>bold</b>", Text(Output(last, "display_data")!["data"]!["text/html"]));
        Assert.Equal("to stderr\n", Text(Output(last, "stream")!["text"]));
        Assert.Null(Output(last, "execute_result"));
        // markdown passes through untouched
        Assert.Equal("markdown", (string?)nb["cells"]![0]!["cell_type"]);
        Assert.StartsWith("# State across cells", Text(nb["cells"]![0]!["source"]));
    }

    [Fact]
    public async Task Load_chains_resolve_relative_to_each_file()
    {
        var r = await Run("load-chain");
        Assert.True(r.Succeeded, string.Join("; ", r.Failures.Select(f => f.Describe())));
        Assert.Equal("42", Text(Output(Outputs(Reload(r), 0), "execute_result")!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Unknown_nuget_package_fails_naming_it_and_what_is_carried()
    {
        var r = await Run("unknown-package");
        var f = Assert.Single(r.Failures);
        Assert.Equal(1, f.Cell);
        Assert.Equal(2, f.Line);
        Assert.Contains("Contoso.Charts 1.2.3", f.Message);
        Assert.Contains("TorchSharp 0.107.0", f.Message);
        // the run stopped: the next cell has no outputs and no execution count
        var nb = Reload(r);
        Assert.Empty(Outputs(nb, 1));
        Assert.Null(nb["cells"]![1]!["execution_count"]);
        Assert.Equal("error", (string?)Outputs(nb, 0)[0]!["output_type"]);
    }

    [Fact]
    public async Task Compile_error_names_cell_line_and_compiler_message()
    {
        var r = await Run("compile-error");
        var f = Assert.Single(r.Failures);
        Assert.Equal((2, 3, "compile"), (f.Cell, f.Line!.Value, f.Kind));
        Assert.StartsWith("CS0029", f.Message);
        Assert.Equal("cell 2, line 3: CS0029: Cannot implicitly convert type 'string' to 'int'", f.Describe());
        var err = Output(Outputs(Reload(r), 1), "error")!;
        Assert.Equal("CompilationError", (string?)err["ename"]);
    }

    [Fact]
    public async Task Runtime_exception_names_cell_and_line_and_continue_on_error_goes_on()
    {
        var stop = await Run("runtime-error");
        var f = Assert.Single(stop.Failures);
        Assert.Equal((2, 2, "runtime", "System.InvalidOperationException"), (f.Cell, f.Line!.Value, f.Kind, f.Type));
        Assert.Equal("boom at line 2", f.Message);

        var goOn = await Run("runtime-error", continueOnError: true);
        Assert.Equal(2, goOn.Failures.Count);
        var deep = goOn.Failures[1];
        // thrown inside a #load-ed script: the failure names that file and its line
        Assert.Equal(3, deep.Cell);
        Assert.Equal(1, deep.Line);
        Assert.Equal(Path.Combine("lib", "thrower.csx"), deep.File);
        Assert.Equal(5, deep.FileLine);
        Assert.Equal("cell 3, line 1 (thrown in lib/thrower.csx, line 5): System.ArgumentException: thrower says: deep", deep.Describe());
        // state survived the failures: x was assigned before the throw in cell 2
        var nb = Reload(goOn);
        Assert.Equal("42", Text(Output(Outputs(nb, 3), "execute_result")!["data"]!["text/plain"]));
        Assert.Equal("System.InvalidOperationException", (string?)Output(Outputs(nb, 1), "error")!["ename"]);
    }

    [Fact]
    public async Task Chart_and_dataframe_and_tensor_outputs()
    {
        var r = await Run("chart");
        Assert.True(r.Succeeded, string.Join("; ", r.Failures.Select(f => f.Describe())));
        var nb = Reload(r);
        var chart = Output(Outputs(nb, 3), "execute_result")!["data"]!;
        var html = Text(chart["text/html"]);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("\"name\":\"squares\"", html);
        Assert.Contains($"plotly-{PlotlyJs.Version}.min.js", html);
        Assert.Equal("GenericChart (2 traces: scatter, scatter)", Text(chart["text/plain"]));
        var fig = Path.Combine(_tmp, "figures", "test-fig.html");
        Assert.True(File.Exists(fig));
        var page = File.ReadAllText(fig);
        Assert.DoesNotContain("<script src", page);             // nothing loaded from outside
        Assert.DoesNotContain("cdn.plot.ly/plotly-", page);
        Assert.Contains("plotly.js v" + PlotlyJs.Version, page); // the library itself is inlined
        Assert.Contains("\"text\":\"x value\"", page);

        var d = await Run("dataframe", smoke: true);
        Assert.True(d.Succeeded, string.Join("; ", d.Failures.Select(f => f.Describe())));
        var dnb = Reload(d);
        var table = Text(Output(Outputs(dnb, 1), "execute_result")!["data"]!["text/html"]);
        Assert.Equal(Formatters.RowLimit, System.Text.RegularExpressions.Regex.Matches(table, "<tr><td>").Count);
        Assert.Contains("<tr><td>19</td><td>19</td><td>361</td></tr>", table);
        Assert.Contains("10 more rows (30 rows × 2 columns)", table);
        Assert.Equal("Tensor [3, 4] float32 on cpu: 0, 1, 2, 3, 4, 5, … (12 values; min 0, max 11, mean 5.5)",
            Text(Output(Outputs(dnb, 2), "execute_result")!["data"]!["text/plain"]));
        Assert.Equal("1", Text(Output(Outputs(dnb, 3), "execute_result")!["data"]!["text/plain"])); // --smoke reached the notebook
        Assert.Null(Environment.GetEnvironmentVariable(NotebookRunner.SmokeVariable)); // and was restored
    }

    [Fact]
    public async Task Written_notebook_is_valid_nbformat_4_5_and_keeps_polyglot_metadata()
    {
        var schema = new JsonSchemaCheck((JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "notebooks", "nbformat.v4.5.schema.json")))!);
        foreach (var name in new[] { "state", "runtime-error", "chart" })
        {
            var r = await Run(name, continueOnError: true);
            var nb = Reload(r);
            var errors = schema.Validate(nb);
            Assert.True(errors.Count == 0, $"{name}: " + string.Join("\n", errors.Take(20)));
            Assert.Equal(".net-csharp", (string?)nb["metadata"]!["kernelspec"]!["name"]);
            Assert.Equal("csharp", (string?)nb["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]);
            Assert.All(nb["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code"),
                c => Assert.Equal("csharp", (string?)c!["metadata"]!["polyglot_notebook"]!["kernelName"]));
            Assert.Equal(5, (int)nb["nbformat_minor"]!);
        }
        // and the validator does catch a broken notebook
        var bad = (JsonObject)JsonNode.Parse(File.ReadAllText(Notebook("state")))!;
        bad["cells"]![1]!.AsObject().Remove("id");
        bad["cells"]![2]!["outputs"] = new JsonArray(new JsonObject { ["output_type"] = "stream", ["text"] = "no name" });
        var found = schema.Validate(bad);
        Assert.Contains(found, e => e.Contains("oneOf"));
    }

    [Fact]
    public async Task Svg_export_holds_the_chart_traces_when_chromium_is_installed()
    {
        if (StaticFigureExporter.Unavailable() is string why)
        {
            // CI installs chromium (.ci/run); there a missing browser is a failure, not a skip.
            Assert.True(Environment.GetEnvironmentVariable("CI") != "true", why);
            _out.WriteLine("skipped: " + why);
            return;
        }
        var r = await Run("chart");
        Assert.True(r.Succeeded, string.Join("; ", r.Failures.Select(f => f.Describe())));
        var svg = File.ReadAllText(Path.Combine(_tmp, "figures", "test-fig.svg"));
        Assert.StartsWith("<svg", svg);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(svg, "class=\"trace scatter").Count);
        Assert.Contains("width=\"640\"", svg);          // PaperStyle.Default size
        Assert.Contains(">x value<", svg);              // axis label applied by PaperStyle
        Assert.Contains(">y value<", svg);
        Assert.Contains(">squares<", svg);              // legend entries of both traces
        Assert.Contains(">doubles<", svg);
        Assert.Equal("1", Text(Output(Outputs(Reload(r), 4), "execute_result")!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Cells_share_one_thread_so_thread_local_torch_state_carries_over()
    {
        Directory.CreateDirectory(_tmp);
        var path = Path.Combine(_tmp, "threads.ipynb");
        new NotebookBuilder()
            .Code("#r \"nuget: TorchSharp, 0.107.0\"\nvar tid = Environment.CurrentManagedThreadId;\nTorchSharp.torch.set_grad_enabled(false);")
            .Code("await Task.Delay(20);\nawait Task.Yield();")
            .Code("$\"{Environment.CurrentManagedThreadId == tid} {TorchSharp.torch.is_grad_enabled()}\"")
            .Build().Save(path);
        await using var runner = new NotebookRunner(new RunSettings { Write = false });
        var r = await runner.RunAsync(path);
        Assert.True(r.Succeeded, string.Join("; ", r.Failures.Select(f => f.Describe())));
        Assert.Equal("True False", Text(Output(r.Document.Cells[2].Outputs, "execute_result")!["data"]!["text/plain"]));
    }

    [Fact]
    public async Task A_cell_past_the_timeout_fails_the_notebook_and_is_abandoned()
    {
        Directory.CreateDirectory(_tmp);
        var path = Path.Combine(_tmp, "slow.ipynb");
        new NotebookBuilder().Code("var n = 1;").Code("System.Threading.Thread.Sleep(20_000);").Code("n").Build().Save(path);
        await using var runner = new NotebookRunner(new RunSettings { Write = false, CellTimeout = TimeSpan.FromSeconds(1), ContinueOnError = true });
        var sw = Stopwatch.StartNew();
        var r = await runner.RunAsync(path);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), "the runner waited for the runaway cell");
        var f = Assert.Single(r.Failures);
        Assert.Equal((2, "timeout"), (f.Cell, f.Kind));
        Assert.Contains("--cell-timeout", f.Message);
        Assert.Empty(r.Document.Cells[2].Outputs); // nothing runs after an abandoned cell, even with --continue-on-error
    }

    [Fact]
    public async Task Tour_notebook_runs_in_smoke_mode()
    {
        await using var runner = new NotebookRunner(new RunSettings { Write = false, Smoke = true, FiguresDir = Path.Combine(_tmp, "figures") });
        var r = await runner.RunAsync(Path.Combine(RepoPaths.Notebooks, "00-tour.ipynb"));
        Assert.True(r.Succeeded, string.Join("; ", r.Failures.Select(f => f.Describe())));
        Assert.Equal("smoke run, 10 points", Text(Output(r.Document.Cells[3].Outputs, "execute_result")!["data"]!["text/plain"]));
        Assert.True(File.Exists(Path.Combine(_tmp, "figures", "00-tour-powerlaw.html")));
    }

    [Fact]
    public async Task Missing_chromium_keeps_the_html_figure_and_says_how_to_install_it()
    {
        var old = Environment.GetEnvironmentVariable(StaticFigureExporter.ChromiumVariable);
        Environment.SetEnvironmentVariable(StaticFigureExporter.ChromiumVariable, Path.Combine(_tmp, "no-such-chromium"));
        try
        {
            var r = await Run("chart");
            Assert.True(r.Succeeded, string.Join("; ", r.Failures.Select(f => f.Describe())));
            Assert.True(File.Exists(Path.Combine(_tmp, "figures", "test-fig.html")));
            Assert.False(File.Exists(Path.Combine(_tmp, "figures", "test-fig.svg")));
            var cell = Outputs(Reload(r), 4);
            Assert.Equal("0", Text(Output(cell, "execute_result")!["data"]!["text/plain"]));
            var warning = Text(Output(cell, "stream")!["text"]);
            Assert.Contains("apt-get install chromium", warning);
            Assert.Contains("SVG/PNG export failed", warning);
        }
        finally { Environment.SetEnvironmentVariable(StaticFigureExporter.ChromiumVariable, old); }
    }

    [Fact]
    public async Task Trivial_cell_overhead_after_warm_up()
    {
        Directory.CreateDirectory(_tmp);
        var path = Path.Combine(_tmp, "overhead.ipynb");
        var builder = new NotebookBuilder().Code("var i = 0;");
        for (int k = 0; k < 25; k++) builder.Code("i++;\ni");
        builder.Build().Save(path);
        await using var runner = new NotebookRunner(new RunSettings { Write = false });
        var r = await runner.RunAsync(path);
        Assert.True(r.Succeeded);
        var warm = r.Cells.Skip(6).Select(c => c.Elapsed.TotalMilliseconds).OrderBy(x => x).ToList();
        var median = warm[warm.Count / 2];
        _out.WriteLine($"trivial cell after warm-up: median {median:F1} ms, max {warm[^1]:F1} ms (goal < 100 ms); first cell {r.Cells[0].Elapsed.TotalMilliseconds:F0} ms");
        Console.WriteLine($"[runner] trivial cell overhead: median {median:F1} ms (goal < 100 ms)");
        Assert.Equal("25", Text(Output(Outputs(r.Document.Root, 25), "execute_result")!["data"]!["text/plain"]));
        Assert.True(median < 1000, $"a trivial cell took {median:F0} ms after warm-up");
    }
}

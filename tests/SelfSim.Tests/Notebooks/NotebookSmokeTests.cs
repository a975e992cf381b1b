using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SelfSim.Cli.Notebooks;
using Xunit;

namespace SelfSim.Tests.Notebooks;

/// <summary>
/// Every notebook of the collection runs headless in smoke mode through the same runner as `selfsim run --smoke`, in
/// process: no failing cell, every code cell recorded, and the outputs its prose talks about (charts, tables, saved
/// figures and results) are there. Phrases are searched in the cell OUTPUTS (<see cref="NotebookOutputs"/>), never in
/// the source, so a cell that prints something else fails its test. Each test gets fresh figure and result folders. The runner changes the working
/// directory, Console and environment, so these share the "Runner" collection (never in parallel).
/// </summary>
[Collection("Runner")]
public sealed class NotebookSmokeTests : IDisposable
{
    readonly string _tmp = Path.Combine(Path.GetTempPath(), "selfsim-nb-smoke-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() { try { Directory.Delete(_tmp, true); } catch (IOException) { } }

    async Task<JsonObject> RunSmoke(string name)
    {
        await using var runner = new NotebookRunner(new RunSettings
        {
            OutDir = Path.Combine(_tmp, "out"),
            FiguresDir = Path.Combine(_tmp, "figures"),
            Size = RunSize.Smoke,
        });
        var r = await runner.RunAsync(Path.Combine(RepoPaths.Notebooks, name + ".ipynb"));
        Assert.True(r.Succeeded, $"{name}: " + string.Join("; ", r.Failures.Select(f => f.Describe())));
        var nb = (JsonObject)JsonNode.Parse(File.ReadAllText(r.Output!))!;
        // every code cell after the two set-up cells ran and recorded its outputs
        var code = nb["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").Skip(2).ToList();
        Assert.All(code, c => Assert.NotNull(c!["execution_count"]));
        var missing = NotebookOutputs.Missing(nb, NotebookOutputs.Expected[name]);
        Assert.True(missing.Count == 0, $"{name}: no output shows: " + string.Join(" | ", missing));
        return nb;
    }

    static int Charts(JsonObject nb) => KernelNotebookTests.Charts(nb);

    [Fact]
    public async Task Tour_runs_in_smoke_mode()
    {
        var nb = await RunSmoke("00-tour");
        Assert.True(Charts(nb) >= 1);
        Assert.True(File.Exists(Path.Combine(_tmp, "figures", "00-tour-box-covering-smoke.html")));
    }

    [Fact]
    public async Task Feature_networks_runs_in_smoke_mode() => Assert.True(Charts(await RunSmoke("01-feature-networks")) >= 5);

    [Fact]
    public async Task Box_covering_runs_in_smoke_mode() => Assert.True(Charts(await RunSmoke("02-box-covering")) >= 6);

    [Fact]
    public async Task Degree_distributions_runs_in_smoke_mode() => Assert.True(Charts(await RunSmoke("03-degree-distributions")) >= 5);

    [Fact]
    public async Task Architectures_notebook_runs_in_smoke_mode()
    {
        var text = NotebookOutputs.Text(await RunSmoke("04-architectures"));
        Assert.Contains("Ranking by mean S", text);
        foreach (var model in ModelZoo.Names) Assert.Contains(model, text);
        Assert.True(File.Exists(Path.Combine(_tmp, "results", "04-survey-smoke.json")));
    }

    [Fact]
    public async Task Through_training_notebook_runs_in_smoke_mode()
    {
        var text = NotebookOutputs.Text(await RunSmoke("05-through-training"));
        Assert.Contains("Pearson r", text);
        Assert.Contains("probe measurements", text);
    }

    [Fact]
    public async Task Constrained_training_notebook_runs_in_smoke_mode()
    {
        var text = NotebookOutputs.Text(await RunSmoke("06-constrained-training"));
        Assert.Contains("Gradient audit: one row per node matrix (smoke)", text);
        Assert.Contains("The pre-registered decision rule (committed grid)", text);
        Assert.DoesNotContain("(committed grid) (smoke)", text);         // committed results are not smoke results
        Assert.Matches("(Undecided|Not supported|Supported on this set-up|The constraint did not move)", text);
        Assert.Contains("Pipeline check: every run (smoke)", text);
        Assert.True(File.Exists(Path.Combine(_tmp, "results", "06-experiment-smoke", "summary.csv")));
    }

    [Fact]
    public async Task Figures_notebook_runs_in_smoke_mode_and_writes_every_figure()
    {
        await RunSmoke("07-figures-for-papers");
        foreach (var f in new[] { "fig-box-cover", "fig-architectures-S", "fig-architectures-dB", "fig-constrained-accuracy", "fig-constrained-S" })
            Assert.True(File.Exists(Path.Combine(_tmp, "figures", f + "-smoke.html")), $"{f}-smoke.html was not written");
    }

    [Fact]
    public async Task Beyond_S_notebook_runs_in_smoke_mode()
    {
        var nb = await RunSmoke("09-beyond-s");
        var text = NotebookOutputs.Text(nb);
        Assert.Matches("(Yes, on these layers|No\\. The dimension closest to S|Too few layers to say)", text);
        Assert.Matches("the constraint moved the representations (further|no further) than a new seed does", text);
        Assert.True(Charts(nb) >= 4);                              // TwoNN fit, S vs TwoNN, two CKA heatmaps
    }
}

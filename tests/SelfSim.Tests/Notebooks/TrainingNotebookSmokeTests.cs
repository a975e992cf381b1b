using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SelfSim.Cli.Notebooks;
using Xunit;

namespace SelfSim.Tests.Notebooks;

/// <summary>
/// Notebooks 04-07 (architectures, through training, constrained training, figures) run headless in smoke mode without
/// error, as CI runs them. Each gets fresh figure and result folders, so none reuses another's saved survey or runs.
/// </summary>
[Collection("Runner")]
public sealed class TrainingNotebookSmokeTests : IDisposable
{
    readonly string _tmp = Path.Combine(Path.GetTempPath(), "selfsim-nb-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() { try { Directory.Delete(_tmp, true); } catch (IOException) { } }

    async Task<string> RunSmoke(string name)
    {
        await using var runner = new NotebookRunner(new RunSettings
        {
            OutDir = Path.Combine(_tmp, "out"), FiguresDir = Path.Combine(_tmp, "figures"), Smoke = true,
        });
        var r = await runner.RunAsync(Path.Combine(RepoPaths.Root, "notebooks", name + ".ipynb"));
        Assert.True(r.Succeeded, string.Join("; ", r.Failures.Select(f => f.Describe())));
        var nb = JsonNode.Parse(File.ReadAllText(r.Output!))!;
        // every code cell after the two set-up cells ran and recorded its outputs
        var code = nb["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").Skip(2).ToList();
        Assert.All(code, c => Assert.NotNull(c!["execution_count"]));
        return nb.ToJsonString();
    }

    [Fact]
    public async Task Architectures_notebook_runs_in_smoke_mode()
    {
        var text = await RunSmoke("04-architectures");
        Assert.Contains("Ranking by mean S", text);
        foreach (var model in ModelZoo.Names) Assert.Contains(model, text);
        Assert.True(File.Exists(Path.Combine(_tmp, "results", "04-survey-smoke.json")));
    }

    [Fact]
    public async Task Through_training_notebook_runs_in_smoke_mode()
    {
        var text = await RunSmoke("05-through-training");
        Assert.Contains("Pearson r", text);
        Assert.Contains("probe measurements", text);
    }

    [Fact]
    public async Task Constrained_training_notebook_runs_in_smoke_mode()
    {
        var text = await RunSmoke("06-constrained-training");
        Assert.Contains("paired seeds", text);
        Assert.True(File.Exists(Path.Combine(_tmp, "results", "06-experiment-smoke", "summary.csv")));
    }

    [Fact]
    public async Task Figures_notebook_runs_in_smoke_mode_and_writes_every_figure()
    {
        await RunSmoke("07-figures-for-papers");
        foreach (var f in new[] { "fig-box-cover", "fig-architectures-S", "fig-architectures-dB", "fig-constrained-accuracy", "fig-constrained-S" })
            Assert.True(File.Exists(Path.Combine(_tmp, "figures", f + ".html")), $"{f}.html was not written");
    }
}

using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SelfSim.Cli.Notebooks;
using Xunit;

namespace SelfSim.Tests.Notebooks;

/// <summary>
/// Notebooks 00-03 run headless in smoke mode through the same runner as `selfsim run --smoke`, in process. Each must finish
/// without a failing cell and produce the outputs its prose talks about (charts, tables). The runner changes the working
/// directory, Console and environment, so these share the "Runner" collection (never in parallel).
/// </summary>
[Collection("Runner")]
public sealed class IntroNotebookSmokeTests : IDisposable
{
    readonly string _tmp = Path.Combine(Path.GetTempPath(), "selfsim-nb-smoke-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() { try { Directory.Delete(_tmp, true); } catch (IOException) { } }

    async Task<JsonObject> RunSmoke(string name)
    {
        await using var runner = new NotebookRunner(new RunSettings
        {
            OutDir = Path.Combine(_tmp, "out"), FiguresDir = Path.Combine(_tmp, "figures"), Smoke = true,
        });
        var r = await runner.RunAsync(Path.Combine(RepoPaths.Notebooks, name + ".ipynb"));
        Assert.True(r.Succeeded, $"{name}: " + string.Join("; ", r.Failures.Select(f => f.Describe())));
        return (JsonObject)JsonNode.Parse(File.ReadAllText(r.Output!))!;
    }

    static int Charts(JsonObject nb) => nb["cells"]!.AsArray().OfType<JsonObject>()
        .SelectMany(c => c["outputs"] is JsonArray a ? a.OfType<JsonObject>() : Enumerable.Empty<JsonObject>())
        .Count(o => o["data"]?["text/plain"] is JsonNode t && (t is JsonArray arr ? string.Concat(arr.Select(x => (string?)x)) : (string?)t ?? "").StartsWith("GenericChart"));

    [Fact]
    public async Task Tour_runs_in_smoke_mode()
    {
        var nb = await RunSmoke("00-tour");
        Assert.True(Charts(nb) >= 1);
        Assert.True(File.Exists(Path.Combine(_tmp, "figures", "00-tour-box-covering.html")));
    }

    [Fact]
    public async Task Feature_networks_runs_in_smoke_mode() => Assert.True(Charts(await RunSmoke("01-feature-networks")) >= 5);

    [Fact]
    public async Task Box_covering_runs_in_smoke_mode() => Assert.True(Charts(await RunSmoke("02-box-covering")) >= 6);

    [Fact]
    public async Task Degree_distributions_runs_in_smoke_mode() => Assert.True(Charts(await RunSmoke("03-degree-distributions")) >= 5);
}

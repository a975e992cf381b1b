using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Plotly.NET;
using Xunit;

namespace SelfSim.Tests.Runner;

/// <summary>
/// The three run sizes (SELFSIM_SIZE), and what a smoke run must say on
/// everything it makes: figure file names end in "-smoke", figure and table titles say "(smoke)". These tests change
/// process environment variables, so they share the "Runner" collection with the notebook runs (never in parallel).
/// </summary>
[Collection("Runner")]
public sealed class RunSizeTests : IDisposable
{
    readonly string _tmp = Path.Combine(Path.GetTempPath(), "selfsim-size-" + Guid.NewGuid().ToString("N")[..8]);
    readonly Dictionary<string, string?> _saved = new();

    public RunSizeTests()
    {
        foreach (var k in new[] { RunMode.SizeVariable, RemovedSmokeVariable, Figures.FolderVariable })
            _saved[k] = Environment.GetEnvironmentVariable(k);
        Environment.SetEnvironmentVariable(RunMode.SizeVariable, null);
        Environment.SetEnvironmentVariable(RemovedSmokeVariable, null);
        Environment.SetEnvironmentVariable(Figures.FolderVariable, _tmp);
    }

    public void Dispose()
    {
        foreach (var (k, v) in _saved) Environment.SetEnvironmentVariable(k, v);
        try { Directory.Delete(_tmp, true); } catch (IOException) { }
    }

    const string RemovedSmokeVariable = "SELFSIM_SMOKE";

    static void Size(string? size) => Environment.SetEnvironmentVariable(RunMode.SizeVariable, size);

    [Fact]
    public void Unset_means_default_and_each_size_picks_its_value()
    {
        Assert.Equal(RunSize.Default, RunMode.Size);
        Assert.Equal("default", RunMode.Name);
        Assert.Equal(20, RunMode.Pick(smoke: 1, @default: 20, full: 300));
        Size("smoke");
        Assert.True(RunMode.Smoke);
        Assert.Equal(1, RunMode.Pick(smoke: 1, @default: 20, full: 300));
        Size(" Full ");
        Assert.True(RunMode.Full);
        Assert.Equal(300, RunMode.Pick(smoke: 1, @default: 20, full: 300));
        Assert.Equal("full", RunMode.Name);
    }

    [Fact]
    public void The_removed_smoke_alias_is_an_error_that_names_the_size_variable()
    {
        Environment.SetEnvironmentVariable(RemovedSmokeVariable, "1");
        var e = Assert.Throws<SelfSimException>(() => RunMode.Size);
        Assert.Contains("SELFSIM_SIZE=smoke", e.Message);
        Size("default");
        Assert.Equal(RunSize.Default, RunMode.Size);   // the size variable, when set, is the one read
        Assert.Equal(new[] { "smoke", "default", "full" }, RunMode.Names);
        Assert.All(Enum.GetValues<RunSize>(), s => Assert.Equal(s, RunMode.Parse(RunMode.NameOf(s))));
    }

    [Fact]
    public void An_unknown_size_is_an_error_that_lists_the_sizes()
    {
        Size("large");
        var e = Assert.Throws<SelfSimException>(() => RunMode.Size);
        Assert.Contains("'large'", e.Message);
        Assert.Contains("smoke", e.Message);
        Assert.Contains("default", e.Message);
        Assert.Contains("full", e.Message);
    }

    static GenericChart Chart(string? title)
    {
        var c = Plotly.NET.CSharp.Chart.Line<double, double, string>(new[] { 1.0, 2.0, 3.0 }, new[] { 3.0, 1.0, 2.0 });
        return title == null ? c : ChartLayout.Titled(c, title, "x (unit)", "y (unit)");
    }

    static string TitleInHtml(string htmlPath)
    {
        var html = File.ReadAllText(htmlPath);
        var fig = System.Text.Json.Nodes.JsonNode.Parse(
            System.Text.RegularExpressions.Regex.Match(html, @"var fig = (\{.*?\});\nvar config", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value)!;
        return (string)fig["layout"]!["title"]!["text"]!;
    }

    [Fact]
    public void Titles_of_committed_results_do_not_say_smoke()
    {
        Size("smoke");
        Assert.Equal("Mean S over seeds (committed survey)", RunMode.Title("Mean S over seeds (committed survey)"));
        Assert.Equal("Mean S over seeds (smoke)", RunMode.Title("Mean S over seeds"));
        Assert.Contains("<caption style=\"caption-side:top;text-align:left;font-weight:bold\">Runs (committed grid)</caption>",
            Tables.Rows(new[] { new { Arm = "baseline" } }, "Runs (committed grid)"));
        Size("default");
        Assert.Equal("Mean S over seeds", RunMode.Title("Mean S over seeds"));
    }

    [Fact]
    public void A_smoke_figure_says_smoke_in_its_file_name_and_title()
    {
        Size("smoke");
        var saved = Figures.Save(Plotly.NET.CSharp.Chart.Line<double, double, string>(new[] { 1.0, 2.0 }, new[] { 2.0, 1.0 }),
            "fig-curve", "x", "y", title: "Box covering", formats: "html");
        Assert.Equal("fig-curve-smoke", saved.Name);
        Assert.Equal("fig-curve-smoke.html", Path.GetFileName(saved.Html));
        Assert.True(File.Exists(saved.Html));
        Assert.False(File.Exists(Path.Combine(_tmp, "fig-curve.html")));
        Assert.Equal("Box covering (smoke)", TitleInHtml(saved.Html));
        Assert.Contains("<title>Box covering (smoke)</title>", File.ReadAllText(saved.Html));
    }

    [Fact]
    public void A_smoke_figure_without_a_title_still_says_smoke_and_titles_from_charts_are_kept()
    {
        Size("smoke");
        var untitled = Figures.Save(Chart(null), "fig-a", formats: "html");
        Assert.Equal("fig-a (smoke)", TitleInHtml(untitled.Html));
        // a chart titled by the chart helpers already says smoke once: not twice
        var titled = Figures.Save(Chart("Degrees"), "fig-b-smoke", formats: "html");
        Assert.Equal("fig-b-smoke", titled.Name);
        Assert.Equal("Degrees (smoke)", TitleInHtml(titled.Html));
    }

    [Fact]
    public void Default_size_figures_keep_their_names_and_titles()
    {
        Size("default");
        var saved = Figures.Save(Chart("Degrees"), "fig-c", formats: "html");
        Assert.Equal("fig-c.html", Path.GetFileName(saved.Html));
        Assert.Equal("Degrees", TitleInHtml(saved.Html));
        Assert.Equal("Degrees", Figures.TitleOf(Chart("Degrees")));
    }

    sealed record Row(string Layer, double S, int Nodes, double DB);

    [Fact]
    public void Tables_round_label_and_mark_smoke()
    {
        Size("default");
        var html = Tables.Of(new Row("blocks.2", 0.14470334351062775, 256, 4.058718297120541), "Measures",
            labels: new Dictionary<string, string> { ["DB"] = "d_B, exact box cover" });
        Assert.Contains("<caption", html);
        Assert.Contains(">Measures</caption>", html);
        Assert.Contains("<td>0.145</td>", html);
        Assert.Contains("<td>4.059</td>", html);
        Assert.Contains("<td>256</td>", html);
        Assert.Contains("d_B, exact box cover", html);
        Assert.DoesNotContain("4.0587", html);
        Assert.Equal("–", Tables.Number(double.NaN));
        Assert.Equal("1.5e-5", Tables.Number(1.5e-5));
        Assert.Equal("60,000", Tables.Number(60000));
        var rows = Tables.Rows(new object[] { new Row("a", 1.23456, 3, double.NaN) }, "Layers", digits: 2);
        Assert.Contains("<th>Layer</th><th>S</th><th>Nodes</th><th>DB</th>", rows);
        Assert.Contains("<td>1.23</td>", rows);
        Size("smoke");
        Assert.Contains(">Layers (smoke)</caption>", Tables.Rows(new object[] { new Row("a", 1, 3, 2) }, "Layers"));
        Assert.Throws<SelfSimException>(() => Tables.Of(new Row("a", 1, 1, 1), " "));
    }

    [Fact]
    public void Accuracy_floors_stop_an_undertrained_model_except_in_smoke_runs()
    {
        Size("default");
        var floors = new Dictionary<string, double> { ["mlp"] = 97, ["vit"] = 90 };
        var ok = AccuracyFloor.Check(new[] { ("mlp", 97.4), ("vit", 93.0) }, floors);
        Assert.All(ok, c => Assert.Equal("ok", c.Verdict));
        var e = Assert.Throws<SelfSimException>(() => AccuracyFloor.Check(new[] { ("mlp", 97.4), ("vit", 11.35) }, floors));
        Assert.Contains("vit reached 11.35% < 90.0%", e.Message);
        Assert.DoesNotContain("mlp reached", e.Message);
        Size("smoke");
        var smoke = AccuracyFloor.Check(new[] { ("vit", 11.35) }, floors);
        Assert.Equal("not checked (smoke)", smoke[0].Verdict);
    }
}

using System.Linq;
using System.Text.Json.Nodes;
using Plotly.NET;
using Xunit;

namespace SelfSim.Tests.FiguresTests;

/// <summary>shared/figures/BoxCoveringCharts.csx: the one chart of several box-covering curves.</summary>
public sealed class BoxCoveringChartsTests
{
    static JsonNode Json(GenericChart c) => JsonNode.Parse(GenericChart.toFigureJson(c))!;

    [Fact]
    public void Layers_draws_each_exact_curve_on_log_log_axes_without_zero_sizes()
    {
        // 0, 0, 1, 3, 7: the first merge joins two identical points at l_B = 0, which a log axis cannot show
        var cover = BoxCover.Compute(new float[] { 0, 0, 1, 3, 7 }, 5, 1);
        Assert.Equal(new[] { 0.0, 1, 3, 7 }, cover.BoxSizes);
        var j = Json(BoxCoveringCharts.Layers(new[] { ("line", cover), ("again", cover) }, "Curves"));
        Assert.Equal("log", (string?)j["layout"]!["xaxis"]!["type"]);
        Assert.Equal("log", (string?)j["layout"]!["yaxis"]!["type"]);
        Assert.Equal(BoxCoveringCharts.SizeAxis, (string?)j["layout"]!["xaxis"]!["title"]!["text"]);
        var data = j["data"]!.AsArray();
        Assert.Equal(new[] { "line", "again" }, data.Select(d => (string?)d!["name"]));
        Assert.Equal(new[] { 1.0, 3, 7 }, data[0]!["x"]!.AsArray().Select(v => (double)v!));
        Assert.Equal(new[] { 3.0, 2, 1 }, data[0]!["y"]!.AsArray().Select(v => (double)v!));
    }
}

using Xunit;

namespace SelfSim.Tests.FiguresTests;

/// <summary>shared/figures/DistanceHeatmap.csx.</summary>
public sealed class DistanceHeatmapTests
{
    static string Json(Plotly.NET.GenericChart c) => Plotly.NET.GenericChart.toFigureJson(c);

    [Fact]
    public void Heatmap_reorders_rows_and_columns_and_puts_position_zero_on_top()
    {
        var d = new double[] { 0, 1, 2, 1, 0, 3, 2, 3, 0 };
        var z = DistanceHeatmap.Reorder(d, 3, new[] { 2, 0, 1 });
        Assert.Equal(new[] { 0.0, 2, 3 }, z[0]);
        Assert.Equal(new[] { 2.0, 0, 1 }, z[1]);
        Assert.Equal(new[] { 3.0, 1, 0 }, z[2]);
        var json = Json(DistanceHeatmap.Create(d, 3, new[] { 2, 0, 1 }, "distances"));
        Assert.Contains("\"type\":\"heatmap\"", json);
        Assert.Contains("\"autorange\":\"reversed\"", json);
        Assert.Throws<SelfSimException>(() => DistanceHeatmap.Create(d, 3, new[] { 0, 0, 1 }, "bad order"));
    }
}

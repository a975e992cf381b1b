using System.Linq;
using Xunit;

namespace SelfSim.Tests.FiguresTests;

/// <summary>shared/figures/DendrogramChart.csx.</summary>
public sealed class DendrogramChartTests
{
    static string Json(Plotly.NET.GenericChart c) => Plotly.NET.GenericChart.toFigureJson(c);

    [Fact]
    public void Dendrogram_chart_joins_links_with_gaps()
    {
        var den = Dendrogram.FromMerges(3, new[] { (0, 1, 1.0), (1, 2, 2.0) });
        var (x, y) = DendrogramChart.Polyline(den.Links.Select(l => (l.X, l.Y)));
        Assert.Equal(2 * 4 + 1, x.Length);
        Assert.True(double.IsNaN(x[4]) && double.IsNaN(y[4]));
        Assert.Equal(new[] { 0.0, 1, 1, 0 }, y.Take(4).ToArray());
        Assert.Contains("\"type\":\"scatter\"", Json(DendrogramChart.Create(den, "tree")));
    }
}

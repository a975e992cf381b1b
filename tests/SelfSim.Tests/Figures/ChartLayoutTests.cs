using Xunit;

namespace SelfSim.Tests.FiguresTests;

/// <summary>shared/figures/ChartLayout.csx: titles, axis labels and log axes.</summary>
public sealed class ChartLayoutTests
{
    static string Json(Plotly.NET.GenericChart c) => Plotly.NET.GenericChart.toFigureJson(c);

    [Fact]
    public void Titled_sets_title_axis_labels_and_log_axes()
    {
        var c = Plotly.NET.CSharp.Chart.Point<double, double, string>(new[] { 1.0, 10 }, new[] { 5.0, 0.5 }, Name: "pts");
        var json = Json(ChartLayout.Titled(c, "My title", "box size l_B (units)", "N_B", logX: true, logY: true));
        Assert.Contains("\"title\":{\"text\":\"My title\"}", json);
        Assert.Contains("\"xaxis\":{\"title\":{\"text\":\"box size l_B (units)\"},\"type\":\"log\"}", json);
        Assert.Contains("\"yaxis\":{\"title\":{\"text\":\"N_B\"},\"type\":\"log\"}", json);
        var lin = Json(ChartLayout.Titled(c, "t", "x", "y"));
        Assert.DoesNotContain("\"type\":\"log\"", lin);
        Assert.Throws<SelfSimException>(() => ChartLayout.Titled(c, "", "x", "y"));
        // the input chart is left unchanged
        Assert.DoesNotContain("My title", Json(c));
        Assert.Contains("\"autorange\":\"reversed\"", Json(ChartLayout.With(c, "yaxis.autorange", "reversed")));
    }
}

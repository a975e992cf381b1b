using System.Linq;
using Newtonsoft.Json.Linq;
using Plotly.NET;
using Xunit;
using C = Plotly.NET.CSharp.Chart;

namespace SelfSim.Tests.Runner;

public sealed class PlotlyFigureJsonTests
{
    public static GenericChart[] Charts()
    {
        var x = new[] { 1.0, 2, 3, 4 };
        var y = new[] { 1.0, 4, 9, 16 };
        var point = C.Point<double, double, string>(x, y, Name: "p");
        var line = C.Line<double, double, string>(x, y, Name: "l");
        return new[]
        {
            point,
            C.Combine(new[] { point, line }),
            C.Heatmap<double, int, int, string>(new[] { new[] { 1.0, 2 }, new[] { 3.0, 4 } }),
            C.Histogram<double, double, string>(X: x),
            C.Column<double, string, string>(y, Keys: new[] { "a", "b", "c", "d" }),
            C.Pie<double, string, string>(y, Labels: new[] { "a", "b", "c", "d" }),
            C.Grid(new[] { point, line }, 1, 2),
            Plotly.NET.CSharp.GenericChartExtensions.WithXAxisStyle<double, double, string>(point, TitleText: "log r", AxisType: StyleParam.AxisType.Log),
            PaperStyle.DoubleColumn.Apply(C.Combine(new[] { point, line }), "x", "y", "title"),
        };
    }

    [Fact]
    public void Walker_writes_the_same_figure_json_as_Plotly_NET()
    {
        foreach (var (chart, i) in Charts().Select((c, i) => (c, i)))
        {
            var expected = JToken.Parse(GenericChart.toFigureJson(chart));
            var actual = JToken.Parse(PlotlyFigureJson.Serialize(chart));
            Assert.True(JToken.DeepEquals(expected, actual), $"chart {i}:\nexpected {expected.ToString(Newtonsoft.Json.Formatting.None)[..300]}\nactual   {actual.ToString(Newtonsoft.Json.Formatting.None)[..300]}");
        }
        Assert.Equal("{\"responsive\":true}", PlotlyFigureJson.SerializeConfig(Charts()[0]).Replace(" ", ""));
    }
}

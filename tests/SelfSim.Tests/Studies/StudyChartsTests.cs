using System;
using System.Linq;
using System.Text.Json.Nodes;
using Plotly.NET;
using Xunit;

namespace SelfSim.Tests.Studies;

public class StudyChartsTests
{
    static JsonNode Json(GenericChart c) => JsonNode.Parse(GenericChart.toFigureJson(c))!;

    [Fact]
    public void Lines_are_titled_labelled_and_drop_non_finite_points()
    {
        var chart = StudyCharts.Lines(new[] { new ChartSeries("a", new[] { 0.0, 1, 2 }, new[] { 1.0, double.NaN, 3 }) },
            "My title", "x (units)", "y (units)");
        var j = Json(chart);
        Assert.Equal("My title", (string?)j["layout"]!["title"]!["text"]);
        Assert.Equal("x (units)", (string?)j["layout"]!["xaxis"]!["title"]!["text"]);
        Assert.Equal("y (units)", (string?)j["layout"]!["yaxis"]!["title"]!["text"]);
        var trace = j["data"]![0]!;
        Assert.Equal(new[] { 0.0, 2.0 }, trace["x"]!.AsArray().Select(v => (double)v!).ToArray());
        Assert.Equal(new[] { 1.0, 3.0 }, trace["y"]!.AsArray().Select(v => (double)v!).ToArray());
        Assert.Throws<SelfSimException>(() => StudyCharts.Lines(Array.Empty<ChartSeries>(), "t", "x", "y"));
    }

    [Fact]
    public void A_series_without_lines_draws_its_points_only()
    {
        var chart = StudyCharts.Lines(new[]
        {
            new ChartSeries("joined", new[] { 0.0, 1 }, new[] { 1.0, 2 }),
            new ChartSeries("plain line", new[] { 0.0, 1 }, new[] { 1.0, 2 }, Markers: false),
            new ChartSeries("dots", new[] { 0.0, 0 }, new[] { 1.0, 2 }, Lines: false),
        }, "t", "x", "y");
        var modes = Json(chart)["data"]!.AsArray().Select(t => (string?)t!["mode"]).ToArray();
        Assert.Equal(new[] { "lines+markers", "lines", "markers" }, modes);
    }

    static Estimate E(double value, double lower, double upper) => new(value, double.NaN, lower, upper);

    [Fact]
    public void Box_dimension_per_layer_has_asymmetric_error_bars_from_the_interval()
    {
        var rows = new[]
        {
            new LayerMeasures("mlp", "a", 0, 2, 16, 8, "float32", 0.2, E(-1, -1.1, -0.9), E(1.5, 1.2, 2.0), 0.9, E(1.4, 1.3, 1.5)),
            new LayerMeasures("mlp", "b", 1, 2, 16, 8, "float32", 0.3, E(-1, -1.1, -0.9), E(2.5, 2.4, 2.7), 0.9, E(2.4, 2.3, 2.5)),
        };
        var j = Json(StudyCharts.PerLayer(rows, LayerMetric.BoxDimension));
        var t = j["data"]![0]!;
        Assert.Equal("mlp", (string?)t["name"]);
        Assert.Equal(new[] { 0.0, 1.0 }, t["x"]!.AsArray().Select(v => (double)v!).ToArray());
        var err = t["error_y"]!;
        Assert.Equal(new[] { 0.5, 0.2 }, err["array"]!.AsArray().Select(v => Math.Round((double)v!, 10)).ToArray());
        Assert.Equal(new[] { 0.3, 0.1 }, err["arrayminus"]!.AsArray().Select(v => Math.Round((double)v!, 10)).ToArray());
        Assert.Contains("d_B", (string?)j["layout"]!["yaxis"]!["title"]!["text"]);
        Assert.Contains("relative depth", (string?)j["layout"]!["xaxis"]!["title"]!["text"]);
    }

    [Fact]
    public void Arm_curves_have_bands()
    {
        var pts = new[] { new ArmPoint("baseline", 0, 3, 90, 1), new ArmPoint("baseline", 1, 3, 92, 0.5) };
        var a = Json(StudyCharts.ArmCurves(pts, "Accuracy", "test top-1 (%)"));
        var data = a["data"]!.AsArray();
        Assert.Equal(3, data.Count);                            // lower edge, upper edge (filled), mean
        Assert.Equal(new[] { 89.0, 91.5 }, data[0]!["y"]!.AsArray().Select(v => (double)v!));
        Assert.Equal("tonexty", (string?)data[1]!["fill"]);
        Assert.Equal(new[] { 91.0, 92.5 }, data[1]!["y"]!.AsArray().Select(v => (double)v!));
        Assert.Equal("baseline (n = 3)", (string?)data[2]!["name"]);
    }
}

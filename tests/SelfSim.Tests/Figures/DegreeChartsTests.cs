using System;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.FiguresTests;

/// <summary>shared/figures/DegreeCharts.csx: the CCDF with its fitted tail.</summary>
public sealed class DegreeChartsTests
{
    static string Json(Plotly.NET.GenericChart c) => Plotly.NET.GenericChart.toFigureJson(c);

    [Fact]
    public void Ccdf_with_fit_draws_the_tail_model_scaled_to_the_tail_fraction()
    {
        var rng = new Random(3);
        var data = Enumerable.Range(0, 2000).Select(_ => Math.Pow(1 - rng.NextDouble(), -1 / 1.5)).ToArray(); // continuous α = 2.5, xmin = 1
        var fit = PowerLawFitter.Fit(data, PowerLawKind.Continuous);
        Assert.InRange(fit.Alpha, 2.3, 2.7);
        var json = Json(DegreeCharts.CcdfWithFit(data, fit, "samples", "CCDF", "x (units)"));
        Assert.Contains($"α = {fit.Alpha:F2}", json);
        Assert.Contains("\"type\":\"log\"", json);
    }
}

using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Dimensions;

public class TwoNnTests
{
    [Theory]
    [InlineData(2, 10)]
    [InlineData(5, 20)]
    public void Recovers_the_dimension_of_a_linear_subspace_within_10_percent(int d, int ambient)
    {
        using var x = PointClouds.Subspace(1000, d, ambient, seed: d);
        using var c = PointCloud.FromRows(x);
        var r = TwoNn.Measure(c);
        Assert.InRange(r.Dimension.Value, 0.9 * d, 1.1 * d);
        Assert.True(r.Dimension.Lower < r.Dimension.Value && r.Dimension.Value < r.Dimension.Upper);
        Assert.InRange(r.Dimension.StdError, 0.005 * d, 0.2 * d);
        Assert.Equal(TwoNn.Kept(1000, 0.1), r.Fitted);
        Assert.Equal(900, r.Fitted);
    }

    [Fact]
    public void Recovers_the_two_dimensions_of_a_swiss_roll()
    {
        using var x = PointClouds.SwissRoll(1000, seed: 3);
        using var c = PointCloud.FromRows(x);
        Assert.InRange(TwoNn.Measure(c).Dimension.Value, 1.8, 2.2);
    }

    [Fact]
    public void The_fit_by_hand_on_three_ratios_is_the_slope_through_the_origin()
    {
        // μ sorted = 1.5, 2, 4; no discard keeps N − 1 = 2: x = ln 1.5, ln 2; y = −ln(1 − 1/3), −ln(1 − 2/3).
        double x1 = Math.Log(1.5), x2 = Math.Log(2), y1 = -Math.Log(2.0 / 3), y2 = -Math.Log(1.0 / 3);
        Assert.Equal((x1 * y1 + x2 * y2) / (x1 * x1 + x2 * x2), TwoNn.Fit(new[] { 4, 1.5, 2.0 }, 0), 12);
    }

    [Fact]
    public void The_interval_is_seeded_and_its_level_is_kept()
    {
        using var x = PointClouds.Subspace(300, 3, 6, seed: 1);
        using var c = PointCloud.FromRows(x);
        var a = TwoNn.Measure(c, level: 0.9);
        var b = TwoNn.Measure(c, level: 0.9);
        Assert.Equal(a.Dimension, b.Dimension);
        Assert.Equal(0.9, a.Dimension.Level);
        Assert.Throws<SelfSimException>(() => TwoNn.Measure(c, discardFraction: 1));
    }
}

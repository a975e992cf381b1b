using System;
using Xunit;

namespace SelfSim.Tests.Dimensions;

public class CorrelationDimensionTests
{
    [Fact]
    public void A_sierpinski_triangle_gives_log3_over_log2_within_5_percent()
    {
        using var x = PointClouds.Sierpinski(2000, seed: 0);
        using var c = PointCloud.FromRows(x);
        var r = CorrelationDimension.Measure(c);
        double expected = Math.Log(3) / Math.Log(2);
        Assert.InRange(r.Dimension.Value, 0.95 * expected, 1.05 * expected);
        Assert.True(r.FitPoints >= 10, $"{r.FitPoints} points in the window");
        Assert.True(r.Dimension.Lower < r.Dimension.Value && r.Dimension.Value < r.Dimension.Upper);
        Assert.True(r.RSquared > 0.99);
    }

    [Fact]
    public void It_is_the_window_fit_of_srates_pair_fraction()
    {
        using var x = PointClouds.Subspace(500, 2, 4, seed: 2);
        using var c = PointCloud.FromRows(x);
        using var x32 = c.Rows.to(TorchSharp.torch.ScalarType.Float32);
        var s = Srate.Measure(x32);
        var direct = CorrelationDimension.FromSrate(s);
        Assert.Equal(direct.Dimension.Value, CorrelationDimension.Measure(c).Dimension.Value, 12);
        // The window: 1/C(l) within [max(2, 0.2% n), 10% n] = [2, 50] boxes, i.e. C in [0.02, 0.5].
        Assert.InRange(direct.MinScale, 0, direct.MaxScale);
        for (int k = 0; k < s.Scales.Length; k++)
            if (s.Scales[k] >= direct.MinScale && s.Scales[k] <= direct.MaxScale) Assert.InRange(s.PairFraction[k], 0.02, 0.5);
        Assert.InRange(direct.Dimension.Value, 1.6, 2.2);   // a Gaussian plane: boundary-free only at small l, so a little low
    }

    [Fact]
    public void Too_few_points_for_the_window_is_a_clear_error()
    {
        using var x = PointClouds.Subspace(12, 2, 3, seed: 0);
        using var c = PointCloud.FromRows(x);
        var e = Assert.Throws<SelfSimException>(() => CorrelationDimension.Measure(c));
        Assert.StartsWith("Correlation dimension:", e.Message);
    }
}

using System;
using Xunit;

namespace SelfSim.Tests.Stats;

/// <summary>shared/stats/LeastSquares.csx: the line fit and its one slope interval, against SciPy.</summary>
public sealed class LeastSquaresTests
{
    // scipy.stats.linregress(x, y) and scipy.stats.t.ppf(0.5 + level/2, 4), SciPy 1.10 (Debian 12)
    static readonly double[] X = { 0, 1, 2, 3, 4, 5 };
    static readonly double[] Y = { 1.1, 2.9, 5.2, 6.8, 9.1, 10.9 };

    [Fact]
    public void Line_matches_scipy_linregress()
    {
        var f = LeastSquares.Line(X, Y);
        Assert.Equal(1.9771428571428569, f.Slope, 12);
        Assert.Equal(1.0571428571428578, f.Intercept, 12);
        Assert.Equal(0.03979539507767356, f.SlopeStdError, 12);
        Assert.Equal(0.12048654199836793, f.InterceptStdError, 12);
        Assert.Equal(0.9983821199232754, f.RSquared, 12);
        Assert.Equal(0.13592715135759498, f.ResidualRms, 12);   // √(mean of squared residuals)
        Assert.Equal(6, f.Points);
    }

    [Fact]
    public void Slope_interval_is_the_student_t_interval_at_its_level()
    {
        var f = LeastSquares.Line(X, Y);
        var e95 = f.SlopeInterval();
        Assert.Equal((1.8666531272700375, 2.0876325870156762), (e95.Lower, e95.Upper), new Near(1e-9));
        Assert.Equal((f.Slope, f.SlopeStdError, 0.95), (e95.Value, e95.StdError, e95.Level));
        var e90 = f.SlopeInterval(0.9);
        Assert.Equal((1.8923051722345126, 2.0619805420512014), (e90.Lower, e90.Upper), new Near(1e-9));
        Assert.Throws<SelfSimException>(() => f.SlopeInterval(1.5));
    }

    [Fact]
    public void Negative_slope_interval_is_the_decay_exponent_with_its_ends_swapped()
    {
        // ln N = c − d ln l: linregress(log l, log N) on N ≈ 1000·l^−1.7
        double[] l = { 2, 3, 5, 8, 13, 21 }, n = { 310, 150, 66, 29, 13, 5.6 };
        var f = LeastSquares.Line(Array.ConvertAll(l, Math.Log), Array.ConvertAll(n, Math.Log));
        var d = f.NegativeSlopeInterval();
        Assert.Equal(1.6975254841917264, d.Value, 10);
        Assert.Equal(0.01019747567965879, d.StdError, 10);
        Assert.Equal(1.6692127527555642, d.Lower, 9);
        Assert.Equal(1.7258382156278886, d.Upper, 9);
        Assert.Equal(6.902936614333051, f.Intercept, 10);
    }

    [Fact]
    public void Two_points_have_no_interval_and_one_x_value_is_refused_when_asked()
    {
        var two = LeastSquares.Line(new double[] { 0, 2 }, new double[] { 1, 5 });
        Assert.Equal((2.0, 1.0), (two.Slope, two.Intercept));
        var e = two.SlopeInterval();
        Assert.True(double.IsNaN(e.StdError) && double.IsNaN(e.Lower) && double.IsNaN(e.Upper));
        var flat = LeastSquares.Line(new double[] { 1, 1, 1 }, new double[] { 1, 2, 3 });
        Assert.Equal(0.0, flat.Slope);
        Assert.True(double.IsNaN(flat.SlopeStdError));
        Assert.Throws<SelfSimException>(() => LeastSquares.Line(new double[] { 1, 1, 1 }, new double[] { 1, 2, 3 }, requireSpread: true));
        Assert.Throws<SelfSimException>(() => LeastSquares.Line(new double[] { 1 }, new double[] { 1 }));
    }

    sealed class Near(double tol) : System.Collections.Generic.IEqualityComparer<(double, double)>
    {
        public bool Equals((double, double) a, (double, double) b) => Math.Abs(a.Item1 - b.Item1) <= tol && Math.Abs(a.Item2 - b.Item2) <= tol;
        public int GetHashCode((double, double) a) => 0;
    }
}

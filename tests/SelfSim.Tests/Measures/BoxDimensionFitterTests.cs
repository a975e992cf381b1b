using System;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Measures;

/// <summary>shared/measures/BoxDimensionFitter.csx: the log-log d_B and the normalised slope interval.</summary>
public sealed class BoxDimensionFitterTests
{
    [Fact]
    public void LogLog_recovers_an_exact_power_law_and_normalised_interval_matches_hand_formula()
    {
        var l = Enumerable.Range(1, 40).Select(i => 0.1 * i).ToArray();
        var n = l.Select(v => 500 * Math.Pow(v, -1.7)).ToArray();
        var e = BoxDimensionFitter.LogLogByBoxes(l, n, nodes: 100000, minFraction: 0, maxFraction: 1);
        Assert.Equal(1.7, e.Dimension.Value, 9);
        Assert.Equal(40, e.Points);
        Assert.True(e.Dimension.Upper - e.Dimension.Lower < 1e-6);
        // only points with N_B in [max(2, 0.2%), 10%] of 1000 nodes = [2, 100] enter the default range
        var r = BoxDimensionFitter.LogLogByBoxes(l, n, nodes: 1000);
        Assert.Equal(n.Count(v => v >= 2 && v <= 100), r.Points);
        Assert.Equal(1.7, r.Dimension.Value, 9);

        var x = new[] { 0.0, 0.25, 0.5, 0.75, 1.0 };
        var y = new[] { 1.0, 0.8, 0.55, 0.3, 0.05 };
        var fit = new NormalisedBoxFit(-0.96, 1.01, 0, 5, x, y);
        var ci = fit.SlopeInterval();
        var (lo, hi, se) = (ci.Lower, ci.Upper, ci.StdError);
        Assert.Equal(-0.96, ci.Value, 12);
        // hand: slope -0.96, residuals 0.01,-0.02,0.02,0.01,... computed here from the normal equations
        double mx = x.Average(), my = y.Average();
        double sxx = x.Sum(v => (v - mx) * (v - mx)), slope = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / sxx;
        double rss = x.Zip(y, (a, b) => Math.Pow(b - (my + slope * (a - mx)), 2)).Sum();
        Assert.Equal(Math.Sqrt(rss / 3 / sxx), se, 12);
        Assert.Equal(-0.96 - 3.182446305284263 * se, lo, 9);
        Assert.Equal(-0.96 + 3.182446305284263 * se, hi, 9);
    }
}

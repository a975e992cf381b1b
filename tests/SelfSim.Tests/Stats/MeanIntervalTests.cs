using Xunit;

namespace SelfSim.Tests.Stats;

/// <summary>shared/stats/MeanInterval.csx against scipy.stats.sem and scipy.stats.t.interval.</summary>
public sealed class MeanIntervalTests
{
    [Fact]
    public void Mean_standard_error_and_t_interval_match_scipy()
    {
        var xs = new[] { 0.21, 0.25, 0.19, 0.30 };
        var e = MeanInterval.Of(xs);
        Assert.Equal(0.2375, e.Value, 12);
        Assert.Equal(0.024281337140555772, e.StdError, 12);
        Assert.Equal(0.16022594832967674, e.Lower, 9);
        Assert.Equal(0.31477405167032324, e.Upper, 9);
        var e90 = MeanInterval.Of(xs, 0.9);
        Assert.Equal((0.18035718902532047, 0.2946428109746795, 0.9), (System.Math.Round(e90.Lower, 9), System.Math.Round(e90.Upper, 9), e90.Level),
            new Tolerance());
    }

    [Fact]
    public void One_value_has_no_interval_and_none_has_no_mean()
    {
        var one = MeanInterval.Of(new[] { 2.5 });
        Assert.Equal(2.5, one.Value);
        Assert.True(double.IsNaN(one.StdError) && double.IsNaN(one.Lower) && double.IsNaN(one.Upper));
        Assert.True(double.IsNaN(MeanInterval.Of(System.Array.Empty<double>()).Value));
        Assert.Throws<SelfSimException>(() => MeanInterval.Of(new[] { 1.0, 2 }, 95));
    }

    sealed class Tolerance : System.Collections.Generic.IEqualityComparer<(double, double, double)>
    {
        public bool Equals((double, double, double) a, (double, double, double) b) =>
            System.Math.Abs(a.Item1 - b.Item1) < 1e-8 && System.Math.Abs(a.Item2 - b.Item2) < 1e-8 && a.Item3 == b.Item3;
        public int GetHashCode((double, double, double) a) => 0;
    }
}

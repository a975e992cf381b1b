using System;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Stats;

public class PercentileBootstrapTests
{
    [Fact]
    public void The_bootstrap_of_a_mean_has_the_textbook_standard_error()
    {
        var rng = new Random(1);
        var v = Enumerable.Range(0, 1000).Select(_ => rng.NextDouble() * 12).ToArray();   // sd = 12/√12 = 3.46
        var e = PercentileBootstrap.Of(v, s => s.Average(), replicates: 1000, seed: 2);
        double mean = v.Average(), sd = Math.Sqrt(v.Sum(a => (a - mean) * (a - mean)) / (v.Length - 1));
        Assert.Equal(mean, e.Value, 12);
        Assert.InRange(e.StdError / (sd / Math.Sqrt(v.Length)), 0.9, 1.1);
        Assert.InRange((e.Upper - e.Lower) / (2 * 1.96 * sd / Math.Sqrt(v.Length)), 0.85, 1.15);
        Assert.Equal(e, PercentileBootstrap.Of(v, s => s.Average(), replicates: 1000, seed: 2));
        Assert.Equal(2.5, PercentileBootstrap.Quantile(new[] { 1.0, 2, 3, 4 }, 0.5));
    }
}

using System;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Stats;

public class RankCorrelationTests
{
    [Fact]
    public void Spearman_matches_scipy_with_ties_and_its_fisher_z_interval()
    {
        double[] x = { 1, 2, 3, 4, 5, 6, 7, 8 }, y = { 2, 1, 4, 3, 6, 5, 8, 8 };
        var r = RankCorrelation.Spearman(x, y);
        // scipy.stats.spearmanr(x, y).correlation; tanh(atanh ρ ± 1.96·√(1.06/5))
        Assert.Equal(0.9221722216732094, r.Value, 12);
        Assert.Equal(0.6049521730696834, r.Lower, 8);
        Assert.Equal(0.9867674323404156, r.Upper, 8);
        Assert.Equal(new[] { 1.5, 1.5, 3 }, RankCorrelation.Ranks(new[] { 5.0, 5, 7 }));
        Assert.Equal(-1, RankCorrelation.Spearman(x, x.Select(v => -v * v).ToArray()).Value, 12);
        Assert.Throws<SelfSimException>(() => RankCorrelation.Spearman(new[] { 1.0, 2, double.NaN, 4 }, new[] { 1.0, 2, 3, 4 }));
    }
}

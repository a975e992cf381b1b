using Xunit;

namespace SelfSim.Tests.Graphs;

/// <summary>shared/graphs/DegreeDistribution.csx: the empirical CCDF and P(k), by hand.</summary>
public sealed class DegreeDistributionTests
{
    [Fact]
    public void Ccdf_and_pmf_of_a_small_degree_sequence()
    {
        var (x, p) = DegreeDistribution.Ccdf(new[] { 0, 1, 1, 2, 3 });
        Assert.Equal(new[] { 1.0, 2, 3 }, x);
        Assert.Equal(new[] { 1.0, 0.5, 0.25 }, p);
        var (k, pk) = DegreeDistribution.Pmf(new[] { 0, 1, 1, 2, 3 });
        Assert.Equal(new[] { 1, 2, 3 }, k);
        Assert.Equal(new[] { 0.4, 0.2, 0.2 }, pk);
        Assert.Throws<SelfSimException>(() => DegreeDistribution.Ccdf(new[] { 0, 0 }));
    }
}

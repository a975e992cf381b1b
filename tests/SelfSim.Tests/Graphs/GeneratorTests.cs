using System;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Graphs;

public class GeneratorTests
{
    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(2, 2, 4)]
    [InlineData(2, 3, 3)]
    [InlineData(1, 3, 4)]
    [InlineData(3, 3, 3)]
    public void Flowers_have_the_closed_form_node_and_edge_counts(int u, int v, int n)
    {
        var g = FlowerGraph.Create(u, v, n);
        Assert.Equal(FlowerGraph.NodeCountAt(u, v, n), g.NodeCount);
        Assert.Equal((int)Math.Pow(u + v, n), g.EdgeCount);
        Assert.Equal(1, GraphComponents.Compute(g).Count);
        // The two original hubs are u^n apart (the shortest of the parallel paths at every level).
        Assert.Equal((int)Math.Pow(u, n), GraphBfs.Distances(g, 0)[1]);
    }

    [Fact]
    public void Flower_node_counts_match_rozenfeld()
    {
        Assert.Equal(new long[] { 2, 4, 12, 44, 172, 684, 2732, 10924, 43692 }, Enumerable.Range(0, 9).Select(k => FlowerGraph.NodeCountAt(2, 2, k)));
        Assert.Equal(2.0, FlowerGraph.BoxDimension(2, 2), 12);
        Assert.Equal(Math.Log(5) / Math.Log(2), FlowerGraph.BoxDimension(2, 3), 12);
        Assert.True(double.IsPositiveInfinity(FlowerGraph.BoxDimension(1, 3)));
        var opt = FlowerGraph.OptimalBoxCounts(2, 3, 4);
        Assert.Equal(new[] { (3, 95L), (6, 20L), (12, 5L), (24, 2L) }, opt);
    }

    [Fact]
    public void Lattices_and_tori_have_the_right_edges()
    {
        var g = LatticeGraph.Create(5, 4);
        Assert.Equal(20, g.NodeCount);
        Assert.Equal(4 * 4 + 5 * 3, g.EdgeCount);
        var t = LatticeGraph.Create(5, 4, periodic: true);
        Assert.Equal(40, t.EdgeCount);
        Assert.All(t.DegreeSequence(), d => Assert.Equal(4, d));
    }

    [Fact]
    public void Barabasi_albert_is_seeded_with_m_edges_per_new_node()
    {
        var a = BarabasiAlbertGraph.Create(500, 3, seed: 7);
        var b = BarabasiAlbertGraph.Create(500, 3, seed: 7);
        var c = BarabasiAlbertGraph.Create(500, 3, seed: 8);
        Assert.Equal(3 + 3 * (500 - 4), a.EdgeCount);
        Assert.Equal(a.Targets, b.Targets);
        Assert.NotEqual(a.Targets, c.Targets);
        Assert.True(a.DegreeSequence().Max() > 30); // hubs: a power-law tail, not a Poisson one
        Assert.Equal(1, GraphComponents.Compute(a).Count);
    }

    [Fact]
    public void Erdos_renyi_has_binomial_edge_count()
    {
        int n = 2000; double p = 0.004;
        var g = ErdosRenyiGraph.Create(n, p, seed: 3);
        double mean = p * n * (n - 1) / 2, sd = Math.Sqrt(mean * (1 - p));
        Assert.InRange(g.EdgeCount, mean - 5 * sd, mean + 5 * sd);
        Assert.Equal(g.Targets, ErdosRenyiGraph.Create(n, p, seed: 3).Targets);
        Assert.Equal(n * (n - 1) / 2, ErdosRenyiGraph.Create(n, 1.0).EdgeCount);
        Assert.Equal(0, ErdosRenyiGraph.Create(n, 0.0).EdgeCount);
    }
}

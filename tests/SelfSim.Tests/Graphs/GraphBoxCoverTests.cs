using System.Linq;
using Xunit;

namespace SelfSim.Tests.Graphs;

/// <summary>shared/graphs/GraphBoxCover.csx: the method switch, and each method's d_B on flowers of known dimension
/// (d_B = ln(u+v)/ln u; Rozenfeld, Havlin & ben-Avraham 2007).</summary>
public sealed class GraphBoxCoverTests
{
    [Fact]
    public void Run_picks_the_method_by_name_and_refuses_an_unknown_one()
    {
        var g = FlowerGraph.Create(2, 2, 3);
        Assert.Equal(GreedyColoringBoxCover.Run(g, seed: 2).BoxCounts, GraphBoxCover.Run(" GC ", g, seed: 2).BoxCounts);
        Assert.Equal(MembBoxCover.Run(g).BoxCounts, GraphBoxCover.Run("memb", g).BoxCounts);
        Assert.Equal(CbbBoxCover.Run(g, restarts: 2, seed: 1).BoxCounts, GraphBoxCover.Run("CBB", g, restarts: 2, seed: 1).BoxCounts);
        Assert.Equal("gc", GraphBoxCover.DefaultMethod);
        var e = Assert.Throws<SelfSimException>(() => GraphBoxCover.Run("tabu", g));
        Assert.Contains("use gc, memb, cbb", e.Message);
    }

    [Theory]
    [InlineData("memb")]
    [InlineData("gc")]
    [InlineData("cbb")]
    public void Box_dimension_of_the_33_flower_is_within_10_percent_with_default_settings(string method)
    {
        // d_B = ln 6 / ln 3 = 1.631 (Rozenfeld, Havlin & ben-Avraham 2007). Measured: memb 1.761 (+8%), gc 1.686 (+3%; greedy alone 1.586), cbb 1.626.
        var g = FlowerGraph.Create(3, 3, 4);
        var r = GraphBoxCover.Run(method, g);
        double truth = FlowerGraph.BoxDimension(3, 3);
        Assert.InRange(r.FitDimension().Dimension.Value, 0.9 * truth, 1.1 * truth);
        // The envelope is monotone and never above the raw counts.
        var env = r.EnvelopeCounts;
        Assert.True(env.Zip(env.Skip(1)).All(p => p.Second <= p.First));
        Assert.True(env.Zip(r.BoxCounts).All(p => p.First <= p.Second));
    }

    [Theory]
    [InlineData(2, 3, 5, 0, 2.162)]
    [InlineData(2, 3, 5, 1, 2.144)]
    [InlineData(2, 4, 5, 0, 2.362)]
    [InlineData(2, 4, 5, 1, 2.334)]
    public void Box_dimension_of_unequal_flowers_is_within_10_percent_with_gc(int u, int v, int n, int seed, double measured)
    {
        // Default GC: greedy colouring, then tabu-search recolouring (TabuBoxCover, graphs up to 8,000 nodes). Greedy alone
        // gave (2,3) gen 5 2.082 (-10.3%) and (2,4) gen 5 2.173 (-16%). Seeds 0-3: (2,3) 2.162 2.144 2.154 2.163 (-6.9 to
        // -7.7%), (2,4) 2.362 2.334 2.355 2.358 (-8.6 to -9.7%: a thin margin; seed 1 is the worst, so it is tested).
        var r = GreedyColoringBoxCover.Run(FlowerGraph.Create(u, v, n), seed: seed);
        double truth = FlowerGraph.BoxDimension(u, v);
        var fit = r.FitDimension();
        Assert.Equal(measured, fit.Dimension.Value, 3);
        Assert.InRange(fit.Dimension.Value, 0.9 * truth, 1.1 * truth);
    }

    [Theory]
    [InlineData(0, 2.345)]
    [InlineData(1, 2.296)]
    public void Box_dimension_of_the_24_flower_of_generation_4_is_on_the_10_percent_edge(int seed, double measured)
    {
        // (2,4)-flower of generation 4 (1,038 nodes), default GC with tabu: seed 0 gives 2.345 (-9.3%), seeds 1-3 give
        // 2.296, 2.315, 2.316 (-10.4 to -11.2%); 20,000 tabu steps change nothing (2.290-2.345). Too small for 10%.
        var fit = GreedyColoringBoxCover.Run(FlowerGraph.Create(2, 4, 4), seed: seed).FitDimension();
        double truth = FlowerGraph.BoxDimension(2, 4);
        Assert.Equal(measured, fit.Dimension.Value, 3);
        Assert.InRange(fit.Dimension.Value, 0.88 * truth, 0.92 * truth);
    }

    [Theory]
    [InlineData(2, 4, "memb", 2.276)]
    [InlineData(2, 4, "cbb", 2.196)]
    public void Box_dimension_of_unequal_flowers_is_within_20_percent_with_greedy_covers(int u, int v, string method, double measured)
    {
        // d_B = ln(u+v)/ln u: 2.322 for (2,3), 2.585 for (2,4). At generation 5 MEMB and CBB give (2,3) 1.878, 2.048 and
        // (2,4) 2.276, 2.196 (-12 to -19%): not within 10%. Their covers are far above the exact minimum (set-cover ILP,
        // tools/checks/flower_min_cover_ilp.py --min; BoxCoveringTests.Box_dimension_of_23_flower_needs_large_boxes).
        var g = FlowerGraph.Create(u, v, 5);
        var r = GraphBoxCover.Run(method, g);
        double truth = FlowerGraph.BoxDimension(u, v);
        var fit = r.FitDimension();
        Assert.Equal(measured, fit.Dimension.Value, 3);
        Assert.InRange(fit.Dimension.Value, 0.8 * truth, 1.05 * truth);
        // A ratchet: when a change brings this within 10%, move the case into the 10% test above.
        Assert.True(fit.Dimension.Value < 0.9 * truth, $"d_B = {fit.Dimension.Value:F3} is now within 10% of {truth:F3}: tighten this test");
    }
}

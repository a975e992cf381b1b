using System;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Graphs;

public class BoxCoveringTests
{
    static GraphBoxCoverResult Run(string method, CsrGraph g, int[]? sizes = null, int seed = 0) => method switch
    {
        "memb" => MembBoxCover.Run(g, sizes, seed),
        "gc" => GreedyColoringBoxCover.Run(g, sizes, seed: seed),
        _ => CbbBoxCover.Run(g, sizes, seed: seed),
    };

    [Theory]
    [InlineData("memb")]
    [InlineData("gc")]
    [InlineData("cbb")]
    public void Stars_and_cliques_have_exact_counts(string method)
    {
        var star = CsrGraph.FromEdges(8, Enumerable.Range(1, 7).Select(i => (0, i)).ToList());
        var r = Run(method, star, new[] { 2, 3 });
        if (method != "memb") Assert.Equal(7, r.CountAt(2)); // leaves are 2 apart: one box holds the centre and a leaf
        Assert.Equal(1, r.CountAt(3));
        var clique = CsrGraph.FromEdges(6, (from i in Enumerable.Range(0, 6) from j in Enumerable.Range(0, 6) where i < j select (i, j)).ToList());
        Assert.Equal(1, Run(method, clique, new[] { 2, 3 }).BoxCounts[0]);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Memb_attains_the_unit_cover_of_22_flowers(int n)
    {
        // Boxes of diameter 2^k (l_B = 2^k + 1) can be the N_{n-k} generation-(n-k) units; MEMB finds exactly that many.
        var g = FlowerGraph.Create(2, 2, n);
        var opt = FlowerGraph.OptimalBoxCounts(2, 2, n);
        var r = MembBoxCover.Run(g, opt.Select(o => o.BoxSize).ToArray());
        foreach (var (l, nb) in opt) Assert.Equal((int)nb, r.CountAt(l));
    }

    [Theory]
    [InlineData(4, 0)]
    [InlineData(5, 1)]
    public void Memb_never_beats_the_unit_cover_and_matches_it_at_the_smallest_boxes(int n, int seed)
    {
        foreach (var (u, v) in new[] { (2, 2), (2, 3) })
        {
            var opt = FlowerGraph.OptimalBoxCounts(u, v, n).Where(o => o.BoxSize % 2 == 1).ToArray();
            var r = MembBoxCover.Run(FlowerGraph.Create(u, v, n), opt.Select(o => o.BoxSize).ToArray(), seed);
            foreach (var (l, nb) in opt) Assert.True(r.CountAt(l) >= nb, $"({u},{v}) l_B={l}: {r.CountAt(l)} < {nb}");
            Assert.Equal((int)FlowerGraph.NodeCountAt(u, v, n - 1), r.CountAt(3));
        }
    }

    [Theory]
    [InlineData("memb", 5)]
    [InlineData("memb", 6)]
    [InlineData("gc", 5)]
    [InlineData("gc", 6)]
    [InlineData("cbb", 5)]
    public void Box_dimension_of_22_flowers_is_two(string method, int n)
    {
        // Tolerance: 0.2 for MEMB (its counts are exact), 0.3 for the randomised GC and CBB.
        var fit = Run(method, FlowerGraph.Create(2, 2, n)).FitDimension();
        double tol = method == "memb" ? 0.2 : 0.3;
        Assert.InRange(fit.Dimension.Value, 2 - tol, 2 + tol);
        Assert.True(fit.Dimension.Lower < 2 && fit.Dimension.Upper > 2, $"95% interval [{fit.Dimension.Lower}, {fit.Dimension.Upper}]");
    }

    [Theory]
    [InlineData("memb", 1.994)]
    [InlineData("gc", 2.029)]
    [InlineData("cbb", 1.909)]
    public void Box_dimension_of_the_22_flower_of_generation_6_is_within_10_percent(string method, double measured)
    {
        // Generation 6 (2,732 nodes), default sizes and fit window. At generation 5 GC gives 1.787 (-11%): too few steps.
        var fit = Run(method, FlowerGraph.Create(2, 2, 6)).FitDimension();
        Assert.Equal(measured, fit.Dimension.Value, 3);
        Assert.InRange(fit.Dimension.Value, 0.9 * 2, 1.1 * 2);
    }

    [Theory]
    [InlineData(2, 2, 6, 1.994)]
    [InlineData(2, 3, 5, 2.124)]
    [InlineData(2, 3, 6, 2.191)]
    [InlineData(2, 4, 5, 2.297)]
    [InlineData(2, 4, 6, 2.380)]
    public void Closed_form_flower_counts_fit_below_the_truth_at_small_generations(int u, int v, int n, double expected)
    {
        // The default fit applied to the closed-form counts FlowerGraph.OptimalBoxCounts. Their counts are
        // a·(u+v)^m + (u+v)/(u+v-1) and their sizes d_k + 1 are not geometric ((2,4): d_k + 2 is), so both ends of the
        // window bend (local slopes of (2,3) gen 5: 2.31, 2.25, 2.00, 1.32). CAUTION for u < v: those sizes are too small
        // (tools/checks/flower_min_cover_ilp.py: the (2,3)-flower of generation 3 needs l_B = 7, not 6, for 5 boxes, and
        // 13, not 12, for 2), so these are not counts of real covers; they show the finite-size bending only.
        var opt = FlowerGraph.OptimalBoxCounts(u, v, n);
        var fit = GraphBoxDimensionFitter.Fit(opt.Select(o => o.BoxSize).ToArray(), opt.Select(o => (int)o.Boxes).ToArray(),
            (int)FlowerGraph.NodeCountAt(u, v, n));
        Assert.Equal(expected, fit.Dimension.Value, 3);
        Assert.True(fit.Dimension.Value <= FlowerGraph.BoxDimension(u, v));
    }

    [Theory]
    [InlineData("memb", 1.878)]
    [InlineData("gc", 2.162)]
    [InlineData("cbb", 2.048)]
    public void Box_dimension_of_23_flower_needs_large_boxes(string method, double measured)
    {
        // d_B = ln 5 / ln 2 = 2.322. Generation 5 (2,345 nodes), defaults. GC (greedy + tabu recolouring) is within 10%
        // (-6.9%); MEMB (-19%) and CBB (-12%) are not. Exact minima by set-cover ILP (tools/checks/flower_min_cover_ilp.py
        // --min) at l_B = 5..10: 220 175 95 85 70 55; GC holds 265 205 134 109 87 75 (greedy alone 268 221 134 109 89 75),
        // so even GC's covers are 20-41% above the minimum there; tabu search helps most at larger l_B (N_B(12): 57 -> 46).
        // MEMB hits the unit counts at l_B = 3, 9, 19 (radii 1, 4, 9: not a geometric series), so its slope is lowest.
        var r = Run(method, FlowerGraph.Create(2, 3, 5));
        var fit = r.FitDimension();
        Assert.Equal(measured, fit.Dimension.Value, 3);
        if (method == "gc") Assert.InRange(fit.Dimension.Value, 0.9 * 2.322, 1.1 * 2.322);
        else Assert.InRange(fit.Dimension.Value, 0.8 * 2.322, 0.9 * 2.322);
        // No valid cover beats the exact minimum.
        var exact = new[] { (3, 470), (4, 375), (5, 220), (6, 175), (7, 95), (8, 85), (9, 70), (10, 55) };
        foreach (var (l, nb) in exact)
            if (r.CountAt(l) is int c) Assert.True(c >= nb, $"{method} N_B({l}) = {c} < exact minimum {nb}");
        if (method == "memb")
            foreach (var (l, nb) in new[] { (3, 470), (9, 95), (19, 20) }) Assert.Equal(nb, r.CountAt(l));
        else
        {
            Assert.InRange(r.CountAt(3)!.Value, 470, 1.2 * 470);
            Assert.True(r.CountAt(7) >= 1.3 * 95, $"N_B(7) = {r.CountAt(7)}: greedy is this far above the minimum 95");
            var naive = r.FitDimension(2, 5);
            Assert.True(naive.Dimension.Value < 1.85, $"naive {naive.Dimension.Value}");
            Assert.True(Math.Abs(fit.Dimension.Value - 2.32) < Math.Abs(naive.Dimension.Value - 2.32));
        }
    }

    [Fact]
    public void Tabu_recolouring_lowers_gc_counts_and_stays_above_the_exact_minimum()
    {
        // (2,3)-flower of generation 4 (470 nodes). Exact minima (set-cover ILP, tools/checks/flower_min_cover_ilp.py
        // --min) at l_B = 3..10: 95 75 45 35 20 18 15 12. Measured: greedy 111 85 52 45 27 22 19 15, d_B 2.008;
        // greedy + tabu 111 85 52 42 27 22 18 13, d_B 2.200 (truth 2.322).
        var g = FlowerGraph.Create(2, 3, 4);
        var plain = GreedyColoringBoxCover.Run(g, tabuIterations: 0);
        var tabu = GreedyColoringBoxCover.Run(g);
        Assert.True(tabu.BoxCounts.Zip(plain.BoxCounts).All(p => p.First <= p.Second));
        Assert.True(tabu.BoxCounts.Zip(plain.BoxCounts).Count(p => p.First < p.Second) >= 5);
        var exact = new[] { 95, 75, 45, 35, 20, 18, 15, 12 };
        for (int l = 3; l <= 10; l++) Assert.True(tabu.CountAt(l) >= exact[l - 3], $"N_B({l}) = {tabu.CountAt(l)} < {exact[l - 3]}");
        Assert.Equal(2.008, plain.FitDimension().Dimension.Value, 3);
        Assert.Equal(2.200, tabu.FitDimension().Dimension.Value, 3);
        Assert.Equal(tabu.BoxCounts, GreedyColoringBoxCover.Run(g).BoxCounts); // deterministic given the seed
    }

    [Theory]
    [InlineData("memb", 30)]
    [InlineData("gc", 30)]
    [InlineData("cbb", 30)]
    [InlineData("memb", 40)]
    [InlineData("gc", 40)]
    [InlineData("cbb", 40)]
    public void Box_dimension_of_a_torus_is_two_within_0_3(string method, int side)
    {
        var fit = Run(method, LatticeGraph.Create(side, side, periodic: true)).FitDimension();
        Assert.InRange(fit.Dimension.Value, 1.7, 2.3);
        Assert.True(fit.PowerLawPreferred);
    }

    [Fact]
    public void Small_world_controls_are_told_apart_from_fractals()
    {
        // Fractal: N_B is a power law of l_B, so the log-log line beats the exponential. Small-world: the reverse.
        foreach (var g in new[] { FlowerGraph.Create(2, 2, 6), FlowerGraph.Create(2, 3, 5) })
        {
            var f = MembBoxCover.Run(g).FitDimension();
            Assert.True(f.PowerLawPreferred, $"flower: power-law rms {f.ResidualRms} vs exponential {f.ExponentialResidualRms}");
        }
        foreach (var g in new[] { BarabasiAlbertGraph.Create(2000, 2, 1), ErdosRenyiGraph.Create(2000, 0.003, 1), FlowerGraph.Create(1, 3, 5) })
        {
            var f = MembBoxCover.Run(g).FitDimension();
            Assert.False(f.PowerLawPreferred, $"control: power-law rms {f.ResidualRms} vs exponential {f.ExponentialResidualRms}");
            Assert.True(f.ExponentialResidualRms < 0.5 * f.ResidualRms);
        }
    }

    [Fact]
    public void Disconnected_graphs_are_covered_on_their_largest_component_and_say_so()
    {
        // A (2,2)-flower of generation 3 (44 nodes) plus a separate triangle.
        var f = FlowerGraph.Create(2, 2, 3);
        var edges = f.Edges().ToList();
        edges.AddRange(new[] { (44, 45), (45, 46), (46, 44) });
        var g = CsrGraph.FromEdges(47, edges);
        var r = MembBoxCover.Run(g, new[] { 3 });
        Assert.Equal(44, r.NodesCovered);
        Assert.Equal(47, r.GraphNodeCount);
        Assert.Equal(2, r.ComponentCount);
        Assert.Contains("largest connected component", r.Analysed);
        Assert.Equal(12, r.CountAt(3));
    }

    [Fact]
    public void Results_are_seeded_and_bad_sizes_are_refused()
    {
        var g = LatticeGraph.Create(12, 12);
        Assert.Equal(GreedyColoringBoxCover.Run(g, seed: 5).BoxCounts, GreedyColoringBoxCover.Run(g, seed: 5).BoxCounts);
        Assert.Equal(CbbBoxCover.Run(g, seed: 5).BoxCounts, CbbBoxCover.Run(g, seed: 5).BoxCounts);
        Assert.Throws<SelfSimException>(() => CbbBoxCover.Run(g, new[] { 1 }));
        Assert.Throws<SelfSimException>(() => MembBoxCover.Run(g, new[] { 4 }));
    }

    [Fact]
    public void Random_order_colouring_beats_id_order_on_lattices()
    {
        // The known trap: colouring a lattice in id order. Random orders (minimum of restarts) give far fewer boxes
        // at l_B = 2 than the worst case of one box per node, and close to the optimum N/2 (dominoes).
        var g = LatticeGraph.Create(20, 20);
        var r = GreedyColoringBoxCover.Run(g, new[] { 2, 3 }, restarts: 4, seed: 1);
        Assert.InRange(r.CountAt(2)!.Value, 200, 240);
    }
}

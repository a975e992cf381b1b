#nullable enable
using System;
using System.Collections.Generic;
using System.Threading.Tasks;

// Greedy-colouring box covering (GC): Song, Gallos, Havlin & Makse, J. Stat. Mech. P03006 (2007), section 3.1.

/// <summary>
/// Box covering by greedy colouring of the dual graph (i, j joined when d_ij ≥ l_B), for all l_B in one pass.
/// Nodes are coloured in a random order (seeded); the minimum over <c>restarts</c> orders is kept per l_B. Colouring in
/// id order is what the original description suggests and gives absurd counts on lattices: do not.
/// Runs on the largest connected component. Then, by default on components of at most
/// <see cref="TabuBoxCover.DefaultMaxNodes"/> nodes, <see cref="TabuBoxCover"/> lowers the counts by tabu-search recolouring.
/// </summary>
public static class GreedyColoringBoxCover
{
    /// <param name="progress">Called with the fraction done (0..1), from the calling thread.</param>
    public static GraphBoxCoverResult Run(CsrGraph graph, int[]? boxSizes = null, int restarts = 4, int seed = 0, Action<double>? progress = null, int? tabuIterations = null)
    {
        var lc = LargestComponent.Of(graph);
        var g = lc.Graph;
        var sizes = BoxSizes.Check(boxSizes, g, out _);
        if (restarts < 1) throw new SelfSimException($"GC restarts = {restarts}: use at least 1.");
        var best = new int[sizes.Length];
        Array.Fill(best, int.MaxValue);
        for (int r = 0; r < restarts; r++)
        {
            int rr = r;
            var counts = OneOrder(g, sizes, new Random(SeedStreams.Mix(seed, r, 0x6c)),
                progress is null ? null : f => progress((rr + f) / restarts));
            for (int i = 0; i < sizes.Length; i++) best[i] = Math.Min(best[i], counts[i]);
        }
        int tabu = TabuIterationsFor(g.NodeCount, tabuIterations);
        if (tabu > 0) best = TabuBoxCover.Improve(g, sizes, best, seed, tabu);
        return new GraphBoxCoverResult("gc", sizes, best, g.NodeCount, graph.NodeCount, lc.ComponentCount, lc.Describe(), restarts, seed);
    }

    /// <summary>The tabu steps GC uses on a component of <paramref name="nodes"/> nodes: <paramref name="requested"/>
    /// when given (0 = greedy only), else <see cref="TabuBoxCover.DefaultIterations"/> up to
    /// <see cref="TabuBoxCover.DefaultMaxNodes"/> nodes and 0 above.</summary>
    public static int TabuIterationsFor(int nodes, int? requested)
    {
        if (requested < 0) throw new SelfSimException($"GC tabu iterations = {requested}: use 0 (greedy only) or more.");
        return requested ?? (nodes <= TabuBoxCover.DefaultMaxNodes ? TabuBoxCover.DefaultIterations : 0);
    }

    static int[] OneOrder(CsrGraph g, int[] sizes, Random rng, Action<double>? progress = null)
    {
        int n = g.NodeCount, L = sizes.Length, lmax = sizes[L - 1];
        if (L > 64) throw new SelfSimException($"GC computes at most 64 box sizes per call; got {L}: pass fewer sizes.");
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        rng.Shuffle(order);
        // Per level k: colour of each node, and per colour its first member (representative), the largest distance
        // from it to a member, and the member list. repMask[v] has bit k set when v represents a colour at level k.
        var colour = new int[L][];
        var rep = new List<int>[L]; var radius = new List<int>[L]; var members = new List<List<int>>[L];
        for (int k = 0; k < L; k++) { colour[k] = new int[n]; Array.Fill(colour[k], -1); rep[k] = new(); radius[k] = new(); members[k] = new(); }
        var repMask = new ulong[n];
        // firstLevel[d] = first level k with d < sizes[k] (levels where a node at distance d is inside the box).
        var firstLevel = new int[lmax];
        for (int d = 0, k = 0; d < lmax; d++) { while (sizes[k] <= d) k++; firstLevel[d] = k; }
        var cand = new List<int>[L];
        for (int k = 0; k < L; k++) cand[k] = new List<int>();
        const int Batch = 64;
        var scratch = new BfsScratch[Batch];
        for (int b = 0; b < Batch; b++) scratch[b] = new BfsScratch(n);
        for (int start = 0; start < n; start += Batch)
        {
            int cnt = Math.Min(Batch, n - start);
            progress?.Invoke((double)start / n);
            Parallel.For(0, cnt, b => scratch[b].Run(g, order[start + b], lmax - 1));
            for (int b = 0; b < cnt; b++)
            {
                var s = scratch[b];
                int i = order[start + b];
                for (int k = 0; k < L; k++) cand[k].Clear();
                // Candidate colours: those whose representative lies within distance < l (a colour is allowed only if
                // every member, the representative included, is).
                for (int p = 0; p < s.Count; p++)
                {
                    int v = s.Order[p];
                    ulong m = repMask[v];
                    if (m == 0) continue;
                    m &= ~((1UL << firstLevel[s.DepthOf(v)]) - 1);
                    while (m != 0)
                    {
                        int k = System.Numerics.BitOperations.TrailingZeroCount(m);
                        m &= m - 1;
                        cand[k].Add(colour[k][v]);
                    }
                }
                for (int k = 0; k < L; k++)
                {
                    int l = sizes[k];
                    var ck = cand[k];
                    ck.Sort();
                    int chosen = -1;
                    foreach (var c in ck)
                    {
                        int dr = s.DepthOf(rep[k][c]);
                        if (dr + radius[k][c] < l) { chosen = c; break; }
                        bool ok = true;
                        foreach (var m in members[k][c]) { int dm = s.DepthOf(m); if (dm < 0 || dm >= l) { ok = false; break; } }
                        if (ok) { chosen = c; break; }
                    }
                    if (chosen < 0)
                    {
                        chosen = rep[k].Count;
                        rep[k].Add(i); radius[k].Add(0); members[k].Add(new List<int> { i });
                        repMask[i] |= 1UL << k;
                    }
                    else
                    {
                        members[k][chosen].Add(i);
                        int dr = s.DepthOf(rep[k][chosen]);
                        if (dr > radius[k][chosen]) radius[k][chosen] = dr;
                    }
                    colour[k][i] = chosen;
                }
            }
        }
        var counts = new int[L];
        for (int k = 0; k < L; k++) counts[k] = rep[k].Count;
        return counts;
    }
}

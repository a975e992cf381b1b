#nullable enable
using System;
using System.Collections.Generic;
using System.Threading.Tasks;

// Compact Box Burning (CBB): Song, Gallos, Havlin & Makse, J. Stat. Mech. P03006 (2007), section 3.2.

/// <summary>
/// CBB: build one box at a time from the uncovered nodes: the candidate set C starts as all uncovered nodes; pick a
/// random node p of C into the box and drop from C every node at distance ≥ l_B from p; repeat until C is empty.
/// Boxes are compact (all pairwise distances &lt; l_B). The minimum N_B over seeded random restarts (run in parallel)
/// is kept per l_B. Runs on the largest connected component.
/// </summary>
public static class CbbBoxCover
{
    /// <param name="progress">Called with the fraction done (0..1) before each box size, from the calling thread.</param>
    public static GraphBoxCoverResult Run(CsrGraph graph, int[]? boxSizes = null, int restarts = 4, int seed = 0, Action<double>? progress = null)
    {
        var lc = LargestComponent.Of(graph);
        var g = lc.Graph;
        var sizes = BoxSizes.Check(boxSizes, g, out _);
        if (restarts < 1) throw new SelfSimException($"CBB restarts = {restarts}: use at least 1.");
        int n = g.NodeCount;
        var counts = new int[sizes.Length];
        for (int k = 0; k < sizes.Length; k++)
        {
            progress?.Invoke((double)k / sizes.Length);
            int l = sizes[k];
            var per = new int[restarts];
            Parallel.For(0, restarts, () => (new BfsScratch(n), new Work(n)), (r, _, st) =>
            {
                per[r] = OneRun(g, l, new Random(SeedStreams.Mix(seed, r * 65536 + l, 0xcbb)), st.Item1, st.Item2);
                return st;
            }, _ => { });
            int best = int.MaxValue;
            foreach (var c in per) best = Math.Min(best, c);
            counts[k] = best;
        }
        return new GraphBoxCoverResult("cbb", sizes, counts, g.NodeCount, graph.NodeCount, lc.ComponentCount, lc.Describe(), restarts, seed);
    }

    sealed class Work
    {
        public readonly int[] Uncovered, Pos, Cand;
        public Work(int n) { Uncovered = new int[n]; Pos = new int[n]; Cand = new int[n]; }
    }

    static int OneRun(CsrGraph g, int l, Random rng, BfsScratch s, Work w)
    {
        int n = g.NodeCount;
        var unc = w.Uncovered; var pos = w.Pos; var cand = w.Cand;
        for (int v = 0; v < n; v++) { unc[v] = v; pos[v] = v; }
        int left = n, boxes = 0;
        while (left > 0)
        {
            // First member: a random uncovered node; C = uncovered nodes within distance < l of it.
            int p = unc[rng.Next(left)];
            Cover(p);
            s.Run(g, p, l - 1);
            int cn = 0;
            for (int i = 1; i < s.Count; i++) { int v = s.Order[i]; if (pos[v] >= 0) cand[cn++] = v; }
            while (cn > 0)
            {
                int pick = rng.Next(cn);
                p = cand[pick];
                cand[pick] = cand[--cn];
                Cover(p);
                if (cn == 0) break;
                s.RunUntilFound(g, p, l - 1, cand, cn);
                int keep = 0;
                for (int i = 0; i < cn; i++) if (s.Reached(cand[i])) cand[keep++] = cand[i];
                cn = keep;
            }
            boxes++;
        }
        return boxes;

        void Cover(int v)
        {
            int i = pos[v], last = unc[--left];
            unc[i] = last; pos[last] = i; pos[v] = -1;
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

// Maximum Excluded Mass Burning (MEMB): Song, Gallos, Havlin & Makse, J. Stat. Mech. P03006 (2007), section 3.3.

/// <summary>
/// MEMB: repeatedly pick as a centre the non-centre node whose ball of radius r_B holds the most uncovered nodes
/// (its excluded mass), cover that ball, until every node is covered; N_B is the number of centres and
/// l_B = 2·r_B + 1, so only odd box sizes ≥ 3 are computed (even sizes in the request are skipped).
/// Exact greedy via lazy evaluation: excluded masses only shrink, so a popped node whose fresh mass still beats the
/// next key is the true maximum. Default sizes: r_B = 1, 2, 4, 8, … (l_B = 3, 5, 9, 17, …) up to the diameter. Ties go to a seeded random priority. Runs on the largest connected component.
/// </summary>
public static class MembBoxCover
{
    public static GraphBoxCoverResult Run(CsrGraph graph, int[]? boxSizes = null, int seed = 0)
    {
        var lc = LargestComponent.Of(graph);
        var g = lc.Graph;
        var sizes = BoxSizes.Check(boxSizes ?? BoxSizes.Radial(GraphBfs.DiameterLowerBound(g)), g, out _).Where(l => l >= 3 && l % 2 == 1).ToArray();
        if (sizes.Length == 0) throw new SelfSimException("MEMB computes odd box sizes l_B = 2·r_B + 1 ≥ 3 only: include at least one odd l_B ≥ 3.");
        int n = g.NodeCount;
        var tie = new int[n];
        var rng = new Random(seed);
        for (int v = 0; v < n; v++) tie[v] = rng.Next();
        var counts = new int[sizes.Length];
        var radii = sizes.Select(l => (l - 1) / 2).ToArray();
        // Initial excluded masses = ball sizes, for every radius from one BFS per node out to the largest radius.
        var ball = new int[sizes.Length][];
        for (int k = 0; k < sizes.Length; k++) ball[k] = new int[n];
        int rmax = radii[^1];
        Parallel.For(0, n, () => new BfsScratch(n), (v, _, sc) =>
        {
            sc.Run(g, v, rmax);
            int p = 0;
            for (int k = 0; k < radii.Length; k++)
            {
                while (p < sc.Count && sc.DepthOf(sc.Order[p]) <= radii[k]) p++;
                ball[k][v] = p;
            }
            return sc;
        }, _ => { });
        var covered = new bool[n];
        var isCentre = new bool[n];
        var s = new BfsScratch(n);
        for (int k = 0; k < sizes.Length; k++)
        {
            int r = radii[k];
            var mass = ball[k];
            var pq = new PriorityQueue<int, (int NegMass, int Tie)>(n);
            for (int v = 0; v < n; v++) pq.Enqueue(v, (-mass[v], tie[v]));
            Array.Clear(covered); Array.Clear(isCentre);
            int uncovered = n, centres = 0;
            while (uncovered > 0 && pq.TryDequeue(out int v, out _))
            {
                if (isCentre[v]) continue;
                s.Run(g, v, r);
                int m = 0;
                for (int i = 0; i < s.Count; i++) if (!covered[s.Order[i]]) m++;
                if (m == 0) continue;
                var key = (-m, tie[v]);
                if (pq.TryPeek(out _, out var next) && key.CompareTo(next) > 0) { pq.Enqueue(v, key); continue; }
                isCentre[v] = true; centres++;
                for (int i = 0; i < s.Count; i++) { int w = s.Order[i]; if (!covered[w]) { covered[w] = true; uncovered--; } }
            }
            counts[k] = centres;
            ball[k] = null!;
        }
        return new GraphBoxCoverResult("memb", sizes, counts, g.NodeCount, graph.NodeCount, lc.ComponentCount, lc.Describe(), 1, seed);
    }
}

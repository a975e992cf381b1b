#nullable enable
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

// Maximum Excluded Mass Burning (MEMB): Song, Gallos, Havlin & Makse, J. Stat. Mech. P03006 (2007), section 3.3.

/// <summary>
/// MEMB: repeatedly pick as a centre the non-centre node whose ball of radius r_B holds the most uncovered nodes
/// (its excluded mass), cover that ball, until every node is covered; N_B is the number of centres and
/// l_B = 2·r_B + 1, so only odd box sizes ≥ 3 are computed (even sizes in the request are skipped).
/// Exact greedy: masses are kept exact (after each centre, BFS from the newly covered nodes — or from the still
/// uncovered ones, whichever is fewer — updates them), and a heap with stale-key requeueing yields the maximum. Default sizes: r_B = 1, 2, 4, 8, … (l_B = 3, 5, 9, 17, …) up to the diameter. Ties go to a seeded random priority. Runs on the largest connected component.
/// </summary>
public static class MembBoxCover
{
    /// <param name="progress">Called with the fraction done (0..1) after each box size, from the calling thread.</param>
    public static GraphBoxCoverResult Run(CsrGraph graph, int[]? boxSizes = null, int seed = 0, Action<double>? progress = null)
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
        var s2 = new BfsScratch(n);
        var pool = new ConcurrentBag<BfsScratch>();
        var newly = new List<int>();
        var uncoveredList = new List<int>();
        for (int k = 0; k < sizes.Length; k++)
        {
            progress?.Invoke((double)k / sizes.Length);
            int r = radii[k];
            var mass = ball[k]; // exact excluded masses, kept up to date after every centre
            var pq = new PriorityQueue<int, (int NegMass, int Tie)>(n);
            for (int v = 0; v < n; v++) pq.Enqueue(v, (-mass[v], tie[v]));
            Array.Clear(covered); Array.Clear(isCentre);
            int uncovered = n, centres = 0;
            while (uncovered > 0 && pq.TryDequeue(out int v, out var key))
            {
                if (isCentre[v] || mass[v] == 0) continue;
                if (-key.NegMass != mass[v]) { pq.Enqueue(v, (-mass[v], tie[v])); continue; } // stale key: requeue at its true mass
                isCentre[v] = true; centres++;
                s.Run(g, v, r);
                newly.Clear();
                for (int i = 0; i < s.Count; i++) { int w = s.Order[i]; if (!covered[w]) { covered[w] = true; newly.Add(w); } }
                uncovered -= newly.Count;
                if (uncovered == 0) break;
                // Update masses exactly: each newly covered node leaves the mass of every node within r of it. When
                // fewer nodes stay uncovered than were just covered, recount from the uncovered side instead.
                if (newly.Count <= uncovered) AddBalls(g, newly, r, mass, -1, s2, pool);
                else
                {
                    uncoveredList.Clear();
                    for (int w = 0; w < n; w++) if (!covered[w]) uncoveredList.Add(w);
                    Array.Clear(mass);
                    AddBalls(g, uncoveredList, r, mass, +1, s2, pool);
                }
            }
            counts[k] = centres;
            ball[k] = null!;
        }
        return new GraphBoxCoverResult("memb", sizes, counts, g.NodeCount, graph.NodeCount, lc.ComponentCount, lc.Describe(), 1, seed);
    }

    // mass[v] += delta for every v within r of each source (parallel BFS, atomic updates).
    // Scratch buffers are pooled: allocating one per centre would zero O(n) memory thousands of times.
    static void AddBalls(CsrGraph g, List<int> sources, int r, int[] mass, int delta, BfsScratch serial, ConcurrentBag<BfsScratch> pool)
    {
        int n = g.NodeCount;
        if (sources.Count < 64)
        {
            foreach (var w in sources) { serial.Run(g, w, r); for (int i = 0; i < serial.Count; i++) mass[serial.Order[i]] += delta; }
            return;
        }
        Parallel.For(0, sources.Count, () => pool.TryTake(out var sc) ? sc : new BfsScratch(n), (i, _, sc) =>
        {
            sc.Run(g, sources[i], r);
            for (int j = 0; j < sc.Count; j++) Interlocked.Add(ref mass[sc.Order[j]], delta);
            return sc;
        }, sc => pool.Add(sc));
    }
}

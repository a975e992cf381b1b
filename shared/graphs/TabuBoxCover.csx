#nullable enable
using System;
using System.Collections.Generic;
using System.Threading.Tasks;

// Tabu-search colouring (Tabucol): Hertz & de Werra, Computing 39, 345 (1987); tenure rule of Galinier & Hao, J. Comb. Optim. 3, 379 (1999).

/// <summary>
/// Improves box counts by tabu-search recolouring of the dual graph (i, j joined when d_ij ≥ l_B): from a valid greedy
/// colouring with K colours, empty the smallest colour, move its nodes to the colours where they clash least, and let
/// Tabucol remove the clashes (one node changes colour per step; a reverse move is tabu for 0.6·clashes + rand(10)
/// steps unless it beats the best); on success try K − 1, else stop. Every count returned is a valid cover (a
/// conflict-free colouring), so it never exceeds the greedy one. Needs all pairwise distances: n² bytes.
/// Measured on the (2,3)-flower of generation 5 (2,345 nodes): greedy colouring holds 22-41% more boxes than the exact
/// minimum (SciPy HiGHS set cover, tools/checks/flower_min_cover_ilp.py) at l_B = 5..10; see shared/graphs/README.md.
/// </summary>
public static class TabuBoxCover
{
    /// <summary>Graphs with more nodes than this are not improved by default (the distance table is n² bytes).</summary>
    public const int DefaultMaxNodes = 8000;
    /// <summary>Sizes whose greedy count exceeds this are left unchanged (tiny boxes: outside any fit window, and the
    /// n·K tables would be large).</summary>
    public const int MaxBoxes = 512;
    /// <summary>The default bound on tabu steps per attempted number of boxes.</summary>
    public const int DefaultIterations = 4000;

    /// <summary>Returns, per size, the fewest boxes of a conflict-free colouring found (≤ counts[i]); sizes above 255
    /// counts of 1 and counts above <see cref="MaxBoxes"/> are returned unchanged. <paramref name="iterations"/> bounds the tabu steps per attempted K.</summary>
    public static int[] Improve(CsrGraph g, int[] sizes, int[] counts, int seed, int iterations)
    {
        int n = g.NodeCount;
        if (iterations <= 0 || n < 2) return (int[])counts.Clone();
        int lmax = 0;
        foreach (var l in sizes) if (l <= 255) lmax = Math.Max(lmax, l);
        var dist = GraphBfs.AllPairsCapped(g, Math.Max(lmax - 1, 0));   // farther than lmax - 1: far at every size
        var result = (int[])counts.Clone();
        Parallel.For(0, sizes.Length, k =>
        {
            if (sizes[k] > 255 || counts[k] <= 1 || counts[k] > MaxBoxes) return;
            int best = Run(dist, n, sizes[k], new Random(SeedStreams.Mix(seed, k, 0x7ab)), iterations);
            result[k] = Math.Min(result[k], best);
        });
        return result;
    }

    // Fewest colours of a valid colouring found at size l.
    static int Run(byte[] dist, int n, int l, Random rng, int iterations)
    {
        // Valid greedy colouring in a random order: first colour with no far member.
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        rng.Shuffle(order);
        var col = new int[n];
        Array.Fill(col, -1);
        var classes = new List<List<int>>();
        foreach (int v in order)
        {
            long row = (long)v * n;
            int c = 0;
            for (; c < classes.Count; c++)
            {
                bool ok = true;
                foreach (int m in classes[c]) if (dist[row + m] >= l) { ok = false; break; }
                if (ok) break;
            }
            if (c == classes.Count) classes.Add(new List<int>());
            classes[c].Add(v); col[v] = c;
        }
        int K = classes.Count;
        if (K <= 1) return K;
        int W = K;                       // row width: the first colouring's count; colours >= K stay empty
        var gamma = new int[n * W];      // gamma[v*W + c]: far neighbours of v coloured c
        var tabu = new int[n * W];
        for (int v = 0; v < n; v++)
        {
            long row = (long)v * n;
            for (int u = 0; u < n; u++) if (u != v && dist[row + u] >= l) gamma[v * W + col[u]]++;
        }
        int found = K;
        var conf = new List<int>();
        int it = 0;
        while (K > 1)
        {
            // Drop the smallest colour: relabel the last colour into it, move its nodes to their least-clashing colour.
            var size = new int[K];
            for (int v = 0; v < n; v++) size[col[v]]++;
            int drop = 0;
            for (int c = 1; c < K; c++) if (size[c] < size[drop]) drop = c;
            int newK = K - 1;
            var moved = new List<int>();
            for (int v = 0; v < n; v++)
            {
                if (col[v] == drop) moved.Add(v);
                else if (col[v] == newK) col[v] = drop;
                gamma[v * W + drop] = gamma[v * W + newK]; gamma[v * W + newK] = 0;
            }
            K = newK;
            foreach (int v in moved)
            {
                int bc = 0;
                for (int c = 1; c < K; c++)
                    if (gamma[v * W + c] < gamma[v * W + bc] || (gamma[v * W + c] == gamma[v * W + bc] && rng.Next(2) == 0)) bc = c;
                col[v] = bc;
                long row = (long)v * n;
                for (int u = 0; u < n; u++) if (u != v && dist[row + u] >= l) gamma[u * W + bc]++;
            }
            Array.Clear(tabu);
            int f = 0;
            for (int v = 0; v < n; v++) f += gamma[v * W + col[v]];
            f /= 2;
            int bestF = f;
            int stop = it + iterations;
            while (f > 0 && it < stop)
            {
                it++;
                conf.Clear();
                for (int v = 0; v < n; v++) if (gamma[v * W + col[v]] > 0) conf.Add(v);
                int bv = -1, bcol = -1, bd = int.MaxValue, ties = 0;
                foreach (int v in conf)
                {
                    int cur = gamma[v * W + col[v]];
                    for (int c = 0; c < K; c++)
                    {
                        if (c == col[v]) continue;
                        int d = gamma[v * W + c] - cur;
                        if (tabu[v * W + c] > it && f + d >= bestF) continue;
                        if (d < bd) { bd = d; bv = v; bcol = c; ties = 1; }
                        else if (d == bd && rng.Next(++ties) == 0) { bv = v; bcol = c; }
                    }
                }
                if (bv < 0) continue;
                int old = col[bv];
                col[bv] = bcol;
                f += bd;
                tabu[bv * W + old] = it + (int)(0.6 * conf.Count) + rng.Next(10);
                long r = (long)bv * n;
                for (int u = 0; u < n; u++)
                    if (u != bv && dist[r + u] >= l) { gamma[u * W + old]--; gamma[u * W + bcol]++; }
                if (f < bestF) bestF = f;
            }
            if (f > 0) break;
            found = K;
        }
        return found;
    }
}

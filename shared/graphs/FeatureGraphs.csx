#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

// Feature networks: nodes are feature vectors (rows of [C, B]) joined by distance, as in Ding et al. (arXiv 2507.17785) after Song, Havlin & Makse (2005).

/// <summary>
/// Builds graphs whose nodes are the rows of a feature matrix [C, B] from its row-major C×C distance matrix, as
/// <see cref="NodeMatrix.DistanceArray"/> gives it (Euclidean divided by sqrt(B), the paper's normalisation, so scales
/// are comparable across layer widths). From features, go through a node matrix:
/// <c>NodeMatrix.FromTensor("layer", x).ThresholdGraph(l)</c> or <c>.KNearestGraph(k)</c>.
/// </summary>
public static class FeatureGraphs
{
    /// <summary>Threshold graph at scale <paramref name="l"/> from a precomputed row-major n×n distance matrix: an edge where d(i,j) &lt; l, i ≠ j.</summary>
    public static CsrGraph Threshold(double[] distances, int n, double l)
    {
        CheckDistances(distances, n);
        if (!(l > 0) || double.IsNaN(l)) throw new SelfSimException($"Threshold scale l = {l} must be positive: pick l between the smallest and largest pairwise distance.");
        var src = new List<int>(); var dst = new List<int>();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (distances[(long)i * n + j] < l) { src.Add(i); dst.Add(j); }
        return CsrGraph.FromEdges(n, src.ToArray(), dst.ToArray());
    }

    /// <summary>The scales l at which the given fractions of node pairs are closer than l: just above the ⌈f·m⌉-th
    /// smallest of the m pair distances, so the threshold graph at l holds that fraction of all pairs as edges.</summary>
    public static double[] ScalesAtPairFractions(double[] distances, int n, params double[] fractions)
    {
        CheckDistances(distances, n);
        if (n < 2) throw new SelfSimException($"Scales at pair fractions need at least 2 nodes; got {n}.");
        if (fractions.Any(f => !(f > 0 && f <= 1))) throw new SelfSimException($"Pair fractions must be in (0, 1]; got {string.Join(", ", fractions)} (e.g. 0.05 for 5% of all pairs).");
        var pairs = new double[(long)n * (n - 1) / 2];
        long t = 0;
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) pairs[t++] = distances[(long)i * n + j];
        Array.Sort(pairs);
        return fractions.Select(f =>
        {
            int k = Math.Max(1, (int)Math.Ceiling(f * pairs.Length)) - 1;
            return pairs[k] + Math.Max(1e-12, Math.Abs(pairs[k]) * 1e-9);
        }).ToArray();
    }

    /// <summary>One scale of <see cref="ScalesAtPairFractions"/>.</summary>
    public static double ScaleAtPairFraction(double[] distances, int n, double fraction) => ScalesAtPairFractions(distances, n, fraction)[0];

    /// <summary>
    /// k-nearest-neighbour graph: each node links to its k closest other nodes (ties broken by the lower node id).
    /// Undirected: an edge where i is among j's k nearest OR j among i's; with <paramref name="mutual"/>, AND.
    /// </summary>
    public static CsrGraph KNearest(double[] distances, int n, int k, bool mutual = false)
    {
        CheckDistances(distances, n);
        if (k < 1 || k >= n) throw new SelfSimException($"k = {k} nearest neighbours is out of range for {n} nodes: choose 1 ≤ k ≤ {n - 1}.");
        var nearest = new int[n * k];
        Parallel.For(0, n, i =>
        {
            var idx = new int[n - 1]; var key = new double[n - 1];
            int p = 0;
            for (int j = 0; j < n; j++) if (j != i) { idx[p] = j; key[p] = distances[(long)i * n + j]; p++; }
            Array.Sort(key, idx); // stable enough: ties resolved below
            // Resolve ties by node id within equal keys.
            int s = 0;
            while (s < idx.Length)
            {
                int e = s + 1;
                while (e < idx.Length && key[e] == key[s]) e++;
                if (e - s > 1) Array.Sort(idx, s, e - s);
                s = e;
                if (s >= k) break;
            }
            Array.Copy(idx, 0, nearest, i * k, k);
        });
        var src = new List<int>(); var dst = new List<int>();
        for (int i = 0; i < n; i++)
            for (int a = 0; a < k; a++)
            {
                int j = nearest[i * k + a];
                if (!mutual) { src.Add(i); dst.Add(j); continue; }
                if (j > i && Array.IndexOf(nearest, i, j * k, k) >= 0) { src.Add(i); dst.Add(j); }
            }
        return CsrGraph.FromEdges(n, src.ToArray(), dst.ToArray());
    }

    static void CheckDistances(double[] d, int n)
    {
        if (n <= 0) throw new SelfSimException("A distance matrix needs at least one node.");
        if (d.Length != (long)n * n) throw new SelfSimException($"Distance matrix has {d.Length} entries but {n} nodes need {(long)n * n}: pass a row-major n×n matrix.");
    }
}

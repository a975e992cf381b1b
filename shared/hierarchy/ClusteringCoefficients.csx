#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

// Local clustering coefficients (Watts & Strogatz 1998) and the hierarchy signature C(k) ~ k^(−β): Ravasz & Barabási, Phys. Rev. E 67, 026112 (2003).

/// <summary>C(k): the mean local clustering of the nodes of degree k, with how many nodes have that degree.</summary>
public sealed record ClusteringByDegree(int[] Degrees, double[] MeanClustering, int[] NodeCounts);

/// <summary>Fit of C(k) ~ k^(−β) by least squares on log C vs log k, <see cref="Beta"/> with its 95% Student-t interval;
/// β ≈ 1 marks hierarchical modularity.</summary>
public sealed record ClusteringScalingFit(Estimate Beta, double Intercept, int Points, double RSquared, int MinDegree, int MaxDegree);

/// <summary>Triangles, local clustering and C(k) on a <see cref="CsrGraph"/> (sorted adjacency, marker array, parallel over nodes).</summary>
public static class ClusteringCoefficients
{
    /// <summary>Number of triangles through each node.</summary>
    public static long[] Triangles(CsrGraph g)
    {
        int n = g.NodeCount;
        var t = new long[n];
        Parallel.For(0, n, () => new int[n], (v, _, mark) =>
        {
            var nv = g.Neighbors(v);
            int stamp = v + 1;
            foreach (var w in nv) mark[w] = stamp;
            long c = 0;
            foreach (var w in nv)
                foreach (var x in g.Neighbors(w))
                    if (x > w && mark[x] == stamp) c++;
            t[v] = c;
            return mark;
        }, _ => { });
        return t;
    }

    /// <summary>Local clustering C_v = 2 T_v / (k_v (k_v − 1)); 0 for degree below 2 (networkx convention).</summary>
    public static double[] Local(CsrGraph g)
    {
        var t = Triangles(g);
        var c = new double[g.NodeCount];
        for (int v = 0; v < c.Length; v++)
        {
            long k = g.Degree(v);
            c[v] = k < 2 ? 0 : 2.0 * t[v] / (k * (k - 1));
        }
        return c;
    }

    /// <summary>Mean local clustering over all nodes (networkx average_clustering).</summary>
    public static double Average(CsrGraph g) => g.NodeCount == 0 ? 0 : Local(g).Average();

    /// <summary>C(k) for every degree k ≥ 2 present in the graph.</summary>
    public static ClusteringByDegree ByDegree(CsrGraph g)
    {
        var c = Local(g);
        var sum = new SortedDictionary<int, (double S, int N)>();
        for (int v = 0; v < c.Length; v++)
        {
            int k = g.Degree(v);
            if (k < 2) continue;
            sum.TryGetValue(k, out var acc);
            sum[k] = (acc.S + c[v], acc.N + 1);
        }
        return new ClusteringByDegree(sum.Keys.ToArray(), sum.Values.Select(a => a.S / a.N).ToArray(), sum.Values.Select(a => a.N).ToArray());
    }

    /// <summary>
    /// Fits C(k) ~ k^(−β) over degrees with C(k) &gt; 0, k in [minDegree, maxDegree] and at least <paramref name="minNodes"/>
    /// nodes (sparse high degrees are noisy). Needs 3 points, else a <see cref="SelfSimException"/>.
    /// </summary>
    public static ClusteringScalingFit FitScaling(ClusteringByDegree ck, int minDegree = 2, int maxDegree = int.MaxValue, int minNodes = 1)
    {
        var idx = Enumerable.Range(0, ck.Degrees.Length)
            .Where(i => ck.Degrees[i] >= minDegree && ck.Degrees[i] <= maxDegree && ck.MeanClustering[i] > 0 && ck.NodeCounts[i] >= minNodes).ToArray();
        if (idx.Length < 3)
            throw new SelfSimException($"C(k) has {idx.Length} degrees with positive clustering in [{minDegree}, {maxDegree}]: a C(k) ~ k^-β fit needs 3; the graph may have no triangles (trees, lattices, flowers).");
        var x = idx.Select(i => Math.Log(ck.Degrees[i])).ToArray();
        var y = idx.Select(i => Math.Log(ck.MeanClustering[i])).ToArray();
        var f = LeastSquares.Line(x, y, requireSpread: true);
        return new ClusteringScalingFit(f.NegativeSlopeInterval(0.95), f.Intercept, idx.Length, f.RSquared, ck.Degrees[idx[0]], ck.Degrees[idx[^1]]);
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

// Empirical degree distributions: the complementary CDF P(X ≥ x) that Clauset, Shalizi & Newman (SIAM Review 51, 661,
// 2009) recommend over binned histograms, and the plain P(k).

/// <summary>Empirical distributions of degree sequences (or any positive samples).</summary>
public static class DegreeDistribution
{
    /// <summary>The empirical CCDF P(X ≥ x) at each distinct positive value x (ascending); non-positive values are left out.</summary>
    public static (double[] X, double[] P) Ccdf(IEnumerable<double> samples)
    {
        var v = samples.Where(s => s > 0).OrderBy(s => s).ToArray();
        if (v.Length == 0) throw new SelfSimException("The CCDF needs at least one positive value (a graph with no edges has only degree 0).");
        var xs = new List<double>(); var ps = new List<double>();
        for (int i = 0; i < v.Length; i++)
            if (i == 0 || v[i] != v[i - 1]) { xs.Add(v[i]); ps.Add((double)(v.Length - i) / v.Length); }
        return (xs.ToArray(), ps.ToArray());
    }

    /// <summary><see cref="Ccdf(IEnumerable{double})"/> of a degree sequence.</summary>
    public static (double[] X, double[] P) Ccdf(int[] degrees) => Ccdf(degrees.Select(k => (double)k));

    /// <summary>P(k): the fraction of nodes of each degree k ≥ 1 present (ascending k).</summary>
    public static (int[] K, double[] P) Pmf(int[] degrees)
    {
        var g = degrees.Where(k => k > 0).GroupBy(k => k).OrderBy(x => x.Key).ToArray();
        return (g.Select(x => x.Key).ToArray(), g.Select(x => (double)x.Count() / degrees.Length).ToArray());
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

// TwoNN intrinsic dimension: Facco, d'Errico, Rodriguez & Laio, "Estimating the intrinsic dimension of datasets by a
// minimal neighborhood information", Scientific Reports 7, 12140 (2017).

/// <summary>A TwoNN estimate: the dimension with its bootstrap interval, and the settings behind it.</summary>
public sealed record TwoNnResult(Estimate Dimension, double DiscardFraction, int Points, int Fitted, int Duplicates,
    IReadOnlyList<string> Warnings);

/// <summary>
/// TwoNN: for each point the ratio μ = r₂/r₁ of its second to first nearest-neighbour distance is Pareto distributed,
/// F(μ) = 1 − μ^(−d), whatever the density. With the μ sorted and F_i = i/N, d is the slope of the line through the
/// origin of −ln(1 − F_i) against ln μ_i over the smallest (1 − discard)·N ratios (Facco et al.'s fit; the largest
/// ratios, from points at the edge of the data, are discarded: 10% by default, as there and in scikit-dimension).
/// The interval is a percentile bootstrap over points (it treats the ratios as independent; they nearly are).
/// </summary>
public static class TwoNn
{
    /// <summary>The fraction of largest ratios left out of the fit (Facco et al. 2017; scikit-dimension's default).</summary>
    public const double DefaultDiscardFraction = 0.1;

    /// <summary>TwoNN of the distinct points of <paramref name="cloud"/>; duplicates were set aside by the cloud (its warnings carry over).</summary>
    public static TwoNnResult Measure(PointCloud cloud, double discardFraction = DefaultDiscardFraction,
        int replicates = PercentileBootstrap.DefaultReplicates, int seed = 0, double level = 0.95)
    {
        if (cloud is null) throw new SelfSimException("TwoNn.Measure: the point cloud is null.");
        if (!(discardFraction >= 0 && discardFraction < 1))
            throw new SelfSimException($"TwoNN's discard fraction must lie in [0, 1); got {discardFraction}.");
        var nn = cloud.NearestDistances(2);
        var mu = nn.Select(r => r[1] / r[0]).ToArray();
        var warnings = cloud.Warnings.ToList();
        int ties = mu.Count(v => v == 1);
        if (ties > mu.Length / 4)
            warnings.Add($"{ties} of {mu.Length} points have two equally near neighbours (μ = 1, a lattice?): TwoNN assumes a continuous density.");
        int fitted = Kept(mu.Length, discardFraction);
        if (fitted < 2)
            throw new SelfSimException($"TwoNN: {cloud.Points} distinct points leave {fitted} ratio(s) to fit after discarding {discardFraction:P0}; use more points.");
        var est = PercentileBootstrap.Of(mu, v => Fit(v, discardFraction), replicates, seed, level);
        return new TwoNnResult(est, discardFraction, cloud.Points, fitted, cloud.Duplicates, warnings);
    }

    /// <summary>How many of N sorted ratios the fit keeps: ⌊(1 − discard)·N⌋, and never the last one (F = 1).</summary>
    public static int Kept(int n, double discardFraction) => Math.Min(n - 1, (int)Math.Floor((1 - discardFraction) * n));

    /// <summary>Facco et al.'s fit: with μ sorted and F_i = i/N (i = 1..N), the least-squares slope through the origin of
    /// y = −ln(1 − F_i) on x = ln μ_i over the first <see cref="Kept"/> ratios.</summary>
    public static double Fit(double[] mu, double discardFraction = DefaultDiscardFraction)
    {
        var s = (double[])mu.Clone();
        Array.Sort(s);
        int n = s.Length, m = Kept(n, discardFraction);
        double sxy = 0, sxx = 0;
        for (int i = 0; i < m; i++)
        {
            double x = Math.Log(s[i]), y = -Math.Log(1 - (i + 1.0) / n);
            sxy += x * y; sxx += x * x;
        }
        return sxx > 0 ? sxy / sxx : double.NaN;
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

// Maximum-likelihood intrinsic dimension: Levina & Bickel, "Maximum likelihood estimation of intrinsic dimension",
// NIPS 17 (2005), with the per-point inverses averaged as MacKay & Ghahramani (2005) advise.

/// <summary>An MLE estimate: the dimension with its bootstrap interval, and the neighbours it used.</summary>
public sealed record MleDimensionResult(Estimate Dimension, int Neighbours, int Points, int Duplicates, IReadOnlyList<string> Warnings);

/// <summary>
/// Levina–Bickel MLE at k neighbours: with T_j(x) the distance from x to its j-th neighbour, the per-point inverse
/// dimension is (1/(k−1)) Σ_{j&lt;k} ln(T_k/T_j); the estimate is one over the mean inverse (MacKay &amp; Ghahramani's
/// average, less biased than Levina &amp; Bickel's mean of per-point dimensions). Interval: a percentile bootstrap over points.
/// </summary>
public static class LevinaBickelMle
{
    /// <summary>k unless told otherwise (Levina &amp; Bickel use 10–20; scikit-dimension 20).</summary>
    public const int DefaultNeighbours = 20;

    public static MleDimensionResult Measure(PointCloud cloud, int neighbours = DefaultNeighbours,
        int replicates = PercentileBootstrap.DefaultReplicates, int seed = 0, double level = 0.95)
    {
        if (cloud is null) throw new SelfSimException("LevinaBickelMle.Measure: the point cloud is null.");
        if (neighbours < 2) throw new SelfSimException($"The MLE dimension needs k ≥ 2 neighbours; got {neighbours}.");
        if (neighbours >= cloud.Points)
            throw new SelfSimException($"The MLE dimension at k = {neighbours} needs more than {neighbours} distinct points; got {cloud.Points}. Lower k (--neighbours).");
        var nn = cloud.NearestDistances(neighbours);
        var inverse = nn.Select(t =>
        {
            double tk = t[neighbours - 1], s = 0;
            for (int j = 0; j < neighbours - 1; j++) s += Math.Log(tk / t[j]);
            return s / (neighbours - 1);
        }).ToArray();
        var warnings = cloud.Warnings.ToList();
        int flat = inverse.Count(v => v == 0);
        if (flat > 0) warnings.Add($"{flat} points have all {neighbours} neighbours at one distance (a lattice?); their neighbourhoods add no information.");
        var est = PercentileBootstrap.Of(inverse, v => 1 / v.Average(), replicates, seed, level);
        return new MleDimensionResult(est, neighbours, cloud.Points, cloud.Duplicates, warnings);
    }
}

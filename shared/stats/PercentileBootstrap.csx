#nullable enable
using System;
using System.Linq;

// The percentile bootstrap (Efron & Tibshirani 1993, ch. 13): resample the values with replacement, recompute the
// statistic, and read the interval off the quantiles of the replicates.

/// <summary>A percentile-bootstrap <see cref="Estimate"/> of a statistic of independent values.</summary>
public static class PercentileBootstrap
{
    /// <summary>Replicates unless told otherwise (400: milliseconds for the few thousand values a layer gives).</summary>
    public const int DefaultReplicates = 400;

    /// <summary>
    /// <paramref name="statistic"/> of <paramref name="values"/> as the point value; StdError = the replicates'
    /// standard deviation; [Lower, Upper] = their (1 − level)/2 and (1 + level)/2 quantiles. Seeded: the same input
    /// gives the same interval. Replicates whose statistic is not finite are dropped.
    /// </summary>
    public static Estimate Of(double[] values, Func<double[], double> statistic, int replicates = DefaultReplicates,
        int seed = 0, double level = 0.95)
    {
        if (values is null || values.Length == 0) throw new SelfSimException("PercentileBootstrap: no values to resample.");
        if (!(level > 0 && level < 1)) throw new SelfSimException($"PercentileBootstrap: the level must lie in (0, 1); got {level}.");
        if (replicates < 20) throw new SelfSimException($"PercentileBootstrap: {replicates} replicates are too few for an interval; use at least 20.");
        double value = statistic(values);
        var rng = new Random(seed);
        var sample = new double[values.Length];
        var reps = new double[replicates];
        int kept = 0;
        for (int b = 0; b < replicates; b++)
        {
            for (int i = 0; i < sample.Length; i++) sample[i] = values[rng.Next(values.Length)];
            double s = statistic(sample);
            if (double.IsFinite(s)) reps[kept++] = s;
        }
        if (kept < 2) return new Estimate(value, double.NaN, double.NaN, double.NaN, level);
        var r = reps.Take(kept).OrderBy(v => v).ToArray();
        double mean = r.Average();
        double sd = Math.Sqrt(r.Sum(v => (v - mean) * (v - mean)) / (kept - 1));
        return new Estimate(value, sd, Quantile(r, (1 - level) / 2), Quantile(r, (1 + level) / 2), level);
    }

    /// <summary>The p-quantile of sorted values, linear between order statistics (NumPy's default).</summary>
    public static double Quantile(double[] sorted, double p)
    {
        double h = (sorted.Length - 1) * p;
        int lo = (int)Math.Floor(h), hi = Math.Min(sorted.Length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

// The Student-t interval of a mean (Student 1908): x̄ ± t(1 − (1 − level)/2, n − 1) · s/√n.

/// <summary>The mean of a sample as an <see cref="Estimate"/>: the one t interval of a mean that experiments (paired
/// differences over seeds), surveys (mean S over seeds) and the gradient audit report.</summary>
public static class MeanInterval
{
    /// <summary>The mean of <paramref name="xs"/>, its standard error s/√n (sample standard deviation s) and the
    /// two-sided Student-t interval at <paramref name="level"/>; with one value the error and ends are NaN, with none
    /// every field is.</summary>
    public static Estimate Of(IReadOnlyList<double> xs, double level = 0.95)
    {
        if (!(level > 0 && level < 1)) throw new SelfSimException($"The interval's level must be in (0, 1), e.g. 0.95; got {level}.");
        int n = xs.Count;
        if (n == 0) return new Estimate(double.NaN, double.NaN, double.NaN, double.NaN, level);
        double m = xs.Average();
        if (n == 1) return new Estimate(m, double.NaN, double.NaN, double.NaN, level);
        double sd = Math.Sqrt(xs.Sum(x => (x - m) * (x - m)) / (n - 1));
        double se = sd / Math.Sqrt(n), half = StudentT.Quantile(0.5 + level / 2, n - 1) * se;
        return new Estimate(m, se, m - half, m + half, level);
    }
}

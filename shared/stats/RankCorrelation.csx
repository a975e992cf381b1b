#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

// Spearman's rank correlation (Spearman 1904) with the Fisher z interval using Fieller, Hartley & Pearson's (1957)
// variance 1.06/(n − 3) for ranks.

/// <summary>Spearman's ρ of paired values: the Pearson correlation of their ranks (ties get the mean rank).</summary>
public static class RankCorrelation
{
    /// <summary>ρ with its interval: z = atanh ρ ± q·√(1.06/(n − 3)), back through tanh (n ≥ 4; pairs with a
    /// non-finite value are dropped). StdError is √(1.06/(n − 3)) on the z scale mapped by the slope of tanh at z.</summary>
    public static Estimate Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y, double level = 0.95)
    {
        if (x is null || y is null || x.Count != y.Count)
            throw new SelfSimException("Spearman's ρ needs two lists of paired values of the same length.");
        var pairs = Enumerable.Range(0, x.Count).Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i])).ToArray();
        int n = pairs.Length;
        if (n < 4) throw new SelfSimException($"Spearman's ρ with an interval needs at least 4 pairs of finite values; got {n}.");
        var rx = Ranks(pairs.Select(i => x[i]).ToArray());
        var ry = Ranks(pairs.Select(i => y[i]).ToArray());
        double rho = Pearson(rx, ry);
        double se = Math.Sqrt(1.06 / (n - 3));
        double q = Math.Sqrt(2) * InverseErf(level);
        double z = Atanh(Math.Clamp(rho, -0.999999999, 0.999999999));
        double slope = 1 - rho * rho;
        return new Estimate(rho, slope * se, Math.Tanh(z - q * se), Math.Tanh(z + q * se), level);
    }

    /// <summary>Ranks 1..n, ties sharing their mean rank.</summary>
    public static double[] Ranks(double[] v)
    {
        var order = Enumerable.Range(0, v.Length).OrderBy(i => v[i]).ToArray();
        var r = new double[v.Length];
        for (int a = 0; a < order.Length;)
        {
            int b = a;
            while (b + 1 < order.Length && v[order[b + 1]] == v[order[a]]) b++;
            for (int k = a; k <= b; k++) r[order[k]] = (a + b) / 2.0 + 1;
            a = b + 1;
        }
        return r;
    }

    static double Pearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return saa > 0 && sbb > 0 ? sab / Math.Sqrt(saa * sbb) : double.NaN;
    }

    static double Atanh(double r) => 0.5 * Math.Log((1 + r) / (1 - r));

    /// <summary>erf⁻¹ by bisection on <see cref="SpecialFunctions.Erfc"/> (only for interval levels).</summary>
    static double InverseErf(double p)
    {
        double lo = 0, hi = 10;
        for (int i = 0; i < 200; i++) { double mid = (lo + hi) / 2; if (1 - SpecialFunctions.Erfc(mid) < p) lo = mid; else hi = mid; }
        return (lo + hi) / 2;
    }
}

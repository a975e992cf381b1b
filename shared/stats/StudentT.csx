#nullable enable
using System;

/// <summary>
/// Student's t distribution, the one implementation every interval in the project uses (d_B fits, C(k) fits,
/// experiment summaries): CDF through the regularized incomplete beta function, quantile by bracketing and bisection.
/// </summary>
public static class StudentT
{
    /// <summary>P(T ≤ t) for <paramref name="df"/> degrees of freedom.</summary>
    public static double Cdf(double t, double df)
    {
        if (!(df > 0)) throw new ArgumentOutOfRangeException(nameof(df), "degrees of freedom must be > 0");
        if (double.IsNaN(t)) return double.NaN;
        double x = df / (df + t * t);
        double tail = 0.5 * SpecialFunctions.IncompleteBetaRegularized(df / 2, 0.5, x);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The t with P(T ≤ t) = <paramref name="p"/>, e.g. Quantile(0.975, 2) = 4.3027.</summary>
    public static double Quantile(double p, double df)
    {
        if (!(p > 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), "p must be in (0, 1)");
        if (p < 0.5) return -Quantile(1 - p, df);
        double lo = 0, hi = 1;
        while (Cdf(hi, df) < p) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-12 * Math.Max(1, hi); i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Cdf(mid, df) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}

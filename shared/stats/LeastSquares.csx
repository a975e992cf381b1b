#nullable enable
using System;

// Ordinary least squares for a straight line (the one line fit every curve fit here uses: box dimensions, normalised
// box-covering fits, graph d_B, C(k) scaling).

/// <summary>A least-squares line y ≈ Slope·x + Intercept over <see cref="Points"/> points: standard errors of slope
/// and intercept (from RSS/(m − 2); NaN with 2 points), the residuals' RMS (√(RSS/m)), R², and the sums behind them.</summary>
public sealed record LineFit(double Slope, double Intercept, double SlopeStdError, double InterceptStdError, double ResidualRms,
    double RSquared, double Rss, double Sxx, double Syy, int Points)
{
    /// <summary>
    /// The slope with its two-sided Student-t interval at <paramref name="level"/> over Points − 2 degrees of freedom:
    /// Slope ± t·SlopeStdError (the one slope interval every line fit here reports). With 2 points, or every x the same,
    /// the error and the ends are NaN.
    /// </summary>
    public Estimate SlopeInterval(double level = 0.95)
    {
        if (!(level > 0 && level < 1)) throw new SelfSimException($"The interval's level must be in (0, 1), e.g. 0.95; got {level}.");
        double t = Points > 2 ? StudentT.Quantile(0.5 + level / 2, Points - 2) : double.NaN;
        return new Estimate(Slope, SlopeStdError, Slope - t * SlopeStdError, Slope + t * SlopeStdError, level);
    }

    /// <summary>−Slope with its interval (<see cref="SlopeInterval"/> mirrored): the exponent of a decaying power law,
    /// such as d_B in N_B ~ l_B^(−d_B) or β in C(k) ~ k^(−β).</summary>
    public Estimate NegativeSlopeInterval(double level = 0.95)
    {
        var s = SlopeInterval(level);
        return new Estimate(-s.Value, s.StdError, -s.Upper, -s.Lower, level);
    }
}

/// <summary>Ordinary least squares for a straight line.</summary>
public static class LeastSquares
{
    /// <summary>
    /// The line through (x, y) by ordinary least squares. Needs 2 points or more. When every x is the same (Sxx = 0)
    /// the slope is 0 and its errors NaN, unless <paramref name="requireSpread"/>, which throws instead.
    /// </summary>
    public static LineFit Line(double[] x, double[] y, bool requireSpread = false)
    {
        if (x is null || y is null || x.Length != y.Length)
            throw new SelfSimException($"A line fit needs x and y of equal length; got {x?.Length ?? 0} and {y?.Length ?? 0}.");
        int m = x.Length;
        if (m < 2) throw new SelfSimException($"A line fit needs at least 2 points; got {m}.");
        double mx = 0, my = 0;
        for (int i = 0; i < m; i++) { mx += x[i]; my += y[i]; }
        mx /= m; my /= m;
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < m; i++) { double dx = x[i] - mx, dy = y[i] - my; sxx += dx * dx; sxy += dx * dy; syy += dy * dy; }
        if (!(sxx > 0) && requireSpread) throw new SelfSimException("A line fit needs at least two distinct x values.");
        double slope = sxx > 0 ? sxy / sxx : 0, icpt = my - slope * mx, rss = 0;
        for (int i = 0; i < m; i++) { double e = y[i] - (slope * x[i] + icpt); rss += e * e; }
        double s2 = m > 2 ? rss / (m - 2) : double.NaN;
        double seSlope = sxx > 0 ? Math.Sqrt(s2 / sxx) : double.NaN;
        double seIcpt = sxx > 0 ? Math.Sqrt(s2 * (1.0 / m + mx * mx / sxx)) : double.NaN;
        return new LineFit(slope, icpt, seSlope, seIcpt, Math.Sqrt(rss / m), syy > 0 ? 1 - rss / syy : 1, rss, sxx, syy, m);
    }
}

using System;
using System.Linq;

// Fits of box-covering curves beyond BoxDimensionFit: the same log-log least squares (Song, Havlin & Makse 2005) on any
// (l_B, N_B) curve, e.g. Srate's approximate one (Ding et al. 2025, arXiv 2507.17785), and the slope interval of the
// reference's normalised fit (ordinary least-squares standard error of the slope, Student t).
public static class BoxCurveFits
{
    /// <summary>
    /// d_B from ln N_B = −d_B ln l_B + c over the points whose N_B lies in [minFraction·nodes, maxFraction·nodes] (and l_B &gt; 0),
    /// the same range rule as <see cref="BoxDimensionFit.LogLogByBoxes"/>.
    /// </summary>
    public static BoxDimensionEstimate LogLog(double[] sizes, double[] counts, int nodes, double minFraction = 0.01, double maxFraction = 0.5, double confidence = 0.95)
    {
        if (sizes is null || counts is null || sizes.Length != counts.Length)
            throw new SelfSimException("BoxCurveFits.LogLog needs two arrays of equal length: box sizes l_B and box counts N_B.");
        var idx = Enumerable.Range(0, sizes.Length)
            .Where(k => sizes[k] > 0 && counts[k] > 0 && counts[k] >= minFraction * nodes && counts[k] <= maxFraction * nodes).ToArray();
        if (idx.Length < 3)
            throw new SelfSimException($"Fewer than 3 points of the curve have N_B between {minFraction:P0} and {maxFraction:P0} of the {nodes} nodes; widen the fractions.");
        var x = idx.Select(k => Math.Log(sizes[k])).ToArray();
        var y = idx.Select(k => Math.Log(counts[k])).ToArray();
        var (slope, icpt, se, r2) = Line(x, y);
        double t = BoxDimensionFit.StudentTQuantile(0.5 + confidence / 2, idx.Length - 2);
        double d = -slope;
        return new BoxDimensionEstimate(d, se, d - t * se, d + t * se, confidence, icpt, r2, idx.Length,
            idx.Min(k => sizes[k]), idx.Max(k => sizes[k]));
    }

    /// <summary>d_B of Srate's approximate curve N_B(l) (its <see cref="SrateResult.Scales"/> and <see cref="SrateResult.BoxCount"/>).</summary>
    public static BoxDimensionEstimate Srate(SrateResult s, double minFraction = 0.01, double maxFraction = 0.5, double confidence = 0.95) =>
        LogLog(s.Scales, s.BoxCount, s.Nodes, minFraction, maxFraction, confidence);

    /// <summary>The <paramref name="confidence"/> interval of the normalised fit's slope: slope ± t·SE(slope), SE(slope) = √(RSS/(m−2)/Sxx).</summary>
    public static (double Lower, double Upper, double SlopeStdError) NormalisedSlopeInterval(NormalisedBoxFit fit, double confidence = 0.95)
    {
        var (_, _, se, _) = Line(fit.X, fit.Y);
        double t = BoxDimensionFit.StudentTQuantile(0.5 + confidence / 2, fit.Points - 2);
        return (fit.Slope - t * se, fit.Slope + t * se, se);
    }

    /// <summary>Least squares y ≈ slope·x + intercept: (slope, intercept, SE of the slope, R²).</summary>
    static (double Slope, double Intercept, double SlopeStdError, double RSquared) Line(double[] x, double[] y)
    {
        int m = x.Length;
        double mx = x.Average(), my = y.Average(), sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < m; i++) { double dx = x[i] - mx, dy = y[i] - my; sxx += dx * dx; sxy += dx * dy; syy += dy * dy; }
        if (!(sxx > 0)) throw new SelfSimException("The curve fit is undefined: every x value is the same. Use a curve with more than one box size.");
        double slope = sxy / sxx, icpt = my - slope * mx, rss = 0;
        for (int i = 0; i < m; i++) { double e = y[i] - (slope * x[i] + icpt); rss += e * e; }
        double se = m > 2 ? Math.Sqrt(rss / (m - 2) / sxx) : double.NaN;
        return (slope, icpt, se, syy > 0 ? 1 - rss / syy : 1);
    }
}

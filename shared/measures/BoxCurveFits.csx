#nullable enable
using System;
using System.Linq;

// Fits of box-covering curves beyond BoxDimensionFit: the same log-log least squares (Song, Havlin & Makse 2005) on any
// (l_B, N_B) curve, e.g. Srate's approximate one (Ding et al. 2025, arXiv 2507.17785), and the slope interval of the
// reference's normalised fit (ordinary least-squares standard error of the slope, Student t).
public static class BoxCurveFits
{
    /// <summary>
    /// d_B from ln N_B = −d_B ln l_B + c over the points whose N_B lies in [max(2, minFraction·nodes), maxFraction·nodes]
    /// (and l_B &gt; 0): the range rule and defaults of <see cref="BoxDimensionFit.LogLogByBoxes"/>, applied to any curve.
    /// </summary>
    public static BoxDimensionEstimate LogLog(double[] sizes, double[] counts, int nodes, double minFraction = BoxDimensionFit.DefaultMinFraction,
        double maxFraction = BoxDimensionFit.DefaultMaxFraction, double confidence = 0.95) =>
        BoxDimensionFit.LogLogByBoxes(sizes, counts, nodes, minFraction, maxFraction, confidence);

    /// <summary>d_B of Srate's approximate curve N_B(l) (its <see cref="SrateResult.Scales"/> and <see cref="SrateResult.BoxCount"/>).</summary>
    public static BoxDimensionEstimate Srate(SrateResult s, double minFraction = BoxDimensionFit.DefaultMinFraction, double maxFraction = BoxDimensionFit.DefaultMaxFraction, double confidence = 0.95) =>
        LogLog(s.Scales, s.BoxCount, s.Nodes, minFraction, maxFraction, confidence);

    /// <summary>The <paramref name="confidence"/> interval of the normalised fit's slope: slope ± t·SE(slope), SE(slope) = √(RSS/(m−2)/Sxx).</summary>
    public static (double Lower, double Upper, double SlopeStdError) NormalisedSlopeInterval(NormalisedBoxFit fit, double confidence = 0.95)
    {
        var line = LeastSquares.Line(fit.X, fit.Y);
        double rss = line.Rss, sxx = line.Sxx;
        if (!(sxx > 0)) throw new SelfSimException("The normalised fit is undefined: every x value is the same. Use a curve with more than one box size.");
        double se = fit.Points > 2 ? Math.Sqrt(rss / (fit.Points - 2) / sxx) : double.NaN;
        double t = StudentT.Quantile(0.5 + confidence / 2, fit.Points - 2);
        return (fit.Slope - t * se, fit.Slope + t * se, se);
    }
}

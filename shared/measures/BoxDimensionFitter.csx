#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

// Fits of the box-covering curve N_B(l_B): the reference's normalised linear fit (sfm/draw_NLL.py drawdraw,
// Ding et al. 2025, arXiv 2507.17785) and the fractal box dimension N_B ~ l_B^(−d_B) (Song, Havlin & Makse 2005)
// by least squares in log-log space with a Student-t confidence interval (LineFit.SlopeInterval), on the exact
// cover's curve or any other (l_B, N_B) curve, e.g. Srate's approximate one.

/// <summary>The reference's fit: x = ln(1+l_B)/max ln(1+l_B), y = ln N_B/ln n, y ≈ Slope·x + Intercept.</summary>
public sealed record NormalisedBoxFit(double Slope, double Intercept, double StdError, int Points, double[] X, double[] Y)
{
    /// <summary>The slope with its Student-t interval at <paramref name="level"/>: slope ± t·SE(slope),
    /// SE(slope) = √(RSS/(m−2)/Sxx) (<see cref="LineFit.SlopeInterval"/> on the fitted points).</summary>
    public Estimate SlopeInterval(double level = 0.95)
    {
        var line = LeastSquares.Line(X, Y);
        if (!(line.Sxx > 0)) throw new SelfSimException("The normalised fit is undefined: every x value is the same. Use a curve with more than one box size.");
        return line.SlopeInterval(level);
    }
}

/// <summary>
/// The box dimension d_B from ln N_B = −d_B·ln l_B + c over the box sizes in [MinSize, MaxSize]:
/// <see cref="Dimension"/>: −slope with its standard error and its interval at Dimension.Level, from the t distribution
/// with Points − 2 degrees of freedom.
/// </summary>
public sealed record BoxDimensionFit(Estimate Dimension, double Intercept, double RSquared, int Points, double MinSize, double MaxSize)
{
    public override string ToString() =>
        $"d_B = {Dimension.Value:F3} ± {Dimension.StdError:F3} ({Dimension.Level:P0} CI [{Dimension.Lower:F3}, {Dimension.Upper:F3}], {Points} points, l_B in [{MinSize:G4}, {MaxSize:G4}])";
}

/// <summary>Fits to a box-covering curve: the exact cover's (<see cref="BoxCoverResult"/>), Srate's, or any (l_B, N_B).</summary>
public static class BoxDimensionFitter
{
    /// <summary>
    /// The reference's normalised linear fit over all n − 1 merges: x = ln(1+l_B)/max(ln(1+l_B)), y = ln N_B/ln n,
    /// least squares y ≈ Slope·x + Intercept, StdError = sqrt(RSS/(m − 2)).
    /// </summary>
    public static NormalisedBoxFit Normalised(BoxCoverResult r)
    {
        int m = r.BoxSizes.Length;
        if (m < 3)
            throw new SelfSimException($"The normalised box-covering fit needs at least 3 merges (n ≥ 4 nodes); got {r.Nodes} nodes.");
        var lx = r.BoxSizes.Select(l => Math.Log(1 + l)).ToArray();
        double max = lx.Max();
        if (!(max > 0))
            throw new SelfSimException("The normalised box-covering fit is undefined: every merge has box size 0 (all nodes identical).");
        double lnN = Math.Log(r.Nodes);
        var x = lx.Select(v => v / max).ToArray();
        var y = r.BoxCounts.Select(b => Math.Log(b) / lnN).ToArray();
        var line = LeastSquares.Line(x, y);
        return new NormalisedBoxFit(line.Slope, line.Intercept, Math.Sqrt(line.Rss / (m - 2)), m, x, y);
    }

    /// <summary>
    /// d_B from a least-squares line through (ln l_B, ln N_B) for the merges with MinSize ≤ l_B ≤ MaxSize (default:
    /// every merge with l_B &gt; 0). Box-covering curves bend at both ends (single nodes merging at small l_B; a
    /// handful of boxes left at large l_B), so pick the straight part, e.g. by box count with <see cref="LogLogByBoxes"/>.
    /// </summary>
    public static BoxDimensionFit LogLog(BoxCoverResult r, double? minSize = null, double? maxSize = null, double confidence = 0.95) =>
        LogLog(r.BoxSizes, r.BoxCounts.Select(b => (double)b).ToArray(), minSize, maxSize, confidence);

    /// <summary>d_B from any box-covering curve: box sizes l_B and box counts N_B (same length), as <see cref="LogLog(BoxCoverResult, double?, double?, double)"/>.</summary>
    public static BoxDimensionFit LogLog(IReadOnlyList<double> boxSizes, IReadOnlyList<double> boxCounts, double? minSize = null,
        double? maxSize = null, double confidence = 0.95)
    {
        if (boxSizes.Count != boxCounts.Count) throw new SelfSimException($"The curve has {boxSizes.Count} box sizes but {boxCounts.Count} box counts.");
        if (!(confidence > 0 && confidence < 1)) throw new SelfSimException($"The confidence level must be in (0, 1); got {confidence}.");
        double lo = minSize ?? double.Epsilon, hi = maxSize ?? double.PositiveInfinity;
        if (lo > hi) throw new SelfSimException($"The fitting range is empty: min box size {lo} > max box size {hi}.");
        var idx = Enumerable.Range(0, boxSizes.Count).Where(k => boxSizes[k] > 0 && boxCounts[k] > 0 && boxSizes[k] >= lo && boxSizes[k] <= hi).ToArray();
        if (idx.Length < 3)
            throw new SelfSimException($"The log-log box-dimension fit needs at least 3 points with box size in [{lo:G4}, {hi:G4}] (and > 0); " +
                                       $"found {idx.Length}. Widen the fitting range or use more nodes.");
        var x = idx.Select(k => Math.Log(boxSizes[k])).ToArray();
        var y = idx.Select(k => Math.Log(boxCounts[k])).ToArray();
        var line = LeastSquares.Line(x, y);
        if (!(line.Sxx > 0))
            throw new SelfSimException("The log-log box-dimension fit is undefined: every box size in the range is the same. Widen the range.");
        return new BoxDimensionFit(line.NegativeSlopeInterval(confidence), line.Intercept, line.RSquared, line.Points,
            idx.Min(k => boxSizes[k]), idx.Max(k => boxSizes[k]));
    }

    /// <summary>The default fit window's lower end: N_B ≥ max(2, 0.2%·n).</summary>
    public const double DefaultMinFraction = 0.002;
    /// <summary>The default fit window's upper end: N_B ≤ 10%·n.</summary>
    public const double DefaultMaxFraction = 0.1;

    /// <summary>
    /// The one fit-range rule for box-covering curves of n nodes: keep the points whose box count N_B lies in
    /// [max(2, minFraction·n), maxFraction·n] (default 0.2% to 10% of n). It holds 3 or more merges only from n = 40
    /// (10% of n must reach 4 boxes).
    /// </summary>
    public static (double Lo, double Hi) BoxCountWindow(int nodes, double minFraction = DefaultMinFraction, double maxFraction = DefaultMaxFraction) =>
        (Math.Max(2, minFraction * nodes), maxFraction * nodes);

    /// <summary>
    /// <see cref="LogLog(BoxCoverResult, double?, double?, double)"/> over the merges whose box count N_B lies in
    /// the <see cref="BoxCountWindow"/>. The defaults (0.2% to 10% of n) keep the large-box scaling regime:
    /// near N_B ≈ n the curve is dominated by the spacing between single nodes and flattens, and fits that reach
    /// into it underestimate d_B (for 4096 uniform points, fitting N_B in 10%–50% of n gives 0.66 for a line,
    /// 1.06 for a square; 0.2%–5% gives 0.96 and 1.69).
    /// </summary>
    public static BoxDimensionFit LogLogByBoxes(BoxCoverResult r, double minFraction = DefaultMinFraction, double maxFraction = DefaultMaxFraction, double confidence = 0.95) =>
        LogLogByBoxes(r.BoxSizes, r.BoxCounts.Select(b => (double)b).ToArray(), r.Nodes, minFraction, maxFraction, confidence);

    /// <summary>The window rule of <see cref="LogLogByBoxes(BoxCoverResult, double, double, double)"/> on any curve
    /// (l_B, N_B) of a set of <paramref name="nodes"/> nodes, e.g. Srate's approximate one.</summary>
    public static BoxDimensionFit LogLogByBoxes(IReadOnlyList<double> sizes, IReadOnlyList<double> counts, int nodes,
        double minFraction = DefaultMinFraction, double maxFraction = DefaultMaxFraction, double confidence = 0.95)
    {
        if (sizes is null || counts is null || sizes.Count != counts.Count)
            throw new SelfSimException("A box-dimension fit needs two arrays of equal length: box sizes l_B and box counts N_B.");
        var (lo, hi) = BoxCountWindow(nodes, minFraction, maxFraction);
        var idx = Enumerable.Range(0, sizes.Count).Where(k => counts[k] >= lo && counts[k] <= hi && sizes[k] > 0).ToArray();
        if (idx.Length < 3)
        {
            string window = minFraction == DefaultMinFraction && maxFraction == DefaultMaxFraction
                ? $"the default window keeps box counts from max(2, 0.2% of n) to 10% of n, here {lo:G3} to {hi:G3} boxes"
                : $"the window keeps box counts from {lo:G3} to {hi:G3}";
            throw new SelfSimException($"The d_B fit needs at least 3 points and has {idx.Length}: with {nodes} nodes, {window}. " +
                                       (hi < 4 ? "Use at least 40 nodes, or " : "Use more nodes, or ") +
                                       "choose the box sizes to fit yourself (minSize/maxSize; --min-size/--max-size in `selfsim boxcover`).");
        }
        return LogLog(sizes, counts, idx.Min(k => sizes[k]), idx.Max(k => sizes[k]), confidence);
    }

    /// <summary>d_B of Srate's approximate curve N_B(l) (its <see cref="SrateResult.Scales"/> and
    /// <see cref="SrateResult.BoxCount"/>), by the window rule of <see cref="LogLogByBoxes(BoxCoverResult, double, double, double)"/>.</summary>
    public static BoxDimensionFit LogLogByBoxes(SrateResult s, double minFraction = DefaultMinFraction, double maxFraction = DefaultMaxFraction,
        double confidence = 0.95) =>
        LogLogByBoxes(s.Scales, s.BoxCount, s.Nodes, minFraction, maxFraction, confidence);
}

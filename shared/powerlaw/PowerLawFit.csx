#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

// Power-law fitting by maximum likelihood with xmin chosen to minimise the KS distance: Clauset, Shalizi & Newman, SIAM Review 51, 661 (2009).

/// <summary>Discrete (integer) or continuous power law; Auto picks discrete when every value is an integer.</summary>
public enum PowerLawKind { Auto, Discrete, Continuous }

/// <summary>
/// A power-law fit p(x) ∝ x^(−α) for x ≥ xmin (Clauset, Shalizi &amp; Newman 2009). <see cref="LogLikelihood"/> and
/// <see cref="KsDistance"/> are over the tail (the <see cref="TailCount"/> values ≥ xmin).
/// </summary>
public sealed record PowerLawFit(
    bool Discrete,
    double Alpha,
    double AlphaStdError,
    double Xmin,
    int TailCount,
    int SampleCount,
    int NonPositiveDropped,
    double LogLikelihood,
    double KsDistance,
    int MinTail,
    bool XminFixed,
    string? Warning)
{
    public double TailFraction => (double)TailCount / SampleCount;

    /// <summary>A tail shorter than this makes the verdict "inconclusive" (CSN find the method unreliable below 50).</summary>
    public const int MinTailForVerdict = 50;
    /// <summary>A 95% interval of α (±1.96 standard errors) wider than this makes the verdict "inconclusive".</summary>
    public const double MaxAlphaIntervalForVerdict = 1.0;

    /// <summary>
    /// "plausible", "ruled out", "not tested" or "inconclusive", with the reason: inconclusive when the tail holds fewer
    /// than <see cref="MinTailForVerdict"/> values or α's 95% interval is wider than <see cref="MaxAlphaIntervalForVerdict"/>;
    /// otherwise the bootstrap p decides (p &gt; 0.1 plausible, CSN section 4), and without a bootstrap it is not tested.
    /// </summary>
    public string Verdict(PowerLawGoodnessOfFit? gof)
    {
        if (TailCount < MinTailForVerdict) return $"inconclusive (only {TailCount} values in the tail; need {MinTailForVerdict})";
        if (!(2 * 1.96 * AlphaStdError <= MaxAlphaIntervalForVerdict))
            return $"inconclusive (alpha's 95% interval [{Alpha - 1.96 * AlphaStdError:F2}, {Alpha + 1.96 * AlphaStdError:F2}] is wider than {MaxAlphaIntervalForVerdict})";
        if (gof is null) return "not tested (pass a bootstrap count for the goodness-of-fit p)";
        return gof.Plausible ? $"plausible (bootstrap p = {gof.P:F2} > 0.1)" : $"ruled out (bootstrap p = {gof.P:F2} ≤ 0.1)";
    }

    /// <summary>Complementary CDF P(X ≥ x | X ≥ xmin) of the fitted law.</summary>
    public double Ccdf(double x) => x < Xmin ? 1 : Discrete
        ? HurwitzZeta.Value(Alpha, Math.Ceiling(x)) / HurwitzZeta.Value(Alpha, Xmin)
        : Math.Pow(x / Xmin, 1 - Alpha);

    /// <summary>Log-likelihood of each tail value under the fitted law (same order as the sorted tail).</summary>
    public double[] PointLogLikelihoods(double[] tail)
    {
        var r = new double[tail.Length];
        if (Discrete)
        {
            double lz = HurwitzZeta.Log(Alpha, Xmin);
            for (int i = 0; i < tail.Length; i++) r[i] = -Alpha * Math.Log(tail[i]) - lz;
        }
        else
        {
            double c = Math.Log(Alpha - 1) - Math.Log(Xmin);
            for (int i = 0; i < tail.Length; i++) r[i] = c - Alpha * Math.Log(tail[i] / Xmin);
        }
        return r;
    }
}

/// <summary>
/// Fits power laws to samples (Clauset, Shalizi &amp; Newman 2009): the MLE of α (discrete, with the Hurwitz zeta, or
/// continuous, closed form) at every candidate xmin, and the xmin whose fit has the smallest KS distance.
/// Documented behaviour for small or bad samples:
/// <list type="bullet">
/// <item>NaN or infinite values throw a <see cref="SelfSimException"/> naming the position; zero and negative values are
/// dropped (a power law lives on x &gt; 0) and counted in <see cref="PowerLawFit.NonPositiveDropped"/>.</item>
/// <item>Only xmin values that leave at least <c>minTail</c> samples in the tail are candidates (default 50, the size
/// below which CSN find the method unreliable). Fewer positive samples than that throws, saying how to override;
/// a smaller minTail (≥ 2) is allowed and the result then carries a <see cref="PowerLawFit.Warning"/>.</item>
/// </list>
/// </summary>
/// <summary>
/// How <see cref="PowerLawFitter"/> searches xmin: only candidates in [<see cref="Low"/>, <see cref="High"/>] (the range
/// users of Alstott et al.'s powerlaw package pass as xmin=(lo, hi)), and every candidate while there are at most
/// <see cref="Scan"/> of them; above that a coarse pass over every k-th candidate, then ever finer passes around the best
/// (a local search: the KS distance is smooth on the scale of k candidates in practice; Scan = 0 scans them all).
/// </summary>
public sealed record XminSearch(double Low = 0, double High = double.PositiveInfinity, int Scan = XminSearch.DefaultScan)
{
    public const int DefaultScan = 20000;

    public void Check()
    {
        if (!(Low >= 0) || double.IsNaN(High) || !(High >= Low))
            throw new SelfSimException($"The xmin range [{Low}, {High}] is not a range: give 0 ≤ low ≤ high (e.g. --xmin-range 1,100).");
        if (Scan < 0) throw new SelfSimException($"The xmin scan size {Scan} must be 0 (every candidate) or more.");
    }
}

public static class PowerLawFitter
{
    public const int DefaultMinTail = 50;

    /// <summary>Fits the data; <paramref name="progress"/>, when given, hears the fraction of the xmin scan done (0..1).</summary>
    public static PowerLawFit Fit(IEnumerable<double> data, PowerLawKind kind = PowerLawKind.Auto, double? xmin = null, int minTail = DefaultMinTail,
                                  Action<double>? progress = null, XminSearch? search = null)
    {
        var (x, dropped) = Prepare(data);
        bool discrete = ResolveKind(x, kind);
        return FitSorted(x, discrete, xmin, minTail, dropped, progress, search);
    }

    /// <summary>Reads one number per line (blank lines and '#' comments skipped), multiplied by <paramref name="scale"/>.</summary>
    public static double[] ReadData(string path, double scale = 1, string? column = null, CsvHeaderMode header = CsvHeaderMode.Auto)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Data file '{path}' does not exist: pass a text file with one number per line.", path);
        if (column is not null) return CsvTable.Read(path, "data CSV", header).Column(column).Select(v => v * scale).ToArray();
        var list = new List<double>();
        int lineNo = 0;
        bool decided = false;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            var t = line.Trim();
            if (t.Length == 0 || t[0] == '#') continue;
            var toks = t.Split(new[] { ' ', '\t', ',', ';' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (toks.Length > 1)
                throw new SelfSimException($"{path} line {lineNo} ('{(t.Length > 40 ? t[..40] + "…" : t)}') holds {toks.Length} values: write one value per line, " +
                                           "or name the column of a CSV with --column NAME.");
            if (!decided)
            {
                decided = true;   // the one header rule (CsvHeader): a word on the first line is a header, "1,000" is refused
                var (isHeader, guess) = CsvHeader.Decide(toks, header, path, lineNo, t.Contains(','));
                if (guess is not null) Console.Error.WriteLine(guess);
                if (isHeader) continue;
            }
            if (!CsvTable.TryNumber(toks[0], out var v) || (list.Count == 0 && double.IsNaN(v) && toks[0].Length == 0))
                throw new SelfSimException($"{path} line {lineNo} ('{toks[0]}') is not a number: write one value per line" +
                                           (list.Count == 0 ? " (for a CSV with a header, pass --column NAME)." : "."));
            list.Add(v * scale);
        }
        if (list.Count == 0) throw new SelfSimException($"{path} holds no numbers: write one value per line.");
        return list.ToArray();
    }

    internal static (double[] Sorted, int Dropped) Prepare(IEnumerable<double> data)
    {
        var list = new List<double>();
        int i = 0, dropped = 0;
        foreach (var v in data)
        {
            if (!double.IsFinite(v)) throw new SelfSimException($"Sample {i} is {v}: remove NaN and infinite values before fitting a power law.");
            if (v > 0) list.Add(v); else dropped++;
            i++;
        }
        var x = list.ToArray();
        Array.Sort(x);
        return (x, dropped);
    }

    internal static bool ResolveKind(double[] x, PowerLawKind kind)
    {
        bool integral = x.All(v => v == Math.Floor(v));
        if (kind == PowerLawKind.Discrete && !integral)
            throw new SelfSimException($"A discrete power law needs integer values, but {x.First(v => v != Math.Floor(v))} is not: fit it as continuous, or round the data.");
        return kind == PowerLawKind.Discrete || (kind == PowerLawKind.Auto && integral);
    }

    /// <summary>Fits sorted, positive samples.</summary>
    internal static PowerLawFit FitSorted(double[] x, bool discrete, double? fixedXmin, int minTail, int dropped, Action<double>? progress = null,
                                          XminSearch? search = null)
    {
        search ??= new XminSearch();
        search.Check();
        if (minTail < 2) throw new SelfSimException($"minTail = {minTail}: a power-law fit needs at least 2 tail samples (50 recommended).");
        if (x.Length < minTail)
            throw new SelfSimException($"The data hold {x.Length} positive values, fewer than the {minTail} a power-law tail needs (Clauset et al. 2009): collect more data, or pass a smaller minTail (≥ 2) and treat the result as unreliable.");
        // Unique values with counts and suffix sums of counts and of count·ln x.
        var u = new List<double>(); var c = new List<int>();
        for (int i = 0; i < x.Length; i++)
        {
            if (u.Count > 0 && u[^1] == x[i]) c[^1]++;
            else { u.Add(x[i]); c.Add(1); }
        }
        int U = u.Count;
        var ua = u.ToArray(); var ca = c.ToArray();
        var tailN = new int[U + 1]; var tailLog = new double[U + 1];
        for (int j = U - 1; j >= 0; j--) { tailN[j] = tailN[j + 1] + ca[j]; tailLog[j] = tailLog[j + 1] + ca[j] * Math.Log(ua[j]); }
        var lnu = new double[U];
        for (int j = 0; j < U; j++) lnu[j] = Math.Log(ua[j]);

        int bestI = -1; double bestD = double.PositiveInfinity, bestAlpha = double.NaN, bestXmin = double.NaN;
        if (fixedXmin is double xm)
        {
            if (!(xm > 0)) throw new SelfSimException($"xmin = {xm} must be positive.");
            if (discrete && xm != Math.Floor(xm)) throw new SelfSimException($"A discrete power law needs an integer xmin; got {xm}.");
            int i0 = Array.BinarySearch(ua, xm);
            if (i0 < 0) i0 = ~i0;
            if (U - i0 < 1 || tailN[i0] < minTail)
                throw new SelfSimException($"xmin = {xm} leaves {(i0 < U ? tailN[i0] : 0)} samples in the tail, fewer than minTail = {minTail}: lower xmin, or pass a smaller minTail (≥ 2).");
            double a = discrete ? DiscreteAlpha(tailN[i0], tailLog[i0], xm) : ContinuousAlpha(tailN[i0], tailLog[i0], xm);
            bestI = i0; bestAlpha = a; bestXmin = xm;
            bestD = discrete ? DiscreteKs(ua, ca, i0, xm, a, tailN[i0], double.PositiveInfinity) : ContinuousKs(ua, ca, lnu, i0, xm, a, tailN[i0], double.PositiveInfinity);
        }
        else
        {
            // Candidates: the distinct values in [Low, High] that leave minTail samples (and a second value) above them.
            int first = Array.BinarySearch(ua, search.Low); if (first < 0) first = ~first;
            int last = Array.BinarySearch(ua, search.High); if (last < 0) last = ~last - 1;
            last = Math.Min(last, U - 2);
            while (last >= first && tailN[last] < minTail) last--;
            void Try(int i)
            {
                int n = tailN[i];
                double xmin = ua[i];
                double a = discrete ? DiscreteAlpha(n, tailLog[i], xmin) : ContinuousAlpha(n, tailLog[i], xmin);
                if (!double.IsFinite(a)) return;
                double d = discrete ? DiscreteKs(ua, ca, i, xmin, a, n, bestD) : ContinuousKs(ua, ca, lnu, i, xmin, a, n, bestD);
                if (d < bestD) { bestD = d; bestI = i; bestAlpha = a; bestXmin = xmin; }
            }
            // Every candidate when they are few (Scan = 0: always); else every stride-th, then between the best one's
            // neighbours every (stride/16)-th, narrowing until the stride is 1 (1e6 distinct values: ~20 100 fits, not 1e6).
            int lo = first, hi = last, count = last - first + 1;
            int stride = search.Scan == 0 || count <= search.Scan ? 1 : (int)Math.Ceiling((double)count / search.Scan);
            while (true)
            {
                for (int i = lo; i <= hi; i += stride)
                {
                    if (progress != null && ((i - lo) / stride & 1023) == 0) progress(stride == 1 ? 0.5 + 0.5 * (i - lo) / Math.Max(1, hi - lo) : 0.5 * (i - lo) / Math.Max(1, hi - lo));
                    Try(i);
                }
                if (stride == 1 || bestI < 0) break;
                lo = Math.Max(first, bestI - stride + 1); hi = Math.Min(last, bestI + stride - 1);
                stride = Math.Max(1, stride / 16);
            }
            if (bestI < 0)
                throw new SelfSimException(first > 0 || last < U - 2 && search.High < double.PositiveInfinity
                    ? $"No xmin in [{search.Low:G6}, {search.High:G6}] leaves at least {minTail} samples above it: widen the xmin range or lower minTail."
                    : $"No xmin leaves at least {minTail} samples above it with two distinct values: the data are too few or all equal; collect more data or lower minTail.");
        }
        int nt = tailN[bestI];
        double S = tailLog[bestI];
        double ll, se;
        if (discrete)
        {
            ll = -nt * HurwitzZeta.Log(bestAlpha, bestXmin) - bestAlpha * S;
            // Standard error from the observed information n·(ln ζ)''(α) (CSN eq. 3.6).
            double z = HurwitzZeta.WithDerivatives(bestAlpha, bestXmin, out var z1, out var z2);
            se = 1 / Math.Sqrt(nt * (z2 / z - (z1 / z) * (z1 / z)));
        }
        else
        {
            ll = nt * Math.Log(bestAlpha - 1) - nt * Math.Log(bestXmin) - bestAlpha * (S - nt * Math.Log(bestXmin));
            se = (bestAlpha - 1) / Math.Sqrt(nt);
        }
        string? warn = nt < DefaultMinTail
            ? $"only {nt} samples at or above xmin = {bestXmin}: below {DefaultMinTail}, the fit and its p-value are unreliable (Clauset et al. 2009)"
            : null;
        return new PowerLawFit(discrete, bestAlpha, se, bestXmin, nt, x.Length, dropped, ll, bestD, minTail, fixedXmin != null, warn);
    }

    internal static double ContinuousAlpha(int n, double sumLog, double xmin) => 1 + n / (sumLog - n * Math.Log(xmin));

    /// <summary>
    /// Discrete MLE: minimises f(α) = n ln ζ(α, xmin) + α Σ ln x, which is convex in α, by Newton's method on the
    /// analytic derivatives of ζ (bisection-safeguarded), from the continuous approximation of CSN eq. 3.7.
    /// </summary>
    internal static double DiscreteAlpha(int n, double sumLog, double xmin) => DiscreteAlpha(n, sumLog, xmin, out _);

    internal static double DiscreteAlpha(int n, double sumLog, double xmin, out double curvature)
    {
        double mean = sumLog / n;
        double denom = mean - Math.Log(xmin - 0.5);
        double a = denom > 0 ? 1 + 1 / denom : 3;
        if (!(a > 1.0001)) a = 1.5;
        double lo = 1, hi = double.PositiveInfinity;
        curvature = double.NaN;
        for (int it = 0; it < 100; it++)
        {
            double z = HurwitzZeta.WithDerivatives(a, xmin, out var z1, out var z2);
            double r1 = z1 / z;
            double g = n * r1 + sumLog;              // f'(α)
            double h = n * (z2 / z - r1 * r1);       // f''(α) > 0
            curvature = h;
            if (g > 0) hi = Math.Min(hi, a); else lo = Math.Max(lo, a);
            double next = a - g / h;
            if (!(next > lo && next < hi)) next = double.IsPositiveInfinity(hi) ? Math.Max(2 * a, lo + 1) : 0.5 * (lo + hi);
            if (Math.Abs(next - a) < 1e-11 * a) { a = next; break; }
            a = next;
            if (a > 200) return double.NaN;
        }
        return a;
    }

    /// <summary>
    /// KS distance between the empirical CDF of the tail and the fitted discrete law, at every distinct tail value.
    /// Stops early once neither CDF can move by more than the current maximum, and abandons once it exceeds
    /// <paramref name="abandonAbove"/> (the best distance so far).
    /// </summary>
    internal static double DiscreteKs(double[] u, int[] c, int start, double xmin, double alpha, int n, double abandonAbove)
    {
        double z0 = HurwitzZeta.Value(alpha, xmin);
        double zcur = z0; // ζ(α, u[j])
        double d = 0, cum = 0, invN = 1.0 / n, invZ = 1 / z0;
        for (int j = start; j < u.Length; j++)
        {
            double xj = u[j];
            double znext = zcur - Math.Pow(xj, -alpha); // ζ(α, x+1)
            cum += c[j];
            double s = cum * invN, f = 1 - znext * invZ;
            double diff = Math.Abs(s - f);
            if (diff > d) { d = diff; if (d > abandonAbove) return d; }
            if (Math.Max(1 - s, znext * invZ) <= d) break;
            if (j + 1 < u.Length)
            {
                double gap = u[j + 1] - (xj + 1);
                if (gap <= 32) { zcur = znext; for (double t = xj + 1; t < u[j + 1]; t++) zcur -= Math.Pow(t, -alpha); }
                else zcur = HurwitzZeta.Value(alpha, u[j + 1]);
            }
        }
        return d;
    }

    /// <summary>KS distance for the continuous law: the supremum over both sides of each jump of the empirical CDF.</summary>
    internal static double ContinuousKs(double[] u, int[] c, double[] lnu, int start, double xmin, double alpha, int n, double abandonAbove)
    {
        double d = 0, cum = 0, invN = 1.0 / n, lx = Math.Log(xmin), e = 1 - alpha;
        for (int j = start; j < u.Length; j++)
        {
            double f = 1 - Math.Exp(e * (lnu[j] - lx));
            double before = cum * invN;
            cum += c[j];
            double after = cum * invN;
            double diff = Math.Max(Math.Abs(f - before), Math.Abs(after - f));
            if (diff > d) { d = diff; if (d > abandonAbove) return d; }
            if (Math.Max(1 - after, 1 - f) <= d) break;
        }
        return d;
    }
}

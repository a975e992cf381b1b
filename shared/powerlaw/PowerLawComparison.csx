#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

// Likelihood-ratio tests of the power law against alternatives: Clauset, Shalizi & Newman (2009), section 5; Vuong, Econometrica 57, 307 (1989).

/// <summary>
/// One likelihood-ratio comparison on the tail x ≥ xmin. <see cref="LogLikelihoodRatio"/> R = ℓ_powerlaw − ℓ_alternative
/// (positive favours the power law). Non-nested alternatives (log-normal, exponential) use Vuong's test: the normalised
/// ratio R/(σ√n) and its two-sided normal p. The truncated power law contains the power law, so its p comes from
/// Wilks' χ²(1) on 2|R| (CSN section 5.2) and the normalised ratio is reported for reference only.
/// </summary>
public sealed record PowerLawComparison(
    string Alternative,
    double LogLikelihoodRatio,
    double NormalizedRatio,
    double P,
    bool Nested,
    string Favoured,
    IReadOnlyDictionary<string, double> AlternativeParameters,
    string? Note = null)
{
    /// <summary>True when the alternative's fit ran to the edge of its parameter space, where it becomes the power law
    /// itself (the log-normal with μ → −∞, σ → ∞): its parameters are then not estimates.</summary>
    public bool Degenerate => Note is not null;
}

/// <summary>Fits the alternatives by maximum likelihood on the power law's tail and compares them with it.</summary>
public static class PowerLawComparisons
{
    /// <summary>Compares against the log-normal, the exponential and the truncated power law (in that order).</summary>
    public static PowerLawComparison[] All(IEnumerable<double> data, PowerLawFit fit, double significance = 0.1)
    {
        var tail = Tail(data, fit);
        var pl = fit.PointLogLikelihoods(tail);
        return new[]
        {
            WithLogNormalNote(Compare("lognormal", pl, LogNormal(tail, fit), false, significance), tail, fit),
            Compare("exponential", pl, Exponential(tail, fit), false, significance),
            Compare("truncated_power_law", pl, TruncatedPowerLaw(tail, fit), true, significance),
        };
    }

    /// <summary>
    /// The log-normal tail degenerates to a power law when the whole tail lies far out in the normal's upper tail in
    /// log space: z = (ln xmin − μ)/σ above <see cref="LogNormalBoundaryZ"/> (the tail would then hold under 3e-7 of the
    /// fitted log-normal's mass: only its far edge is fitted). ln p(x) = −(ln x)²/2σ² + (μ/σ² − 1)·ln x + c,
    /// and as σ → ∞ with μ/σ² fixed the quadratic term vanishes: a power law with α = 1 − μ/σ². On power-law data the
    /// likelihood keeps rising along that ridge, and an optimiser stops wherever its tolerance says (CSN 2009's
    /// words.txt ratio included; tools/checks/words_lognormal_lr.py traces the ridge).
    /// </summary>
    public const double LogNormalBoundaryZ = 5;

    static PowerLawComparison WithLogNormalNote(PowerLawComparison c, double[] tail, PowerLawFit fit)
    {
        double mu = c.AlternativeParameters["mu"], sigma = c.AlternativeParameters["sigma"];
        double z = (Math.Log(fit.Discrete ? fit.Xmin - 0.5 : fit.Xmin) - mu) / sigma;
        if (!(z > LogNormalBoundaryZ)) return c;
        return c with
        {
            Note = $"the log-normal fit ran to the boundary (mu = {mu:G4}, sigma = {sigma:G4}: the tail starts {z:F0} sigma above the mode in log space); " +
                   "there the log-normal degenerates to the power law, so mu and sigma are not estimates and R near 0 only says the two coincide",
        };
    }

    static double[] Tail(IEnumerable<double> data, PowerLawFit fit)
    {
        var (x, _) = PowerLawFitter.Prepare(data);
        return x.Where(v => v >= fit.Xmin).ToArray();
    }

    static PowerLawComparison Compare(string name, double[] pl, (double[] Ll, Dictionary<string, double> Pars) alt, bool nested, double sig)
    {
        int n = pl.Length;
        double r = 0, sum2 = 0;
        var d = new double[n];
        for (int i = 0; i < n; i++) { d[i] = pl[i] - alt.Ll[i]; r += d[i]; }
        double mean = r / n;
        for (int i = 0; i < n; i++) sum2 += (d[i] - mean) * (d[i] - mean);
        double sigma = Math.Sqrt(sum2 / n);
        double norm = sigma > 0 ? r / (sigma * Math.Sqrt(n)) : 0;
        double p = nested ? SpecialFunctions.ChiSquare1Sf(2 * Math.Abs(r)) : SpecialFunctions.TwoSidedNormalP(norm);
        string fav = p >= sig ? "inconclusive" : r > 0 ? "power_law" : name;
        return new PowerLawComparison(name, r, norm, p, nested, fav, alt.Pars);
    }

    /// <summary>
    /// Log-normal on the tail (discrete data: the probability mass of [x − ½, x + ½) normalised above xmin − ½, as the
    /// powerlaw package's 'round'), fitted by Nelder–Mead on (μ, ln σ) over the distinct values weighted by counts.
    /// Note: on power-law data the likelihood keeps rising as μ → −∞ with σ → ∞ (the log-normal tends to the power law),
    /// so this MLE can sit further out than optimisers that stop early, giving R closer to 0.
    /// </summary>
    public static (double[] Ll, Dictionary<string, double> Pars) LogNormal(double[] tail, PowerLawFit fit)
    {
        double xmin = fit.Xmin;
        bool disc = fit.Discrete;
        var (vals, counts, index) = Distinct(tail);
        var lx = vals.Select(v => Math.Log(v)).ToArray();
        var lxa = disc ? vals.Select(v => Math.Log(v - 0.5)).ToArray() : lx;
        var lxb = disc ? vals.Select(v => Math.Log(v + 0.5)).ToArray() : lx;
        double m0 = 0, s0 = 0;
        for (int i = 0; i < vals.Length; i++) m0 += counts[i] * lx[i];
        m0 /= tail.Length;
        for (int i = 0; i < vals.Length; i++) s0 += counts[i] * (lx[i] - m0) * (lx[i] - m0);
        s0 = Math.Sqrt(s0 / tail.Length);
        if (!(s0 > 0)) s0 = 1;
        var per = new double[vals.Length];
        Func<double, double, double> total = (mu, sigma) =>
        {
            double t = 0;
            if (!disc)
            {
                double lnorm = SpecialFunctions.LogNormalSf((Math.Log(xmin) - mu) / sigma), c = -Math.Log(sigma) - 0.5 * Math.Log(2 * Math.PI) - lnorm;
                for (int i = 0; i < vals.Length; i++)
                {
                    double z = (lx[i] - mu) / sigma;
                    per[i] = c - lx[i] - 0.5 * z * z;
                    t += counts[i] * per[i];
                }
            }
            else
            {
                double lnorm = SpecialFunctions.LogNormalSf((Math.Log(xmin - 0.5) - mu) / sigma);
                for (int i = 0; i < vals.Length; i++)
                {
                    double la = SpecialFunctions.LogNormalSf((lxa[i] - mu) / sigma);
                    double lb = SpecialFunctions.LogNormalSf((lxb[i] - mu) / sigma);
                    per[i] = la + Math.Log(-SpecialFunctions.Expm1(lb - la)) - lnorm; // log(Q(a) − Q(b))
                    t += counts[i] * per[i];
                }
            }
            return t;
        };
        var best = NelderMead.Minimize(p => -total(p[0], Math.Exp(p[1])), new[] { m0, Math.Log(s0) }, new[] { 0.5, 0.3 }, maxIter: 3000);
        best = NelderMead.Minimize(p => -total(p[0], Math.Exp(p[1])), best, new[] { 0.1, 0.05 }, maxIter: 3000);
        total(best[0], Math.Exp(best[1]));
        var ll = new double[tail.Length];
        for (int i = 0; i < tail.Length; i++) ll[i] = per[index[i]];
        return (ll, new Dictionary<string, double> { ["mu"] = best[0], ["sigma"] = Math.Exp(best[1]) });
    }

    static (double[] Vals, int[] Counts, int[] Index) Distinct(double[] sortedTail)
    {
        var vals = new List<double>(); var counts = new List<int>();
        var index = new int[sortedTail.Length];
        for (int i = 0; i < sortedTail.Length; i++)
        {
            if (vals.Count == 0 || vals[^1] != sortedTail[i]) { vals.Add(sortedTail[i]); counts.Add(0); }
            counts[^1]++; index[i] = vals.Count - 1;
        }
        return (vals.ToArray(), counts.ToArray(), index);
    }

    /// <summary>Exponential on the tail; closed-form MLE (discrete: geometric on xmin, xmin+1, …).</summary>
    public static (double[] Ll, Dictionary<string, double> Pars) Exponential(double[] tail, PowerLawFit fit)
    {
        double xmin = fit.Xmin, mean = tail.Average();
        var ll = new double[tail.Length];
        double lambda;
        if (fit.Discrete)
        {
            lambda = Math.Log(1 + 1 / Math.Max(mean - xmin, 1e-12));
            double c = Math.Log(-SpecialFunctions.Expm1(-lambda));
            for (int i = 0; i < tail.Length; i++) ll[i] = c - lambda * (tail[i] - xmin);
        }
        else
        {
            lambda = 1 / Math.Max(mean - xmin, 1e-300);
            double c = Math.Log(lambda);
            for (int i = 0; i < tail.Length; i++) ll[i] = c - lambda * (tail[i] - xmin);
        }
        return (ll, new Dictionary<string, double> { ["lambda"] = lambda });
    }

    /// <summary>Power law with exponential cut-off, p(x) ∝ x^(−α) e^(−λx), fitted by Nelder–Mead on (α, ln λ).</summary>
    public static (double[] Ll, Dictionary<string, double> Pars) TruncatedPowerLaw(double[] tail, PowerLawFit fit)
    {
        double xmin = fit.Xmin;
        int n = tail.Length;
        double sumLog = tail.Sum(v => Math.Log(v)), sum = tail.Sum();
        Func<double[], double> negLl = p =>
        {
            double a = p[0], lam = Math.Exp(p[1]);
            double lz = LogNormaliser(a, lam, xmin, fit.Discrete);
            return -(-a * sumLog - lam * sum - n * lz);
        };
        double lam0 = 1.0 / (tail.Average() * 10);
        var best = NelderMead.Minimize(negLl, new[] { Math.Max(fit.Alpha - 0.2, 0.5), Math.Log(lam0) }, new[] { 0.2, 1.0 });
        best = NelderMead.Minimize(negLl, best, new[] { 0.05, 0.3 });
        // The power law is the λ → 0 limit: never report a worse fit than it.
        double alpha = best[0], lambda = Math.Exp(best[1]);
        var ll = new double[n];
        double lzB = LogNormaliser(alpha, lambda, xmin, fit.Discrete);
        for (int i = 0; i < n; i++) ll[i] = -alpha * Math.Log(tail[i]) - lambda * tail[i] - lzB;
        if (ll.Sum() < fit.LogLikelihood)
        {
            ll = fit.PointLogLikelihoods(tail);
            alpha = fit.Alpha; lambda = 0;
        }
        return (ll, new Dictionary<string, double> { ["alpha"] = alpha, ["lambda"] = lambda });
    }

    /// <summary>
    /// ln of Σ_{x≥xmin} x^(−α) e^(−λx) (discrete) or ∫_{xmin}^∞ x^(−α) e^(−λx) dx (continuous). The integral is taken
    /// in t = ln(x/xmin) by composite Simpson; the discrete sum adds terms exactly up to xmin + 2000 and the integral
    /// with an Euler–Maclaurin end correction beyond.
    /// </summary>
    public static double LogNormaliser(double alpha, double lambda, double xmin, bool discrete)
    {
        if (!discrete) return LogIntegral(alpha, lambda, xmin);
        const int K = 2000;
        double s = 0;
        double shift = -alpha * Math.Log(xmin) - lambda * xmin; // factor out the first term for range
        for (int k = 0; k < K; k++)
        {
            double x = xmin + k;
            double t = Math.Exp(-alpha * Math.Log(x) - lambda * x - shift);
            s += t;
            if (t < 1e-17 * s) return Math.Log(s) + shift;
        }
        double X = xmin + K;
        double fX = Math.Exp(-alpha * Math.Log(X) - lambda * X - shift);
        double dfX = -fX * (alpha / X + lambda);
        double integral = Math.Exp(LogIntegral(alpha, lambda, X) - shift);
        return Math.Log(s + integral + 0.5 * fX - dfX / 12) + shift;
    }

    static double LogIntegral(double alpha, double lambda, double x0)
    {
        // ∫_{x0}^∞ x^(−α) e^(−λx) dx = x0^(1−α) ∫_0^∞ exp((1−α) t − λ x0 (e^t − 1)) dt · e^(−λ x0)
        double b = 1 - alpha, c = lambda * x0;
        Func<double, double> g = t => b * t - c * SpecialFunctions.Expm1(t);
        // upper limit where the log-integrand falls 40 below its peak
        double peak = 0;
        if (b > 0 && c > 0) { double tp = Math.Log(b / c); if (tp > 0) peak = g(tp); }
        double T = 1;
        while (g(T) > peak - 45 && T < 1e4) T *= 1.5;
        int m = 4000;
        double h = T / m, sum = 0;
        for (int i = 0; i <= m; i++)
        {
            double w = i == 0 || i == m ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += w * Math.Exp(g(i * h) - peak);
        }
        double integral = sum * h / 3;
        return b * Math.Log(x0) - c + peak + Math.Log(integral);
    }
}

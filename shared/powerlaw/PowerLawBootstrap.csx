#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

// Semi-parametric bootstrap goodness-of-fit test for power laws: Clauset, Shalizi & Newman, SIAM Review 51, 661 (2009), section 4.1.

/// <summary>p = fraction of synthetic data sets whose refitted KS distance is at least the observed one.</summary>
public sealed record PowerLawGoodnessOfFit(double P, int Replicates, double ObservedKs, double[] ReplicateKs, int Seed)
{
    /// <summary>CSN's rule: the power law is ruled out when p ≤ 0.1.</summary>
    public bool Plausible => P > 0.1;
}

/// <summary>
/// CSN's bootstrap: each synthetic set has the same size n as the data; each value comes, with probability
/// n_tail/n, from the fitted power law above xmin, and otherwise is drawn uniformly from the observed values below
/// xmin. Each set is refitted exactly as the data were (xmin scanned again unless it was fixed, same minTail).
/// Replicate i uses its own generator seeded from (seed, i), so results do not depend on the thread count.
/// Discrete draws invert the exact CDF for the first 1000 integers above xmin and use CSN's continuous approximation
/// beyond (their eq. D.6).
/// </summary>
public static class PowerLawBootstrap
{
    /// <param name="progress">Called with the number of replicates done (from worker threads).</param>
    public static PowerLawGoodnessOfFit Run(IEnumerable<double> data, PowerLawFit fit, int replicates = 1000, int seed = 0, int maxDegreeOfParallelism = -1,
                                            Action<int>? progress = null)
    {
        int done = 0;
        if (replicates < 1) throw new SelfSimException($"Bootstrap replicates = {replicates}: use at least 1 (CSN suggest 2500 for p to ±0.01).");
        var (x, _) = PowerLawFitter.Prepare(data);
        int n = x.Length;
        int below = Array.BinarySearch(x, fit.Xmin);
        if (below < 0) below = ~below;
        while (below > 0 && x[below - 1] >= fit.Xmin) below--;
        var body = x.Take(below).ToArray();
        double pTail = (double)(n - below) / n;
        var sampler = new Sampler(fit);
        var ks = new double[replicates];
        var opts = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, replicates, opts, () => new double[n], (i, _, buf) =>
        {
            var rng = new Random(SeedStreams.Mix(seed, i, 0x5eed));
            for (int k = 0; k < n; k++)
                buf[k] = body.Length > 0 && rng.NextDouble() >= pTail ? body[rng.Next(body.Length)] : sampler.Draw(rng);
            var sorted = (double[])buf.Clone();
            Array.Sort(sorted);
            try
            {
                var f = PowerLawFitter.FitSorted(sorted, fit.Discrete, fit.XminFixed ? fit.Xmin : null, fit.MinTail, 0);
                ks[i] = f.KsDistance;
            }
            catch (SelfSimException) { ks[i] = double.PositiveInfinity; } // a degenerate synthetic set fits worse than any
            if (progress is not null) progress(Interlocked.Increment(ref done));
            return buf;
        }, _ => { });
        int atLeast = ks.Count(d => d >= fit.KsDistance);
        return new PowerLawGoodnessOfFit((double)atLeast / replicates, replicates, fit.KsDistance, ks, seed);
    }

    /// <summary>Draws from the fitted power law above xmin.</summary>
    public sealed class Sampler
    {
        readonly PowerLawFit _fit;
        readonly double[]? _cum; // discrete: cumulative probability of xmin .. xmin + T − 1
        const int T = 1000;

        public Sampler(PowerLawFit fit)
        {
            _fit = fit;
            if (fit.Discrete)
            {
                double z = HurwitzZeta.Value(fit.Alpha, fit.Xmin), acc = 0;
                _cum = new double[T];
                for (int k = 0; k < T; k++) { acc += Math.Pow(fit.Xmin + k, -fit.Alpha) / z; _cum[k] = acc; }
            }
        }

        public double Draw(Random rng)
        {
            double a = _fit.Alpha, xmin = _fit.Xmin;
            if (!_fit.Discrete) return xmin * Math.Pow(1 - rng.NextDouble(), -1 / (a - 1));
            double r = rng.NextDouble();
            var cum = _cum!;
            if (r < cum[T - 1])
            {
                int lo = 0, hi = T - 1;
                while (lo < hi) { int mid = (lo + hi) >> 1; if (cum[mid] > r) hi = mid; else lo = mid + 1; }
                return xmin + lo;
            }
            double top = xmin + T;
            double v = Math.Floor((top - 0.5) * Math.Pow(1 - rng.NextDouble(), -1 / (a - 1)) + 0.5);
            return Math.Min(v, 1e15);
        }
    }
}

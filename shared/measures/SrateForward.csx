#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

// Srate's forward count (Ding et al. 2025, arXiv 2507.17785; reference sfm/sfm_loss_d_v2.py): pair distances, their
// extremes TZ and TV, the K scales, ρ(l) by placing every distance among the scales, and S, op for op as the
// reference in its float type. It also leaves the constants the backward pass needs in the SrateWork.

/// <summary>The forward pass of <see cref="SrateFunction"/>: S of x [n, d] (a 0-dim tensor of x's dtype).</summary>
internal static class SrateForward
{
    internal static Tensor Run(Tensor x, SrateWork w)
    {
        int n = (int)x.shape[0], d = (int)x.shape[1], K = w.K;
        long P = (long)n * (n - 1) / 2;
        w.N = n; w.D = d; w.Pairs = P;
        var dev = x.device;
        var emu = SrateFunction.EmulationType(x);
        double invSqrtD = 1.0 / Math.Sqrt(d);
        bool cpuPath = SrateFunction.UseCpuPath(w, x);
        Tensor? xd = null, sq = null, cols = null;
        if (!cpuPath)
        {
            xd = PairDistances.Centred(x);
            sq = xd.square().sum(1);
            cols = arange(n, device: dev).unsqueeze(0);
        }
        int br = SrateFunction.BlockRows(n);

        // Pass 1: extremes over i < j, and the pairs that attain them.
        Tensor? U = cpuPath ? PairDistances.UpperCpuTensor(x) : null;
        double dmin = double.PositiveInfinity, dmax = double.NegativeInfinity;
        long minI = 0, minJ = 1, maxI = 0, maxJ = 1;
        if (U is not null)
        {
            int parts = SrateFunction.Parts(n);
            var mins = new double[parts]; var maxs = new double[parts]; var minAt = new long[parts]; var maxAt = new long[parts];
            SrateFunction.ForParts(parts, p =>
            {
                double mn = double.PositiveInfinity, mx = double.NegativeInfinity; long mi = 0, Mi = 0;
                for (int i = p; i < n - 1; i += parts)
                {
                    long row = (long)i * n;
                    var r = PairDistances.Row(U, i, n);
                    for (int j = i + 1; j < n; j++)
                    {
                        double v = r[j];
                        if (v < mn) { mn = v; mi = row + j; }
                        if (v > mx) { mx = v; Mi = row + j; }
                    }
                }
                mins[p] = mn; maxs[p] = mx; minAt[p] = mi; maxAt[p] = Mi;
            });
            for (int p = 0; p < parts; p++)
            {
                if (mins[p] < dmin || (mins[p] == dmin && minAt[p] < minI * n + minJ)) { dmin = mins[p]; minI = minAt[p] / n; minJ = minAt[p] % n; }
                if (maxs[p] > dmax || (maxs[p] == dmax && maxAt[p] < maxI * n + maxJ)) { dmax = maxs[p]; maxI = maxAt[p] / n; maxJ = maxAt[p] % n; }
            }
        }
        else
            for (int r0 = 0; r0 < n - 1; r0 += br)
            {
                using var s = NewDisposeScope();
                int r1 = Math.Min(n - 1, r0 + br);
                var D = PairDistances.Block(xd!, sq!, r0, r1, invSqrtD);
                var upper = cols!.gt(arange(r0, r1, device: dev).unsqueeze(1));
                var lo = D.masked_fill(~upper, double.PositiveInfinity);
                var hi = D.masked_fill(~upper, double.NegativeInfinity);
                long am = lo.argmin().item<long>(), aM = hi.argmax().item<long>();
                double vm = lo.flatten()[am].item<double>(), vM = hi.flatten()[aM].item<double>();
                if (vm < dmin) { dmin = vm; minI = r0 + am / n; minJ = am % n; }
                if (vM > dmax) { dmax = vM; maxI = r0 + aM / n; maxJ = aM % n; }
            }
        w.Dmin64 = dmin; w.Dmax64 = dmax;
        // The reference's float32 norm squares the differences: past ~1.8e19 the square is Inf and S is NaN.
        if (emu == ScalarType.Float32 && dmax * Math.Sqrt(d) > Float32NormLimit)
            throw new SelfSimException($"Srate: the float32 feature rows are up to {dmax * Math.Sqrt(d):G3} apart (‖x_i − x_j‖), beyond " +
                                       $"float32's range for squared distances (about {Float32NormLimit:G2}); S would be NaN. Pass them as " +
                                       "float64 (x.to(float64); a float64 .npy or a .csv file), which holds distances up to 1e150, or rescale them.");

        // TZ and TV as the reference gets them (its float type, then .item()).
        var ext = SrateFunction.ReferenceDistance(x, tensor(new[] { minI, maxI }, device: dev), tensor(new[] { minJ, maxJ }, device: dev), emu, d)
            .to(ScalarType.Float64).cpu().data<double>().ToArray();
        double TZ = ext[0], TV = ext[1];
        w.TZ = TZ; w.TV = TV;
        // The scales, log-spaced in 1 + l from 1 + TZ to 1 + TV. Where the reference's own float arithmetic resolves
        // them ((TV − TZ)/(1 + TV) well above its rounding), op for op as the reference in its float type, so S and the
        // gradient's signs match it; below that (distances of 1e-7 in float32: 1 + 1e-8 rounds to 1 and every l to 0)
        // in float64 with log1p/expm1, l_0 = TZ and l_{K−1} = TV, and "closer than l" decided as l > dist.
        double a = Log1p(TZ), b = Log1p(TV);
        if (!(TV > TZ) || b - a == 0)
            throw new SelfSimException($"Srate: all pairwise distances between the {n} nodes are equal (min = max = {TV:G6}), " +
                                       (TV == 0 ? "i.e. all rows are identical (collapsed features). " : "so the box-covering curve is a single point. ") +
                                       "S is undefined there; use a layer or probe batch whose nodes differ.");
        bool asReference = (TV - TZ) / (1 + TV) >= (emu == ScalarType.Float64 ? 1e-9 : 1e-3);
        Tensor lEmu;
        double[] L;
        if (asReference)
        {
            var sample = linspace(0.0, 1.0, K, dtype: emu, device: dev);
            lEmu = full_like(sample, (1 + TV) / (1 + TZ)).pow(sample).mul(1 + TZ).sub(1);
            L = lEmu.to(ScalarType.Float64).cpu().data<double>().ToArray();
        }
        else
        {
            L = new double[K];
            for (int k = 0; k < K; k++) L[k] = k == 0 ? TZ : k == K - 1 ? TV : Expm1(a + (b - a) * k / (K - 1));
            lEmu = tensor(L, device: dev).to(emu);
        }
        w.L = L;
        // the window around each l in which a pair is re-decided: relative, plus the reference's absolute part
        double Window(double l) => SrateFunction.DecisionWindow * ((asReference ? 1 : 0) + Math.Abs(l));

        // Pass 2: counts of pairs closer than each l. Certain pairs by bucketing; pairs within the (relative) window
        // of some l are replayed as the reference decides them, on its float type's distance.
        var loB = tensor(L.Select(l => l - Window(l)).ToArray(), device: dev);
        var hiB = tensor(L.Select(l => l + Window(l)).ToArray(), device: dev);
        var candRows = new List<long>(); var candCols = new List<long>(); var candFrom = new List<int>(); var candTo = new List<int>();
        double[] counts;
        if (U is not null)
        {
            var loA = L.Select(l => l - Window(l)).ToArray();
            var hiA = L.Select(l => l + Window(l)).ToArray();
            // Lookup table: for T equal bins over [dmin, dmax], how many hi boundaries lie at or below the bin's
            // start; a distance then needs a couple of predictable comparisons instead of a binary search.
            const int T = 1 << 14;
            double binW = Math.Max(dmax - dmin, double.Epsilon) / T, invW = 1 / binW;
            var start = new int[T + 1];
            for (int t = 0; t <= T; t++) start[t] = SrateFunction.CountAtMost(hiA, dmin + t * binW);
            int parts = SrateFunction.Parts(n);
            var hists = new long[parts][];
            var cands = new List<(long I, long J, int From, int To)>[parts];
            SrateFunction.ForParts(parts, p =>
            {
                var h = new long[K + 1];
                var c = new List<(long, long, int, int)>();
                for (int i = p; i < n - 1; i += parts)
                {
                    var r = PairDistances.Row(U, i, n);
                    for (int j = i + 1; j < n; j++)
                    {
                        double v = r[j];
                        int bin = (int)((v - dmin) * invW);
                        if (bin < 0) bin = 0; else if (bin > T) bin = T;
                        int kHi = start[bin];
                        while (kHi > 0 && hiA[kHi - 1] > v) kHi--;              // (rounding at the bin edge)
                        while (kHi < K && hiA[kHi] <= v) kHi++;
                        int kLo = kHi;
                        while (kLo < K && loA[kLo] <= v) kLo++;
                        h[kLo]++;
                        if (kLo != kHi) c.Add((i, j, kHi, kLo));
                    }
                }
                hists[p] = h; cands[p] = c;
            });
            var hist = new long[K + 1];
            for (int p = 0; p < parts; p++)
            {
                for (int k = 0; k <= K; k++) hist[k] += hists[p][k];
                foreach (var (ci, cj, f, t) in cands[p]) { candRows.Add(ci); candCols.Add(cj); candFrom.Add(f); candTo.Add(t); }
            }
            if (w.KeepDistances && n <= SrateFunction.CacheDistancesUpTo) w.Distances = U.DetachFromDisposeScope(); else U.Dispose();
            counts = new double[K];
            long run = 0;
            for (int k = 0; k < K; k++) { run += hist[k]; counts[k] = run; }
        }
        else
        {
            var certain = zeros(K + 1, dtype: ScalarType.Int64, device: dev);
            for (int r0 = 0; r0 < n - 1; r0 += br)
            {
                using var s = NewDisposeScope();
                int r1 = Math.Min(n - 1, r0 + br);
                var D = PairDistances.Block(xd!, sq!, r0, r1, invSqrtD);
                var upper = cols!.gt(arange(r0, r1, device: dev).unsqueeze(1));
                var vals = D.masked_select(upper);
                var iLo = bucketize(vals, loB, false, true);
                var iHi = bucketize(vals, hiB, false, true);
                certain.add_(bincount(iLo, null, K + 1));
                var near = iLo.ne(iHi);
                if (near.any().item<bool>())
                {
                    // recover (row, col) of the near pairs from the masked positions
                    var flatPos = upper.flatten().nonzero().squeeze(1).masked_select(near);
                    var from = iHi.masked_select(near).cpu().data<long>().ToArray();
                    var to = iLo.masked_select(near).cpu().data<long>().ToArray();
                    var pos = flatPos.cpu().data<long>().ToArray();
                    for (int i = 0; i < pos.Length; i++)
                    {
                        candRows.Add(r0 + pos[i] / n); candCols.Add(pos[i] % n);
                        candFrom.Add((int)from[i]); candTo.Add((int)to[i]);
                    }
                }
            }
            counts = certain.cumsum(0).narrow(0, 0, K).to(ScalarType.Float64).cpu().data<double>().ToArray();
        }
        if (candRows.Count > 0)
        {
            var dc = SrateFunction.ReferenceDistance(x, tensor(candRows.ToArray(), device: dev), tensor(candCols.ToArray(), device: dev), emu, d);
            var pIdx = new List<long>(); var kIdx = new List<long>();
            for (int i = 0; i < candRows.Count; i++)
                for (int k = candFrom[i]; k < candTo[i]; k++) { pIdx.Add(i); kIdx.Add(k); }
            var kT = tensor(kIdx.ToArray(), device: dev);
            // the reference's sigmoid(l − dist) > 0.5; below its range l > dist, what it means (float32's sigmoid
            // rounds to 0.5 within ~1e-7 of l, which made no pair "closer" once distances fell below that)
            var lk = lEmu.index_select(0, kT);
            var dk = dc.index_select(0, tensor(pIdx.ToArray(), device: dev));
            var closer = asReference ? sigmoid(lk - dk).gt(0.5) : lk.gt(dk);
            var extra = bincount(kT.masked_select(closer), null, K).to(ScalarType.Float64).cpu().data<double>().ToArray();
            for (int k = 0; k < K; k++) counts[k] += extra[k];
        }

        // The tail over the K scales, op for op as the reference, in its float type.
        double lnN = Math.Log(n);
        var NlT = tensor(counts, device: dev).to(emu).div(P);
        var NlNlT = NlT.mul(n - 1).add(1).log().mul(n - 1).div(lnN).neg().add(n);
        var pf = asReference
            ? lEmu.add(1).log().neg().add(Math.Log(1 + TZ)).div(Math.Log(1 + TV) - Math.Log(1 + TZ)).add(1)
            : tensor(L.Select(l => 1 - (Log1p(l) - a) / (b - a)).ToArray(), device: dev).to(emu);
        var logNl = NlNlT.log().div(lnN);
        var diffT = pf - logNl;
        var S = diffT.abs().sum().mul(2).div(K);
        w.S = S.to(ScalarType.Float64).item<double>();
        var sign = diffT.sign().to(ScalarType.Float64).cpu().data<double>().ToArray();

        // Exact curve values and the backward constants (float64).
        w.Rho = new double[K]; w.NB = new double[K]; w.C = new double[K];
        double coef = 2.0 / K * (n - 1.0) * (n - 1.0) / (lnN * lnN);
        for (int k = 0; k < K; k++)
        {
            double rho = counts[k] / P;
            double nb = n - (n - 1) * Math.Log(1 + (n - 1) * rho) / lnN;
            w.Rho[k] = rho; w.NB[k] = nb;
            double e = coef * sign[k] / (nb * (1 + (n - 1) * rho));   // dS/dρ_k
            w.C[k] = -(double)n / P * e;                              // dρ_k/d dist = −(n/P)·sigmoid'(l_k − dist)
        }
        return S.to(x.dtype);
    }

    /// <summary>The reference norm's float32 limit: ‖x_i − x_j‖² must stay below float32's 3.4e38.</summary>
    internal const double Float32NormLimit = 1.8e19;

    /// <summary>ln(1 + v) for small v ≥ 0 without the rounding of 1 + v (|v| ≤ 1e-4: the series to v⁵, error below 1e-20·v).</summary>
    internal static double Log1p(double v) => v > 1e-4 ? Math.Log(1 + v) : v * (1 - v * (1.0 / 2 - v * (1.0 / 3 - v * (1.0 / 4 - v / 5))));

    /// <summary>e^v − 1 without cancellation (|v| ≤ 1e-4: the series to v⁵).</summary>
    internal static double Expm1(double v) => Math.Abs(v) > 1e-4 ? Math.Exp(v) - 1 : v * (1 + v * (1.0 / 2 + v * (1.0 / 6 + v * (1.0 / 24 + v / 120))));
}

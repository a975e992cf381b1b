#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

// Srate's backward pass: the reference's straight-through estimator (sfm/sfm_loss_d_v2.py), ρ replaced by
// n·mean(sigmoid(l − dist)) for the gradient only, evaluated without the [K, n²] tensor the reference holds.

/// <summary>The backward pass of <see cref="SrateFunction"/>: dS/dx for x [n, d].</summary>
internal static class SrateBackward
{
    /// <summary>
    /// CPU backward. g(t) = Σ_s C_s·sigmoid'(l_s − t) is smooth on the scale of 1 (sigmoid with unit slope), so it is
    /// evaluated exactly, with its derivative, on a grid of step ≤ 1/64 over [min, max distance] and interpolated by
    /// cubic Hermite polynomials (error below 1e-9 of Σ|C_s|); with fewer pairs than grid work, every pair is summed
    /// exactly. W_ij = g(D_ij)/(D_ij·d) is written over the upper-triangle distance matrix in place, then
    /// dS/dx = (rowsum(W) + colsum(W))·x − W·x − Wᵀ·x (W strictly upper; two BLAS products).
    /// </summary>
    static Tensor RunCpu(Tensor x, SrateWork w)
    {
        int n = w.N, d = w.D, K = w.L.Length;
        var L = w.L; var C = w.C;
        double lo = w.Dmin64, range = Math.Max(w.Dmax64 - w.Dmin64, 0);
        long M = Math.Max(16, (long)Math.Ceiling(range * SrateFunction.HermiteStepsPerUnit));
        bool grid = !w.ExactGradient && M * 2 < w.Pairs;
        double h = range > 0 ? range / M : 1;
        double[] gv = Array.Empty<double>(), gd = Array.Empty<double>();
        if (grid)
        {
            gv = new double[M + 1]; gd = new double[M + 1];
            PairDistances.For((int)M + 1, (long)(M + 1) * K, m =>
            {
                double t = lo + m * h, g = 0, dg = 0;
                for (int k = 0; k < K; k++)
                {
                    double sg = 1 / (1 + Math.Exp(t - L[k]));          // sigmoid(l_k − t)
                    double s1 = sg * (1 - sg);
                    g += C[k] * s1;
                    dg -= C[k] * s1 * (1 - 2 * sg);                      // d/dt sigmoid'(l − t) = −sigmoid''(l − t)
                }
                gv[m] = g; gd[m] = dg * h;                               // derivative scaled to the unit interval
            });
        }
        var U = w.Distances ?? PairDistances.UpperCpuTensor(x);
        w.Distances = null;                                              // overwritten below: a second backward recomputes
        // W in float32 for float32 (or half) features: the two products run twice as fast, and 1e-7 relative is far
        // below what the gradient needs; float64 features keep float64 (W overwrites the distances in place).
        bool single = x.dtype != ScalarType.Float64;
        var W32 = single ? zeros(n, n, dtype: ScalarType.Float32) : null;
        int parts = SrateFunction.Parts(n);
        var colSums = new double[parts][];
        var rowSum = new double[n];
        SrateFunction.ForParts(parts, p =>
        {
            var col = colSums[p] = new double[n];
            for (int i = p; i < n - 1; i += parts)
            {
                var r = PairDistances.Row(U, i, n);
                var r32 = single ? MemoryMarshal.Cast<byte, float>(W32!.bytes).Slice(i * n, n) : Span<float>.Empty;
                double rs = 0;
                for (int j = i + 1; j < n; j++)
                {
                    double v = r[j];
                    if (v == 0) continue;                                // zero distance: zero gradient (as torch.norm)
                    double g;
                    if (grid)
                    {
                        double u = (v - lo) / h;
                        if (u < 0) u = 0; else if (u > M) u = M;
                        long i0 = (long)u; if (i0 > M - 1) i0 = M - 1;
                        double f = u - i0, f2 = f * f, f3 = f2 * f;
                        g = (2 * f3 - 3 * f2 + 1) * gv[i0] + (f3 - 2 * f2 + f) * gd[i0]
                          + (-2 * f3 + 3 * f2) * gv[i0 + 1] + (f3 - f2) * gd[i0 + 1];
                    }
                    else
                    {
                        g = 0;
                        for (int k = 0; k < K; k++)
                        {
                            double sg = 1 / (1 + Math.Exp(v - L[k]));
                            g += C[k] * sg * (1 - sg);
                        }
                    }
                    double wij = g / (v * d);
                    if (single) r32[j] = (float)wij; else r[j] = wij;
                    rs += wij; col[j] += wij;
                }
                rowSum[i] = rs;
            }
        });
        for (int p = 0; p < parts; p++)
            for (int j = 0; j < n; j++) rowSum[j] += colSums[p][j];
        using var scope = NewDisposeScope();
        var Wm = single ? W32! : U;
        if (single) U.Dispose();
        var xw = x.to(Wm.dtype);
        var coef = tensor(rowSum, new long[] { n, 1 }).to(Wm.dtype);   // Σ_j W_ij over the full symmetric W
        var grad = coef * xw - Wm.matmul(xw) - Wm.T.matmul(xw);
        Wm.Dispose();
        return grad.to(x.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>g(t) = Σ_s C_s·sigmoid'(l_s − t) for the values t (1-D, float64), exactly.</summary>
    static Tensor GExact(Tensor t, Tensor l, Tensor c)
    {
        long m = t.shape[0], K = l.shape[0];
        long chunk = Math.Max(1, (1L << 21) / K);
        var outs = new List<Tensor>();
        for (long s = 0; s < m; s += chunk)
        {
            long len = Math.Min(chunk, m - s);
            var sg = sigmoid(l.unsqueeze(0) - t.narrow(0, s, len).unsqueeze(1));
            outs.Add((sg * (1 - sg)).matmul(c));
        }
        return outs.Count == 1 ? outs[0] : cat(outs, 0);
    }

    internal static Tensor Run(Tensor x, SrateWork w)
    {
        if (SrateFunction.UseCpuPath(w, x))
            return w.C.All(v => v == 0) ? zeros_like(x) : RunCpu(x, w);
        int n = w.N, d = w.D;
        var dev = x.device;
        double invSqrtD = 1.0 / Math.Sqrt(d);
        var xd = PairDistances.Centred(x);   // (the gradient rowsum(W)·x_i − W·x is translation-invariant too)
        var sq = xd.square().sum(1);
        var l = tensor(w.L, device: dev);
        var c = tensor(w.C, device: dev);
        var grad = zeros(n, d, dtype: ScalarType.Float64, device: dev);
        if (w.C.All(v => v == 0)) return grad.to(x.dtype);

        double range = Math.Max(w.Dmax64 - w.Dmin64, 0);
        long M = Math.Max(64, (long)Math.Ceiling(range / SrateFunction.GridStep));
        bool useGrid = !w.ExactGradient && M < w.Pairs / 4;
        Tensor? gridVals = null;
        double h = 0;
        if (useGrid)
        {
            h = range > 0 ? range / M : 1;
            var gridT = arange(M + 1, dtype: ScalarType.Float64, device: dev).mul(h).add(w.Dmin64);
            gridVals = GExact(gridT, l, c);
        }
        int br = SrateFunction.BlockRows(n);
        for (int r0 = 0; r0 < n; r0 += br)
        {
            using var s = NewDisposeScope();
            int r1 = Math.Min(n, r0 + br);
            var D = PairDistances.Block(xd, sq, r0, r1, invSqrtD);
            Tensor G;
            if (useGrid)
            {
                var u = (D - w.Dmin64).div_(h).clamp_(0, M);
                var i0 = u.floor().clamp_(0, M - 1);
                var frac = u - i0;
                var il = i0.to(ScalarType.Int64).flatten();
                var g0 = gridVals!.index_select(0, il).view_as(D);
                var g1 = gridVals!.index_select(0, il + 1).view_as(D);
                G = g0 + frac * (g1 - g0);
            }
            else
            {
                G = GExact(D.flatten(), l, c).view_as(D);
            }
            // dS/dx_i = Σ_j g(D_ij)/(D_ij·d)·(x_i − x_j); zero distances (and the diagonal) contribute 0.
            var W = (G / (D * d)).masked_fill_(D.eq(0), 0);
            var xb = xd.narrow(0, r0, r1 - r0);
            var gb = W.sum(1, true) * xb - W.matmul(xd);
            grad.narrow(0, r0, r1 - r0).copy_(gb);
        }
        return grad.to(x.dtype);
    }
}

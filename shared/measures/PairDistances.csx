#nullable enable
using System;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

// Pairwise node distances as the reference measures them (Euclidean over sqrt(d), Ding et al. 2025, arXiv 2507.17785),
// computed from a Gram matrix in float64.

/// <summary>Euclidean distances over √d between the rows of a node matrix, block by block.</summary>
public static class PairDistances
{
    /// <summary>Distances (Euclidean over √d, float64) of rows r0..r1 to all rows: Gram matrix, with near-cancelling
    /// entries (near-duplicate rows, and the diagonal) recomputed from the differences.</summary>
    public static Tensor Block(Tensor xd, Tensor sq, int r0, int r1, double invSqrtD)
    {
        var xb = xd.narrow(0, r0, r1 - r0);
        var sb = sq.narrow(0, r0, r1 - r0).unsqueeze(1);
        var sumSq = sb + sq.unsqueeze(0);
        var d2 = sumSq - 2.0 * xb.matmul(xd.T);
        var bad = d2.le(sumSq * 1e-8);
        var idx = bad.nonzero();
        long m = idx.shape[0];
        const long chunk = 1 << 16;
        for (long c = 0; c < m; c += chunk)
        {
            long len = Math.Min(chunk, m - c);
            var part = idx.narrow(0, c, len);
            var ri = part.select(1, 0);
            var ci = part.select(1, 1);
            var exact = (xd.index_select(0, ri + r0) - xd.index_select(0, ci)).square().sum(1);
            d2.index_put_(exact, ri, ci);
        }
        return d2.clamp_min_(0).sqrt_().mul_(invSqrtD);
    }


    /// <summary>The full n×n matrix (float64) of ‖x_i − x_j‖/√d.</summary>
    public static Tensor Matrix(Tensor x)
    {
        int n = (int)x.shape[0], d = (int)x.shape[1];
        using var _ = no_grad();
        var xd = Centred(x);
        return Block(xd, xd.square().sum(1), 0, n, 1.0 / Math.Sqrt(d));
    }

    /// <summary>
    /// x in float64 with its column means subtracted. Distances do not change, and the Gram expansion
    /// ‖a‖² + ‖b‖² − 2a·b no longer cancels the digits a large common offset carries (data at 1e6 + O(1) lost
    /// six digits: 5e-10 relative, against 4e-16 centred).
    /// </summary>
    public static Tensor Centred(Tensor x)
    {
        using var _ = no_grad();
        using var xd = x.detach().to(ScalarType.Float64);   // (x itself when it is float64: never changed in place)
        using var mean = xd.mean(new long[] { 0 }, keepdim: true);
        return xd - mean;
    }

    /// <summary>Whether the CPU fast path can hold the n×n float64 matrix as one span (n ≤ 16383).</summary>
    public static bool CpuPathFits(long n) => n * n * sizeof(double) <= int.MaxValue;

    /// <summary>
    /// CPU: the distances ‖x_i − x_j‖/√d for i &lt; j in a contiguous n×n float64 tensor (the upper triangle; with
    /// <paramref name="mirror"/> also the lower one, else it is 0; the diagonal is 0). Gram matrix by BLAS, then one
    /// parallel pass in place; near-cancelling pairs (squared distance below 1e-8 of |x_i|² + |x_j|², e.g.
    /// duplicate rows) are recomputed from the differences, so duplicates are exactly 0.
    /// </summary>
    public static Tensor UpperCpuTensor(Tensor x, bool mirror = false)
    {
        int n = (int)x.shape[0], d = (int)x.shape[1];
        if (!CpuPathFits(n)) throw new SelfSimException($"PairDistances: {n} nodes need an n×n matrix over 2 GB; use at most 16383 nodes.");
        double inv = 1.0 / Math.Sqrt(d);
        double[] X;
        Tensor G;
        using (no_grad())
        {
            using var xd = Centred(x.cpu());
            X = xd.data<double>().ToArray();
            G = xd.matmul(xd.T).contiguous();
        }
        var sq = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k < d; k++) { double v = X[i * d + k]; s += v * v; }
            sq[i] = s;
        }
        For(n, (long)n * n, i =>
        {
            var row = Row(G, i, n);
            row[i] = 0;
            if (!mirror) row.Slice(0, i).Clear();
            for (int j = i + 1; j < n; j++)
            {
                double sum = sq[i] + sq[j];
                double d2 = sum - 2 * row[j];
                if (d2 <= 1e-8 * sum)
                {
                    d2 = 0;
                    if (sum != 0)
                        for (int k = 0; k < d; k++) { double t = X[i * d + k] - X[j * d + k]; d2 += t * t; }
                }
                row[j] = d2 > 0 ? Math.Sqrt(d2) * inv : 0;
            }
        });
        if (mirror)
        {
            const int tile = 64;
            int tiles = (n + tile - 1) / tile;
            For(tiles, (long)n * n, bi =>
            {
                var all = MemoryMarshal.Cast<byte, double>(G.bytes);
                int i0 = bi * tile, i1 = Math.Min(n, i0 + tile);
                for (int j0 = i0; j0 < n; j0 += tile)
                {
                    int j1 = Math.Min(n, j0 + tile);
                    for (int i = i0; i < i1; i++)
                        for (int j = Math.Max(j0, i + 1); j < j1; j++) all[j * n + i] = all[i * n + j];
                }
            });
        }
        return G;
    }

    /// <summary>body(0..count−1), on the thread pool only when the total work is worth the hand-off (≥ 65536 units).</summary>
    public static void For(int count, long work, Action<int> body)
    {
        if (work < 1L << 16) { for (int i = 0; i < count; i++) body(i); }
        else Parallel.For(0, count, body);
    }

    /// <summary>Row <paramref name="i"/> of a contiguous CPU float64 n×n tensor, as a span over its memory.</summary>
    public static Span<double> Row(Tensor m, int i, int n) => MemoryMarshal.Cast<byte, double>(m.bytes).Slice(i * n, n);

    /// <summary>As <see cref="UpperCpuTensor"/>, copied into a row-major array.</summary>
    public static double[] UpperCpu(Tensor x, bool mirror = false)
    {
        using var t = UpperCpuTensor(x, mirror);
        return t.data<double>().ToArray();
    }
}

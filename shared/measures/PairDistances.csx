using System;
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
        var xd = x.detach().to(ScalarType.Float64);
        return Block(xd, xd.square().sum(1), 0, n, 1.0 / Math.Sqrt(d));
    }

    /// <summary>
    /// CPU: the distances ‖x_i − x_j‖/√d for i &lt; j in a row-major n×n array (the upper triangle; with
    /// <paramref name="mirror"/> also the lower one, else it is left 0; the diagonal is 0). Gram matrix by BLAS,
    /// near-cancelling pairs (relative squared distance below 1e-8, e.g. duplicate rows) recomputed exactly.
    /// </summary>
    public static double[] UpperCpu(Tensor x, bool mirror = false)
    {
        int n = (int)x.shape[0], d = (int)x.shape[1];
        double inv = 1.0 / Math.Sqrt(d);
        double[] X, G;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var xd = x.detach().cpu().to(ScalarType.Float64).contiguous();
            X = xd.data<double>().ToArray();
            G = xd.matmul(xd.T).data<double>().ToArray();
        }
        var sq = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int k = 0; k < d; k++) { double v = X[i * d + k]; s += v * v; }
            sq[i] = s;
        }
        Parallel.For(0, n, i =>
        {
            int row = i * n;
            G[row + i] = 0;
            if (!mirror) for (int j = 0; j < i; j++) G[row + j] = 0;
            for (int j = i + 1; j < n; j++)
            {
                double sum = sq[i] + sq[j];
                double d2 = sum - 2 * G[row + j];
                if (d2 <= 1e-8 * sum)
                {
                    if (sum == 0) d2 = 0;
                    else
                    {
                        d2 = 0;
                        for (int k = 0; k < d; k++) { double t = X[i * d + k] - X[j * d + k]; d2 += t * t; }
                    }
                }
                G[row + j] = d2 > 0 ? Math.Sqrt(d2) * inv : 0;
            }
        });
        if (mirror)
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++) G[j * n + i] = G[i * n + j];
        return G;
    }
}

using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace SelfSim.Tests.Dimensions;

/// <summary>Point sets of known intrinsic dimension for the estimator tests, seeded.</summary>
static class PointClouds
{
    /// <summary>n Gaussian points in a random d-dimensional linear subspace of R^ambient.</summary>
    public static Tensor Subspace(int n, int d, int ambient, int seed)
    {
        var g = new Generator((ulong)seed);
        using var z = randn(new long[] { n, d }, dtype: ScalarType.Float64, generator: g);
        using var basis = linalg.qr(randn(new long[] { ambient, d }, dtype: ScalarType.Float64, generator: g)).Q;
        return z.matmul(basis.T);
    }

    /// <summary>The Swiss roll (t cos t, h, t sin t), t ∈ [1.5π, 4.5π], h ∈ [0, 21]: a curved 2-D manifold in R³.</summary>
    public static Tensor SwissRoll(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n * 3];
        for (int i = 0; i < n; i++)
        {
            double t = 1.5 * Math.PI * (1 + 2 * rng.NextDouble()), h = 21 * rng.NextDouble();
            x[3 * i] = t * Math.Cos(t); x[3 * i + 1] = h; x[3 * i + 2] = t * Math.Sin(t);
        }
        return tensor(x, new long[] { n, 3 });
    }

    /// <summary>n points of the Sierpinski triangle by the chaos game (100 burn-in steps).</summary>
    public static Tensor Sierpinski(int n, int seed)
    {
        var rng = new Random(seed);
        double[] vx = { 0, 1, 0.5 }, vy = { 0, 0, Math.Sqrt(3) / 2 };
        double px = 0.3, py = 0.3;
        var x = new double[n * 2];
        for (int i = -100; i < n; i++)
        {
            int v = rng.Next(3);
            px = (px + vx[v]) / 2; py = (py + vy[v]) / 2;
            if (i >= 0) { x[2 * i] = px; x[2 * i + 1] = py; }
        }
        return tensor(x, new long[] { n, 2 });
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// Linear centred kernel alignment: Kornblith, Norouzi, Lee & Hinton, "Similarity of neural network representations
// revisited", ICML 2019; the unbiased form uses the unbiased HSIC estimator of Song et al., JMLR 13 (2012), eq. 5.

/// <summary>
/// Linear CKA between two representations of the same n samples, X [n, p] and Y [n, q] (samples in rows; a node
/// matrix is [nodes, samples], so <see cref="Of(NodeMatrix, NodeMatrix, bool)"/> transposes it):
/// CKA = ‖YᵀX‖_F² / (‖XᵀX‖_F ‖YᵀY‖_F) after centring every column. It lies in [0, 1], is 1 for X against itself,
/// and does not change under rotations and isotropic scaling of either side. <see cref="Unbiased"/> replaces each
/// ‖·‖_F² = HSIC by its unbiased estimate on the Gram matrices K = XXᵀ, L = YYᵀ (n ≥ 4), which removes the bias of
/// the plain form at few samples and many features (it can then be slightly negative). All work in float64.
/// </summary>
public static class LinearCka
{
    /// <summary>Linear CKA of X [n, p] and Y [n, q], samples in rows.</summary>
    public static double Of(Tensor x, Tensor y)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (xc, yc) = Prepare(x, y, 2);
        double xy = yc.T.matmul(xc).square().sum().item<double>();
        double xx = xc.T.matmul(xc).square().sum().sqrt().item<double>();
        double yy = yc.T.matmul(yc).square().sum().sqrt().item<double>();
        return xy / (xx * yy);
    }

    /// <summary>CKA with the unbiased HSIC: HSIC_u(K, L) / √(HSIC_u(K, K)·HSIC_u(L, L)), K = XXᵀ, L = YYᵀ.</summary>
    public static double Unbiased(Tensor x, Tensor y)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (xc, yc) = Prepare(x, y, 4);
        var k = xc.matmul(xc.T);
        var l = yc.matmul(yc.T);
        double kl = Hsic(k, l), kk = Hsic(k, k), ll = Hsic(l, l);
        return kl / Math.Sqrt(kk * ll);
    }

    /// <summary>The unbiased HSIC estimator (Song et al. 2012): with K̃, L̃ the Gram matrices with zero diagonals,
    /// [tr(K̃L̃) + 1ᵀK̃1·1ᵀL̃1/((n−1)(n−2)) − 2/(n−2)·1ᵀK̃L̃1] / (n(n−3)).</summary>
    public static double Hsic(Tensor k, Tensor l)
    {
        long n = k.shape[0];
        using var scope = NewDisposeScope();
        var kt = k.clone(); kt.diagonal().zero_();
        var lt = l.clone(); lt.diagonal().zero_();
        double tr = (kt * lt).sum().item<double>();             // tr(K̃L̃), both symmetric
        double sk = kt.sum().item<double>(), sl = lt.sum().item<double>();
        double mid = kt.sum(new long[] { 0 }).dot(lt.sum(new long[] { 1 })).item<double>();   // 1ᵀK̃L̃1
        return (tr + sk * sl / ((n - 1.0) * (n - 2.0)) - 2.0 / (n - 2.0) * mid) / (n * (n - 3.0));
    }

    /// <summary>Linear CKA of two layers' node matrices over the same probe samples (columns).</summary>
    public static double Of(NodeMatrix a, NodeMatrix b, bool unbiased = false)
    {
        if (a is null || b is null) throw new SelfSimException("LinearCka.Of: a node matrix is null.");
        if (a.Samples != b.Samples)
            throw new SelfSimException($"CKA compares representations of the same samples: {a.Name} has {a.Samples} samples (columns), {b.Name} {b.Samples}. Capture both on one probe batch.");
        using var xa = a.Features.T;
        using var xb = b.Features.T;
        return unbiased ? Unbiased(xa, xb) : Of(xa, xb);
    }

    /// <summary>CKA between every pair of layers (a symmetric matrix, 1 on the diagonal for the plain form).</summary>
    public static double[,] Matrix(IReadOnlyList<NodeMatrix> layers, bool unbiased = false)
    {
        int m = layers.Count;
        var r = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int j = i; j < m; j++)
                r[i, j] = r[j, i] = i == j && !unbiased ? 1 : Of(layers[i], layers[j], unbiased);
        return r;
    }

    /// <summary>Both sides centred (column means removed) in float64, after the checks: 2-D, same n, n ≥ min, finite,
    /// and neither side constant (every column constant: nothing varies across samples, CKA is 0/0).</summary>
    static (Tensor X, Tensor Y) Prepare(Tensor x, Tensor y, int minSamples)
    {
        if (x is null || y is null) throw new SelfSimException("CKA: a representation is null. Pass two [samples, features] tensors.");
        foreach (var (t, side) in new[] { (x, "A"), (y, "B") })
        {
            if (t.dim() != 2 || !t.is_floating_point())
                throw new SelfSimException($"CKA: representation {side} must be a 2-D floating-point matrix [samples, features]; got {t.dtype} [{string.Join(", ", t.shape)}].");
            if (!isfinite(t).all().item<bool>())
                throw new SelfSimException($"CKA: representation {side} holds {isnan(t).sum().item<long>()} NaN and {isinf(t).sum().item<long>()} Inf value(s); CKA is undefined. Check the activations.");
        }
        if (x.shape[0] != y.shape[0])
            throw new SelfSimException($"CKA compares two representations of the same samples: A has {x.shape[0]} rows, B {y.shape[0]}. " +
                                       "Rows must be samples (pass --samples-in-rows for a PyTorch hook's [samples, features], or transpose).");
        if (x.shape[0] < minSamples)
            throw new SelfSimException($"CKA needs at least {minSamples} samples{(minSamples == 4 ? " (the unbiased HSIC divides by n(n−3))" : "")}; got {x.shape[0]}.");
        var xc = x.detach().cpu().to(ScalarType.Float64);
        var yc = y.detach().cpu().to(ScalarType.Float64);
        xc = xc - xc.mean(new long[] { 0 }, keepdim: true);
        yc = yc - yc.mean(new long[] { 0 }, keepdim: true);
        foreach (var (t, side) in new[] { (xc, "A"), (yc, "B") })
            if (t.abs().max().item<double>() == 0)
                throw new SelfSimException($"CKA: every column of representation {side} is constant over the samples (dead layer?), so CKA is 0/0. Pick a layer that varies.");
        return (xc, yc);
    }
}

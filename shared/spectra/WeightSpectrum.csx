#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// Heavy-tailed self-regularisation: the empirical spectral density of WᵀW and its power-law tail α (Martin & Mahoney,
// JMLR 22(165), 2021; WeightWatcher), fitted by Clauset, Shalizi & Newman (2009); stable rank ‖W‖_F²/‖W‖₂².

/// <summary>
/// One layer's weight spectrum: the eigenvalues λ = σ² of WᵀW (its <see cref="Matrices"/> matrices pooled), the
/// continuous power-law fit of their tail (<see cref="Alpha"/> for λ ≥ <see cref="Xmin"/>, the fit's KS distance
/// <see cref="Ks"/>), and the stable rank Σλ/λ_max. α is NaN with a <see cref="Note"/> when there are too few eigenvalues.
/// </summary>
public sealed record WeightSpectrum(string Name, long[] Shape, int Matrices, double[] Eigenvalues, double Alpha, double AlphaStdError,
    double Xmin, double Ks, int TailCount, double StableRank, string? Note = null)
{
    public override string ToString() =>
        $"{Name} [{string.Join("×", Shape)}]: α = {Alpha:F3} (xmin {Xmin:G4}, KS {Ks:F3}, tail {TailCount}), stable rank {StableRank:F2}";
}

/// <summary>
/// Weight spectra of matrices and models. Which matrices a tensor gives (WeightWatcher's convention, its default
/// conv2d_fft = False): a 2-D weight [out, in] is one matrix; a convolution [out, in, k₁(, k₂)] gives one out×in matrix
/// per kernel position, W[:, :, i(, j)], and the layer's spectrum pools the eigenvalues of all k₁·k₂ of them. 1-D
/// tensors (biases, norms) have no spectrum. Eigenvalues come from torch.linalg.svdvals in float64 (λ = σ², the
/// min(out, in) non-trivial eigenvalues of WᵀW, never the exact zeros of the larger side). No 1/N normalisation: α, the
/// KS distance and the stable rank do not depend on a scale.
/// </summary>
public static class WeightSpectra
{
    /// <summary>Fewer eigenvalues than this give no α (a 10×k classifier head has 10).</summary>
    public const int MinEigenvalues = 10;

    /// <summary>The tail length the fit requires: min(50, ⌊count/2⌋), 50 being Clauset et al.'s reliable minimum.</summary>
    public static int MinTail(int eigenvalues) => Math.Min(PowerLawFitter.DefaultMinTail, eigenvalues / 2);

    /// <summary>The matrices a weight tensor stands for (see the class summary); none for 1-D or 0-D tensors.</summary>
    public static int MatrixCount(Tensor w) => w.dim() < 2 ? 0 : (int)w.shape.Skip(2).Aggregate(1L, (a, b) => a * b);

    /// <summary>The eigenvalues of WᵀW (σ² of each matrix, pooled over a convolution's kernel positions), ascending.</summary>
    public static double[] Eigenvalues(Tensor w, string name = "weight")
    {
        if (w is null) throw new SelfSimException($"{name}: the weight tensor is null.");
        if (w.dim() < 2) throw new SelfSimException($"{name} has shape [{string.Join(", ", w.shape)}]: a spectrum needs a matrix (2-D) or a convolution kernel (3-D, 4-D).");
        if (!w.is_floating_point()) throw new SelfSimException($"{name} has dtype {w.dtype}; a weight spectrum needs floating point.");
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var wd = w.detach().cpu().to(ScalarType.Float64);
        if (!isfinite(wd).all().item<bool>())
            throw new SelfSimException($"{name} holds {isnan(wd).sum().item<long>()} NaN and {isinf(wd).sum().item<long>()} Inf value(s): a diverged checkpoint? Its spectrum is undefined.");
        long o = w.shape[0], i = w.shape[1];
        // [out, in, k...] → [k..., out, in]: a batch of out×in matrices, one per kernel position.
        var batch = w.dim() == 2 ? wd.unsqueeze(0) : wd.reshape(o, i, -1).permute(2, 0, 1).contiguous();
        var sv = linalg.svdvals(batch).flatten();
        var ev = (sv * sv).data<double>().ToArray();
        Array.Sort(ev);
        return ev;
    }

    /// <summary>The spectrum of one weight tensor: eigenvalues, α, xmin, KS distance and stable rank.</summary>
    public static WeightSpectrum Of(string name, Tensor w)
    {
        var ev = Eigenvalues(w, name);
        double max = ev[^1];
        var shape = w.shape.ToArray();
        int matrices = MatrixCount(w);
        if (!(max > 0)) return new WeightSpectrum(name, shape, matrices, ev, double.NaN, double.NaN, double.NaN, double.NaN, 0, double.NaN,
            "every weight is zero: no spectrum");
        double stable = ev.Sum() / max;
        if (ev.Length < MinEigenvalues)
            return new WeightSpectrum(name, shape, matrices, ev, double.NaN, double.NaN, double.NaN, double.NaN, 0, stable,
                $"{ev.Length} eigenvalues, fewer than the {MinEigenvalues} a tail fit needs");
        var fit = PowerLawFitter.Fit(ev, PowerLawKind.Continuous, minTail: MinTail(ev.Length));
        return new WeightSpectrum(name, shape, matrices, ev, fit.Alpha, fit.AlphaStdError, fit.Xmin, fit.KsDistance, fit.TailCount, stable, fit.Warning);
    }

    /// <summary>The spectrum of every tensor of ≥ 2 dimensions in a state dict, in its order (embeddings included).</summary>
    public static IReadOnlyList<WeightSpectrum> OfStateDict(IEnumerable<KeyValuePair<string, Tensor>> state) =>
        state.Where(kv => kv.Value.dim() >= 2 && kv.Value.is_floating_point()).Select(kv => Of(kv.Key, kv.Value)).ToList();

    /// <summary>The spectrum of the last weight of ≥ 2 dimensions under <paramref name="module"/> (in parameter order: for a
    /// block, the matrix that produces its output), or null when it has none.</summary>
    public static WeightSpectrum? OfModule(nn.Module module, string name)
    {
        var last = module.named_parameters().Where(p => p.parameter.dim() >= 2).Select(p => (p.name, p.parameter)).LastOrDefault();
        return last.parameter is null ? null : Of(name.Length > 0 ? $"{name}.{last.name}" : last.name, last.parameter);
    }
}

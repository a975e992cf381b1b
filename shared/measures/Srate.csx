#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

// Srate, the approximate box-covering self-similarity measure (its API; the forward count is in SrateForward.csx,
// the straight-through backward pass in SrateBackward.csx): Ding et al. 2025 (arXiv 2507.17785), reference
// sfm/sfm_loss_d_v2.py (compute_mse_sim_loss). The training objective ½(S − target)² is SrateObjective (training/).

/// <summary>
/// The result of <see cref="Srate.Measure"/>: S as a differentiable tensor and the curve behind it. The training
/// objective ½(S − target)² on it is <see cref="SrateObjective.Loss"/> (training/).
/// </summary>
public sealed class SrateResult
{
    /// <summary>S as a 0-dim tensor of the input's dtype and device, in the graph of the input when it requires grad.
    /// Backward is the reference's straight-through gradient dS/dx.</summary>
    public Tensor Rate { get; }
    /// <summary>S, the self-similarity rate: (2/K)·Σ|chord − ln N_B/ln n| over the K scales.</summary>
    public double S { get; }
    /// <summary>TZ, the smallest pairwise distance (Euclidean over sqrt(d)).</summary>
    public double MinDistance { get; }
    /// <summary>TV, the largest pairwise distance.</summary>
    public double MaxDistance { get; }
    /// <summary>Number of nodes n (rows).</summary>
    public int Nodes { get; }
    /// <summary>The K box sizes l (log-spaced from TZ to TV).</summary>
    public double[] Scales { get; }
    /// <summary>ρ(l): the fraction of node pairs closer than l (the hard count the forward pass uses).</summary>
    public double[] PairFraction { get; }
    /// <summary>N_B(l) = n − (n−1)·ln(1+(n−1)ρ)/ln n, the approximate number of boxes.</summary>
    public double[] BoxCount { get; }

    internal SrateResult(Tensor rate, double s, double tz, double tv, int nodes, double[] scales, double[] rho, double[] boxes)
    {
        Rate = rate; S = s; MinDistance = tz; MaxDistance = tv; Nodes = nodes;
        Scales = scales; PairFraction = rho; BoxCount = boxes;
    }

    public override string ToString() => $"Srate S={S:F6} (TZ={MinDistance:G6}, TV={MaxDistance:G6}, n={Nodes})";
}

/// <summary>
/// Srate (S) of a node matrix x [n, d] (rows are nodes, e.g. neurons; columns are probe samples), faithful to the
/// authors' compute_mse_sim_loss (whose ½(S − target)² is the training objective, <see cref="SrateObjective"/>):
/// <list type="bullet">
/// <item>dist = ‖x_i − x_j‖/√d over all pairs i &lt; j; TZ = min, TV = max;</item>
/// <item>K (=256) scales l_s = (1+TZ)·((1+TV)/(1+TZ))^s − 1, s = 0..1;</item>
/// <item>ρ(l) = fraction of pairs with sigmoid(l − dist) &gt; 0.5 (i.e. strictly closer than l);</item>
/// <item>N_B = n − (n−1)·ln(1+(n−1)ρ)/ln n; chord = 1 − (ln(1+l) − ln(1+TZ))/(ln(1+TV) − ln(1+TZ));</item>
/// <item>S = (2/K)·Σ|chord − ln N_B/ln n|.</item>
/// </list>
/// Backward is the reference's straight-through estimator: ρ is replaced by n·mean(sigmoid(l − dist)) for the
/// gradient only; l, TZ and TV are constants; the gradient of a zero distance is 0 (as torch.norm's).
/// <para>Speed and memory (the reference holds O(K·n²)): distances come from one float64 Gram matrix; ρ(l) is
/// counted by placing each distance among the K scales (binary search in parallel loops on the CPU, bucketize in
/// row blocks on other devices), never as a [K, n²] tensor. Backward needs g(dist) = Σ_s c_s·sigmoid'(l_s − dist)
/// per pair; g is smooth on the scale of 1, so it is evaluated exactly on a grid (CPU: cubic Hermite, step 1/64;
/// tensor path: linear, step 1/2048) and interpolated, and dS/dx = rowsum(W)·x − W·x takes matrix products.
/// On the CPU the forward's distance matrix is kept for one backward when n ≤ 2048.</para>
/// <para>Faithful decisions: the reference decides "closer than l" in float32; a pair whose distance is
/// within 1e-5 (relative) of some l is re-decided exactly as the reference does (its distance, l and the
/// sigmoid recomputed in the input's float type), so S matches the reference to float32 rounding.
/// Magnitudes: where the reference's float arithmetic cannot resolve the scales (float32 distances of ~1e-7 and
/// below, where 1 + l rounds to 1), the scales are float64 (log1p/expm1) and "closer" is l &gt; dist, so S follows its
/// definition at every magnitude; float32 rows more than ~1.8e19 apart (the reference's norm overflows) and |x| past
/// 1e150 (float64 squares overflow) are refused with the range named.</para>
/// <para>Bad input: a non-2-D tensor, fewer than 3 nodes, no columns, NaN or Inf entries, and all pairwise
/// distances equal (TZ == TV, e.g. all rows identical: the box-covering curve is one point and S is undefined)
/// each throw a <see cref="SelfSimException"/> that names the problem. Zero distances (duplicate rows) are
/// fine: they count at every l &gt; 0 and get zero gradient.</para>
/// </summary>
public static class Srate
{
    public const int DefaultScales = 256;

    /// <summary>
    /// S of x [n, d] as a differentiable 0-dim tensor (<see cref="SrateResult.Rate"/>), with TZ, TV and the curve
    /// (scales, ρ, N_B). The measure only: the training objective on it is <see cref="SrateObjective.Loss"/>.
    /// </summary>
    /// <param name="x">Node matrix [n, d], rows are nodes. Float16/BFloat16/Float32/Float64, any device.</param>
    /// <param name="scales">Number of box sizes K (the reference's sample_num, 256).</param>
    /// <param name="exactGradient">Evaluate sigmoid'(l − dist) for every pair and scale instead of interpolating
    /// it from a fine grid (slower; the two agree to ~1e-7 relative).</param>
    /// <param name="backend">Auto: the CPU loops for CPU tensors (n ≤ 16383), else the tensor path (row blocks of
    /// torch ops, any device). Both give the same S; gradients agree to ~1e-7 relative.</param>
    public static SrateResult Measure(Tensor x, int scales = DefaultScales, bool exactGradient = false, SrateBackend backend = SrateBackend.Auto)
    {
        Validate(x, scales);
        if (backend == SrateBackend.Cpu && (x.device.type != DeviceType.CPU || !PairDistances.CpuPathFits(x.shape[0])))
            throw new SelfSimException($"Srate: the CPU backend needs a CPU tensor with at most 16383 nodes; got {x.shape[0]} nodes on {x.device}. Use SrateBackend.Auto.");
        var work = new SrateWork
        {
            K = scales,
            ExactGradient = exactGradient,
            Backend = backend,
            KeepDistances = x.requires_grad && torch.is_grad_enabled()
        };
        var rate = SrateFunction.apply(x, work);
        return new SrateResult(rate, work.S, work.TZ, work.TV, work.N, work.L, work.Rho, work.NB);
    }

    /// <summary>S only (no graph), for analysis.</summary>
    public static double Rate(Tensor x, int scales = DefaultScales)
    {
        using var _ = no_grad();
        var r = Measure(x.detach(), scales);
        r.Rate.Dispose();
        return r.S;
    }

    /// <summary>Whether the reference's float32 norm would overflow on some pair of rows of <paramref name="x"/>
    /// (‖x_i − x_j‖ past ~1.8e19; bounded here by twice the largest row norm about the column means).</summary>
    public static bool Float32CannotHold(Tensor x)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var c = PairDistances.Centred(x);
        return 2 * c.square().sum(1).max().sqrt().item<double>() > SrateForward.Float32NormLimit;
    }

    internal static void Validate(Tensor x, int scales)
    {
        ValidateFeatures(x, "Srate", 3);
        if (scales < 2)
            throw new SelfSimException($"Srate needs at least 2 scales; got {scales}. The reference uses 256.");
    }

    /// <summary>Checks a node matrix for the measures: 2-D, floating point, enough rows, at least one column, finite.</summary>
    internal static void ValidateFeatures(Tensor x, string who, int minNodes)
    {
        if (x is null) throw new SelfSimException($"{who}: the feature tensor is null. Pass a [nodes, samples] tensor (see NodeFeatures.Reduce).");
        if (x.dim() != 2)
            throw new SelfSimException($"{who} needs a 2-D node matrix [nodes, samples]; got shape [{string.Join(", ", x.shape)}]. " +
                                       "Reduce a layer output with NodeFeatures.Reduce (it gives [channels, batch]).");
        if (!x.is_floating_point())
            throw new SelfSimException($"{who} needs floating-point features; got {x.dtype}. Convert with .to(float32).");
        long n = x.shape[0], d = x.shape[1];
        if (n < minNodes)
            throw new SelfSimException($"{who} needs at least {minNodes} nodes (rows); got {n}. " +
                                       (minNodes >= 3 ? "The box-covering curve needs n ≥ 3 (ln n in the denominator, and at least two distinct distances); " : "") +
                                       "pick a wider layer.");
        if (d < 1)
            throw new SelfSimException($"{who} needs at least one sample (column) per node; got 0. Run a non-empty probe batch.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var finite = isfinite(x.detach());
        if (!finite.all().item<bool>())
        {
            long nans = isnan(x.detach()).sum().item<long>();
            long infs = isinf(x.detach()).sum().item<long>();
            var badRow = (~finite).any(1).nonzero()[0, 0].item<long>();
            throw new SelfSimException($"{who}: the features contain {nans} NaN and {infs} Inf value(s) (first in node row {badRow}). " +
                                       "Check the layer's activations (a diverged model, a too-high learning rate, or bad input data).");
        }
        // Squared distances are float64: past 1e150 they overflow to Inf (and the measures to NaN).
        double big = x.detach().abs().max().to(ScalarType.Float64).item<double>();
        if (big > Float64Limit)
            throw new SelfSimException($"{who}: the features reach |x| = {big:G3}, beyond the {Float64Limit:G0} that float64 squared " +
                                       "distances hold; rescale them (divide by a power of ten) before measuring.");
    }

    /// <summary>The largest |x| the measures take: float64 squared distances overflow near 1e154.</summary>
    public const double Float64Limit = 1e150;
}

/// <summary>Which implementation <see cref="Srate.Measure"/> runs.</summary>
public enum SrateBackend
{
    /// <summary>CPU loops for CPU tensors with n ≤ 16383, else the tensor path.</summary>
    Auto,
    /// <summary>Parallel C# loops over the upper triangle of a float64 distance matrix (CPU only).</summary>
    Cpu,
    /// <summary>Row blocks of torch operations in float64 (any device, e.g. CUDA; memory O(block·n)).</summary>
    Tensor,
}

/// <summary>State shared between the forward and backward pass of <see cref="SrateFunction"/>.</summary>
internal sealed class SrateWork
{
    public int K; public bool ExactGradient; public bool KeepDistances; public SrateBackend Backend;
    public int N; public int D; public long Pairs;
    public double TZ, TV, S;
    public double Dmin64, Dmax64;           // the same extremes in float64 (grid range)
    public double[] L = Array.Empty<double>();     // the reference's l values (as computed in its float type)
    public double[] Rho = Array.Empty<double>();
    public double[] NB = Array.Empty<double>();
    public double[] C = Array.Empty<double>();     // dS/d dist = Σ_s C_s·sigmoid'(l_s − dist)
    public Tensor? Distances;                      // CPU: the forward's distance matrix, kept for one backward when small
}

/// <summary>The autograd function behind <see cref="Srate.Measure"/>: S (forward: the hard count, SrateForward.csx;
/// backward: straight-through, SrateBackward.csx), and the helpers both passes share.</summary>
internal sealed class SrateFunction : torch.autograd.SingleTensorFunction<SrateFunction>
{
    public override string Name => "SrateStraightThrough";

    internal const int BlockElements = 1 << 21;         // elements of an n-wide row block of doubles (~16 MB)
    internal const double DecisionWindow = 1e-5;        // relative window around each l where the reference's float decision is replayed
    internal const double GridStep = 1.0 / 2048;        // device path: linear interpolation grid step for sigmoid'(l − dist), in distance units
    internal const int CacheDistancesUpTo = 2048;       // keep the forward's n×n distances for backward up to this n (32 MB)
    internal const double HermiteStepsPerUnit = 64;     // CPU path: cubic Hermite grid points per unit of distance

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var w = (SrateWork)vars[1];
        Tensor rateOut;
        using (var scope = NewDisposeScope())
        {
            rateOut = SrateForward.Run(x.detach(), w).MoveToOuterDisposeScope();
        }
        ctx.save_for_backward(new List<Tensor> { x });
        ctx.save_data("work", w);
        return rateOut;
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        var x = ctx.get_saved_variables()[0];
        var w = (SrateWork)ctx.get_data("work");
        Tensor g;
        using (var scope = NewDisposeScope())
        {
            g = SrateBackward.Run(x.detach(), w).mul(grad_output.to(x.dtype)).MoveToOuterDisposeScope();
        }
        return new List<Tensor> { g, null! };   // one entry per forward argument (the work object has none)
    }

    internal static bool UseCpuPath(SrateWork w, Tensor x) => w.Backend switch
    {
        SrateBackend.Cpu => true,
        SrateBackend.Tensor => false,
        _ => x.device.type == DeviceType.CPU && PairDistances.CpuPathFits(x.shape[0]),
    };

    /// <summary>The float type the reference's decisions are replayed in.</summary>
    internal static ScalarType EmulationType(Tensor x) => x.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;

    internal static int BlockRows(int n) => Math.Max(1, Math.Min(n, BlockElements / Math.Max(1, n)));

    /// <summary>The reference's distance for pairs (rows[i], cols[i]): torch.norm of the difference over √d, in its float type.</summary>
    internal static Tensor ReferenceDistance(Tensor x, Tensor rows, Tensor cols, ScalarType emu, int d)
    {
        var xe = x.to(emu);
        var diff = xe.index_select(0, rows) - xe.index_select(0, cols);
        return torch.linalg.vector_norm(diff, 2, new long[] { 1 }).div(Math.Sqrt(d));
    }

    /// <summary>How many interleaved row sets the CPU loops split the upper triangle into (1 when small: thread
    /// hand-offs cost more than they save below ~64k pairs).</summary>
    internal static int Parts(int n) => (long)n * n < 1L << 17 ? 1 : Math.Max(1, Math.Min(n - 1, 4 * Environment.ProcessorCount));

    internal static void ForParts(int parts, Action<int> body)
    {
        if (parts == 1) body(0);
        else Parallel.For(0, parts, body);
    }

    /// <summary>Number of entries of the ascending array <paramref name="b"/> that are ≤ v.</summary>
    internal static int CountAtMost(double[] b, double v)
    {
        int lo = 0, hi = b.Length;
        while (lo < hi) { int mid = (lo + hi) >> 1; if (b[mid] <= v) lo = mid + 1; else hi = mid; }
        return lo;
    }

}

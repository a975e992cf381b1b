#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using TorchSharp;
using static TorchSharp.torch;

// Srate, the approximate box-covering self-similarity measure and its training loss:
// Ding et al. 2025 (arXiv 2507.17785), reference sfm/sfm_loss_d_v2.py (compute_mse_sim_loss).

/// <summary>
/// The result of <see cref="Srate.Compute"/>: the loss tensor (0-dim, in the graph of the input when it
/// requires grad) and the numbers behind it.
/// </summary>
public sealed class SrateResult
{
    /// <summary>½(S − target)², a 0-dim tensor of the input's dtype and device. Backward uses the
    /// reference's straight-through gradient, so it trains when added to another loss.</summary>
    public Tensor Loss { get; }
    /// <summary>S, the self-similarity rate: (2/K)·Σ|chord − ln N_B/ln n| over the K scales.</summary>
    public double S { get; }
    /// <summary>TZ, the smallest pairwise distance (Euclidean over sqrt(d)).</summary>
    public double MinDistance { get; }
    /// <summary>TV, the largest pairwise distance.</summary>
    public double MaxDistance { get; }
    /// <summary>The loss as a number.</summary>
    public double LossValue { get; }
    /// <summary>The target S the loss pulls towards.</summary>
    public double Target { get; }
    /// <summary>Number of nodes n (rows).</summary>
    public int Nodes { get; }
    /// <summary>The K box sizes l (log-spaced from TZ to TV).</summary>
    public double[] Scales { get; }
    /// <summary>ρ(l): the fraction of node pairs closer than l (the hard count the forward pass uses).</summary>
    public double[] PairFraction { get; }
    /// <summary>N_B(l) = n − (n−1)·ln(1+(n−1)ρ)/ln n, the approximate number of boxes.</summary>
    public double[] BoxCount { get; }

    internal SrateResult(Tensor loss, double s, double tz, double tv, double lossValue, double target, int nodes,
        double[] scales, double[] rho, double[] boxes)
    {
        Loss = loss; S = s; MinDistance = tz; MaxDistance = tv; LossValue = lossValue; Target = target; Nodes = nodes;
        Scales = scales; PairFraction = rho; BoxCount = boxes;
    }

    public override string ToString() => $"Srate S={S:F6} (TZ={MinDistance:G6}, TV={MaxDistance:G6}, loss={LossValue:G6}, n={Nodes})";
}

/// <summary>
/// Srate (S) of a node matrix x [n, d] (rows are nodes, e.g. neurons; columns are probe samples) and the
/// loss ½(S − target)², faithful to the authors' compute_mse_sim_loss:
/// <list type="bullet">
/// <item>dist = ‖x_i − x_j‖/√d over all pairs i &lt; j; TZ = min, TV = max;</item>
/// <item>K (=256) scales l_s = (1+TZ)·((1+TV)/(1+TZ))^s − 1, s = 0..1;</item>
/// <item>ρ(l) = fraction of pairs with sigmoid(l − dist) &gt; 0.5 (i.e. strictly closer than l);</item>
/// <item>N_B = n − (n−1)·ln(1+(n−1)ρ)/ln n; chord = 1 − (ln(1+l) − ln(1+TZ))/(ln(1+TV) − ln(1+TZ));</item>
/// <item>S = (2/K)·Σ|chord − ln N_B/ln n|; loss = ½(S − target)².</item>
/// </list>
/// Backward is the reference's straight-through estimator: ρ is replaced by n·mean(sigmoid(l − dist)) for the
/// gradient only; l, TZ and TV are constants; the gradient of a zero distance is 0 (as torch.norm's).
/// <para>Speed and memory (the reference holds O(K·n²)): distances come from one float64 Gram matrix; ρ(l) is
/// counted by placing each distance among the K scales (binary search in parallel loops on the CPU, bucketize in
/// row blocks on other devices), never as a [K, n²] tensor. Backward needs g(dist) = Σ_s c_s·sigmoid'(l_s − dist)
/// per pair; g is smooth on the scale of 1, so it is evaluated exactly on a grid (CPU: cubic Hermite, step 1/64;
/// tensor path: linear, step 1/2048) and interpolated, and dloss/dx = rowsum(W)·x − W·x takes matrix products.
/// On the CPU the forward's distance matrix is kept for one backward when n ≤ 2048.</para>
/// <para>Faithful decisions: the reference decides "closer than l" in float32; a pair whose distance is
/// within 1e-5 (relative) of some l is re-decided exactly as the reference does (its distance, l and the
/// sigmoid recomputed in the input's float type), so S matches the reference to float32 rounding.</para>
/// <para>Bad input: a non-2-D tensor, fewer than 3 nodes, no columns, NaN or Inf entries, and all pairwise
/// distances equal (TZ == TV, e.g. all rows identical: the box-covering curve is one point and S is undefined)
/// each throw a <see cref="SelfSimException"/> that names the problem. Zero distances (duplicate rows) are
/// fine: they count at every l &gt; 0 and get zero gradient.</para>
/// </summary>
public static class Srate
{
    public const int DefaultScales = 256;
    public const double DefaultTarget = 0.3;

    /// <summary>Srate and its loss for x [n, d]. See the class summary.</summary>
    /// <param name="x">Node matrix [n, d], rows are nodes. Float16/BFloat16/Float32/Float64, any device.</param>
    /// <param name="target">The S the loss pulls towards (the reference's target_rate).</param>
    /// <param name="scales">Number of box sizes K (the reference's sample_num, 256).</param>
    /// <param name="exactGradient">Evaluate sigmoid'(l − dist) for every pair and scale instead of interpolating
    /// it from a fine grid (slower; the two agree to ~1e-7 relative).</param>
    /// <param name="backend">Auto: the CPU loops for CPU tensors (n ≤ 16383), else the tensor path (row blocks of
    /// torch ops, any device). Both give the same S; gradients agree to ~1e-7 relative.</param>
    public static SrateResult Compute(Tensor x, double target = DefaultTarget, int scales = DefaultScales, bool exactGradient = false,
        SrateBackend backend = SrateBackend.Auto)
    {
        Validate(x, scales);
        if (backend == SrateBackend.Cpu && (x.device.type != DeviceType.CPU || !PairDistances.CpuPathFits(x.shape[0])))
            throw new SelfSimException($"Srate: the CPU backend needs a CPU tensor with at most 16383 nodes; got {x.shape[0]} nodes on {x.device}. Use SrateBackend.Auto.");
        var work = new SrateWork { Target = target, K = scales, ExactGradient = exactGradient, Backend = backend,
                                   KeepDistances = x.requires_grad && torch.is_grad_enabled() };
        var loss = SrateFunction.apply(x, work);
        return new SrateResult(loss, work.S, work.TZ, work.TV, work.LossValue, target, work.N,
            work.L, work.Rho, work.NB);
    }

    /// <summary>S only (no graph), for analysis.</summary>
    public static double Rate(Tensor x, int scales = DefaultScales)
    {
        using var _ = no_grad();
        var r = Compute(x.detach(), DefaultTarget, scales);
        r.Loss.Dispose();
        return r.S;
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
    }
}

/// <summary>Which implementation <see cref="Srate.Compute"/> runs.</summary>
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
    public double Target; public int K; public bool ExactGradient; public bool KeepDistances; public SrateBackend Backend;
    public int N; public int D; public long Pairs;
    public double TZ, TV, S, LossValue;
    public double Dmin64, Dmax64;           // the same extremes in float64 (grid range)
    public double[] L = Array.Empty<double>();     // the reference's l values (as computed in its float type)
    public double[] Rho = Array.Empty<double>();
    public double[] NB = Array.Empty<double>();
    public double[] C = Array.Empty<double>();     // dloss/d dist = Σ_s C_s·sigmoid'(l_s − dist)
    public Tensor? Distances;                      // CPU: the forward's distance matrix, kept for one backward when small
}

/// <summary>The autograd function behind <see cref="Srate.Compute"/> (forward: hard count; backward: straight-through).</summary>
internal sealed class SrateFunction : torch.autograd.SingleTensorFunction<SrateFunction>
{
    public override string Name => "SrateStraightThrough";

    const int BlockElements = 1 << 21;         // elements of an n-wide row block of doubles (~16 MB)
    const double DecisionWindow = 1e-5;        // relative window around each l where the reference's float decision is replayed
    const double GridStep = 1.0 / 2048;        // device path: linear interpolation grid step for sigmoid'(l − dist), in distance units
    const int CacheDistancesUpTo = 2048;       // keep the forward's n×n distances for backward up to this n (32 MB)
    const double HermiteStepsPerUnit = 64;     // CPU path: cubic Hermite grid points per unit of distance

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var w = (SrateWork)vars[1];
        Tensor lossOut;
        using (var scope = NewDisposeScope())
        {
            lossOut = Forward(x.detach(), w).MoveToOuterDisposeScope();
        }
        ctx.save_for_backward(new List<Tensor> { x });
        ctx.save_data("work", w);
        return lossOut;
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        var x = ctx.get_saved_variables()[0];
        var w = (SrateWork)ctx.get_data("work");
        Tensor g;
        using (var scope = NewDisposeScope())
        {
            g = Backward(x.detach(), w).mul(grad_output.to(x.dtype)).MoveToOuterDisposeScope();
        }
        return new List<Tensor> { g, null! };   // one entry per forward argument (the work object has none)
    }

    static bool UseCpuPath(SrateWork w, Tensor x) => w.Backend switch
    {
        SrateBackend.Cpu => true,
        SrateBackend.Tensor => false,
        _ => x.device.type == DeviceType.CPU && PairDistances.CpuPathFits(x.shape[0]),
    };

    /// <summary>The float type the reference's decisions are replayed in.</summary>
    static ScalarType EmulationType(Tensor x) => x.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;

    static int BlockRows(int n) => Math.Max(1, Math.Min(n, BlockElements / Math.Max(1, n)));

    /// <summary>The reference's distance for pairs (rows[i], cols[i]): torch.norm of the difference over √d, in its float type.</summary>
    static Tensor ReferenceDistance(Tensor x, Tensor rows, Tensor cols, ScalarType emu, int d)
    {
        var xe = x.to(emu);
        var diff = xe.index_select(0, rows) - xe.index_select(0, cols);
        return torch.linalg.vector_norm(diff, 2, new long[] { 1 }).div(Math.Sqrt(d));
    }

    static Tensor Forward(Tensor x, SrateWork w)
    {
        int n = (int)x.shape[0], d = (int)x.shape[1], K = w.K;
        long P = (long)n * (n - 1) / 2;
        w.N = n; w.D = d; w.Pairs = P;
        var dev = x.device;
        var emu = EmulationType(x);
        double invSqrtD = 1.0 / Math.Sqrt(d);
        bool cpuPath = UseCpuPath(w, x);
        Tensor? xd = null, sq = null, cols = null;
        if (!cpuPath)
        {
            xd = x.to(ScalarType.Float64);
            sq = xd.square().sum(1);
            cols = arange(n, device: dev).unsqueeze(0);
        }
        int br = BlockRows(n);

        // Pass 1: extremes over i < j, and the pairs that attain them.
        Tensor? U = cpuPath ? PairDistances.UpperCpuTensor(x) : null;
        double dmin = double.PositiveInfinity, dmax = double.NegativeInfinity;
        long minI = 0, minJ = 1, maxI = 0, maxJ = 1;
        if (U is not null)
        {
            int parts = Parts(n);
            var mins = new double[parts]; var maxs = new double[parts]; var minAt = new long[parts]; var maxAt = new long[parts];
            ForParts(parts, p =>
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

        // TZ and TV as the reference gets them (its float type, then .item()).
        var ext = ReferenceDistance(x, tensor(new[] { minI, maxI }, device: dev), tensor(new[] { minJ, maxJ }, device: dev), emu, d)
            .to(ScalarType.Float64).cpu().data<double>().ToArray();
        double TZ = ext[0], TV = ext[1];
        w.TZ = TZ; w.TV = TV;
        if (!(TV > TZ) || Math.Log(1 + TV) - Math.Log(1 + TZ) == 0)
            throw new SelfSimException($"Srate: all pairwise distances between the {n} nodes are equal (min = max = {TV:G6}), " +
                                       (TV == 0 ? "i.e. all rows are identical (collapsed features). " : "so the box-covering curve is a single point. ") +
                                       "S is undefined there; use a layer or probe batch whose nodes differ.");

        // The scales, computed as the reference does in its float type.
        var sample = linspace(0.0, 1.0, K, dtype: emu, device: dev);
        var lEmu = full_like(sample, (1 + TV) / (1 + TZ)).pow(sample).mul(1 + TZ).sub(1);
        var L = lEmu.to(ScalarType.Float64).cpu().data<double>().ToArray();
        w.L = L;

        // Pass 2: counts of pairs closer than each l. Certain pairs by bucketing; pairs within the window of some l
        // are replayed as the reference decides them.
        var loB = tensor(L.Select(l => l - DecisionWindow * (1 + Math.Abs(l))).ToArray(), device: dev);
        var hiB = tensor(L.Select(l => l + DecisionWindow * (1 + Math.Abs(l))).ToArray(), device: dev);
        var candRows = new List<long>(); var candCols = new List<long>(); var candFrom = new List<int>(); var candTo = new List<int>();
        double[] counts;
        if (U is not null)
        {
            var loA = L.Select(l => l - DecisionWindow * (1 + Math.Abs(l))).ToArray();
            var hiA = L.Select(l => l + DecisionWindow * (1 + Math.Abs(l))).ToArray();
            // Lookup table: for T equal bins over [dmin, dmax], how many hi boundaries lie at or below the bin's
            // start; a distance then needs a couple of predictable comparisons instead of a binary search.
            const int T = 1 << 14;
            double binW = Math.Max(dmax - dmin, double.Epsilon) / T, invW = 1 / binW;
            var start = new int[T + 1];
            for (int t = 0; t <= T; t++) start[t] = CountAtMost(hiA, dmin + t * binW);
            int parts = Parts(n);
            var hists = new long[parts][];
            var cands = new List<(long I, long J, int From, int To)>[parts];
            ForParts(parts, p =>
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
            if (w.KeepDistances && n <= CacheDistancesUpTo) w.Distances = U.DetachFromDisposeScope(); else U.Dispose();
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
            var dc = ReferenceDistance(x, tensor(candRows.ToArray(), device: dev), tensor(candCols.ToArray(), device: dev), emu, d);
            var pIdx = new List<long>(); var kIdx = new List<long>();
            for (int i = 0; i < candRows.Count; i++)
                for (int k = candFrom[i]; k < candTo[i]; k++) { pIdx.Add(i); kIdx.Add(k); }
            var kT = tensor(kIdx.ToArray(), device: dev);
            var z = lEmu.index_select(0, kT) - dc.index_select(0, tensor(pIdx.ToArray(), device: dev));
            var closer = sigmoid(z).gt(0.5);
            var extra = bincount(kT.masked_select(closer), null, K).to(ScalarType.Float64).cpu().data<double>().ToArray();
            for (int k = 0; k < K; k++) counts[k] += extra[k];
        }

        // The tail over the K scales, op for op as the reference, in its float type.
        double lnN = Math.Log(n);
        var NlT = tensor(counts, device: dev).to(emu).div(P);
        var NlNlT = NlT.mul(n - 1).add(1).log().mul(n - 1).div(lnN).neg().add(n);
        double a = Math.Log(1 + TZ), b = Math.Log(1 + TV);
        var pf = lEmu.add(1).log().neg().add(a).div(b - a).add(1);
        var logNl = NlNlT.log().div(lnN);
        var diffT = pf - logNl;
        var S = diffT.abs().sum().mul(2).div(K);
        var loss = S.sub(w.Target).pow(2).mul(0.5);
        w.S = S.to(ScalarType.Float64).item<double>();
        w.LossValue = loss.to(ScalarType.Float64).item<double>();
        var sign = diffT.sign().to(ScalarType.Float64).cpu().data<double>().ToArray();

        // Exact curve values and the backward constants (float64).
        w.Rho = new double[K]; w.NB = new double[K]; w.C = new double[K];
        double coef = (w.S - w.Target) * 2.0 / K * (n - 1.0) * (n - 1.0) / (lnN * lnN);
        for (int k = 0; k < K; k++)
        {
            double rho = counts[k] / P;
            double nb = n - (n - 1) * Math.Log(1 + (n - 1) * rho) / lnN;
            w.Rho[k] = rho; w.NB[k] = nb;
            double e = coef * sign[k] / (nb * (1 + (n - 1) * rho));   // dloss/dρ_k
            w.C[k] = -(double)n / P * e;                              // dρ_k/d dist = −(n/P)·sigmoid'(l_k − dist)
        }
        return loss.to(x.dtype);
    }

    /// <summary>
    /// CPU backward. g(t) = Σ_s C_s·sigmoid'(l_s − t) is smooth on the scale of 1 (sigmoid with unit slope), so it is
    /// evaluated exactly, with its derivative, on a grid of step ≤ 1/64 over [min, max distance] and interpolated by
    /// cubic Hermite polynomials (error below 1e-9 of Σ|C_s|); with fewer pairs than grid work, every pair is summed
    /// exactly. W_ij = g(D_ij)/(D_ij·d) is written over the upper-triangle distance matrix in place, then
    /// dloss/dx = (rowsum(W) + colsum(W))·x − W·x − Wᵀ·x (W strictly upper; two BLAS products).
    /// </summary>
    static Tensor BackwardCpu(Tensor x, SrateWork w)
    {
        int n = w.N, d = w.D, K = w.L.Length;
        var L = w.L; var C = w.C;
        double lo = w.Dmin64, range = Math.Max(w.Dmax64 - w.Dmin64, 0);
        long M = Math.Max(16, (long)Math.Ceiling(range * HermiteStepsPerUnit));
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
        int parts = Parts(n);
        var colSums = new double[parts][];
        var rowSum = new double[n];
        ForParts(parts, p =>
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

    /// <summary>How many interleaved row sets the CPU loops split the upper triangle into (1 when small: thread
    /// hand-offs cost more than they save below ~64k pairs).</summary>
    static int Parts(int n) => (long)n * n < 1L << 17 ? 1 : Math.Max(1, Math.Min(n - 1, 4 * Environment.ProcessorCount));

    static void ForParts(int parts, Action<int> body)
    {
        if (parts == 1) body(0);
        else Parallel.For(0, parts, body);
    }

    /// <summary>Number of entries of the ascending array <paramref name="b"/> that are ≤ v.</summary>
    static int CountAtMost(double[] b, double v)
    {
        int lo = 0, hi = b.Length;
        while (lo < hi) { int mid = (lo + hi) >> 1; if (b[mid] <= v) lo = mid + 1; else hi = mid; }
        return lo;
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

    static Tensor Backward(Tensor x, SrateWork w)
    {
        if (UseCpuPath(w, x))
            return w.C.All(v => v == 0) ? zeros_like(x) : BackwardCpu(x, w);
        int n = w.N, d = w.D;
        var dev = x.device;
        double invSqrtD = 1.0 / Math.Sqrt(d);
        var xd = x.to(ScalarType.Float64);
        var sq = xd.square().sum(1);
        var l = tensor(w.L, device: dev);
        var c = tensor(w.C, device: dev);
        var grad = zeros(n, d, dtype: ScalarType.Float64, device: dev);
        if (w.C.All(v => v == 0)) return grad.to(x.dtype);

        double range = Math.Max(w.Dmax64 - w.Dmin64, 0);
        long M = Math.Max(64, (long)Math.Ceiling(range / GridStep));
        bool useGrid = !w.ExactGradient && M < w.Pairs / 4;
        Tensor? gridVals = null;
        double h = 0;
        if (useGrid)
        {
            h = range > 0 ? range / M : 1;
            var gridT = arange(M + 1, dtype: ScalarType.Float64, device: dev).mul(h).add(w.Dmin64);
            gridVals = GExact(gridT, l, c);
        }
        int br = BlockRows(n);
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
            // dloss/dx_i = Σ_j g(D_ij)/(D_ij·d)·(x_i − x_j); zero distances (and the diagonal) contribute 0.
            var W = (G / (D * d)).masked_fill_(D.eq(0), 0);
            var xb = xd.narrow(0, r0, r1 - r0);
            var gb = W.sum(1, true) * xb - W.matmul(xd);
            grad.narrow(0, r0, r1 - r0).copy_(gb);
        }
        return grad.to(x.dtype);
    }
}

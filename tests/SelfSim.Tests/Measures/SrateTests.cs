using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Measures;

public class SrateTests
{
    static double[] Values(Tensor? t) => (t ?? throw new InvalidOperationException("no gradient was computed")).detach().to(ScalarType.Float64).cpu().data<double>().ToArray();

    /// <summary>The measure and, on it, the training objective ½(S − target)² (what the reference's compute_mse_sim_loss returns).</summary>
    static (SrateResult R, Tensor Loss, double LossValue) Objective(Tensor x, double target, int scales = Srate.DefaultScales,
        bool exactGradient = false, SrateBackend backend = SrateBackend.Auto)
    {
        var r = Srate.Measure(x, scales, exactGradient, backend);
        var loss = SrateObjective.Loss(r.Rate, target);
        return (r, loss, loss.to(ScalarType.Float64).item<double>());
    }

    [Theory]
    [MemberData(nameof(ReferenceFixture.Names), MemberType = typeof(ReferenceFixture))]
    public void Reproduces_the_reference_S_TZ_TV_and_loss(string name)
    {
        var c = ReferenceFixture.Case(name);
        var (r, loss, lossValue) = Objective(c.Tensor(), c.Target);
        Assert.InRange(r.S - c.Srate, -1e-5, 1e-5);
        Assert.InRange(r.MinDistance - c.MinDistance, -1e-5, 1e-5);
        Assert.InRange(r.MaxDistance - c.MaxDistance, -1e-5, 1e-5);
        Assert.InRange(lossValue - c.Loss, -1e-5, 1e-5);
        Assert.Equal(lossValue, loss.to(ScalarType.Float64).item<double>(), 12);
        Assert.Equal(0.5 * (r.S - c.Target) * (r.S - c.Target), lossValue, 6);
        Assert.Equal(r.S, r.Rate.to(ScalarType.Float64).item<double>(), 12);
    }

    [Theory]
    [MemberData(nameof(ReferenceFixture.NamesWithGradient), MemberType = typeof(ReferenceFixture))]
    public void Reproduces_the_reference_straight_through_gradient(string name)
    {
        var c = ReferenceFixture.Case(name);
        foreach (var exact in new[] { false, true })
        {
            var x = c.Tensor().requires_grad_(true);
            Objective(x, c.Target, exactGradient: exact).Loss.backward();
            var g = Values(x.grad);
            var gref = c.LossGradient!;
            double scale = gref.Max(Math.Abs);
            Assert.True(scale > 0);
            double err = g.Zip(gref, (a, b) => Math.Abs(a - b)).Max() / scale;
            Assert.True(err < 1e-3, $"{name} (exact={exact}): gradient relative error {err:E2}");
        }
    }

    [Theory]
    [MemberData(nameof(ReferenceFixture.NamesWithGradient), MemberType = typeof(ReferenceFixture))]
    public void Tensor_backend_matches_the_reference_too(string name)
    {
        // The path CUDA tensors take (row blocks of torch ops), run here on the CPU.
        var c = ReferenceFixture.Case(name);
        var x = c.Tensor().requires_grad_(true);
        var (r, loss, lossValue) = Objective(x, c.Target, backend: SrateBackend.Tensor);
        Assert.InRange(r.S - c.Srate, -1e-5, 1e-5);
        Assert.InRange(lossValue - c.Loss, -1e-5, 1e-5);
        loss.backward();
        var g = Values(x.grad);
        double scale = c.LossGradient!.Max(Math.Abs);
        Assert.True(g.Zip(c.LossGradient!, (a, b) => Math.Abs(a - b)).Max() / scale < 1e-3);
    }

    [Fact]
    public void Backends_agree_on_a_larger_cloud()
    {
        manual_seed(21);
        var x0 = randn(700, 16);
        var a = x0.clone().requires_grad_(true);
        var b = x0.clone().requires_grad_(true);
        var (ra, la, _) = Objective(a, 0.2, backend: SrateBackend.Cpu);
        var (rb, lb, _) = Objective(b, 0.2, backend: SrateBackend.Tensor);
        Assert.Equal(ra.S, rb.S);
        Assert.Equal(ra.PairFraction, rb.PairFraction);
        la.backward(); lb.backward();
        var ga = Values(a.grad); var gb = Values(b.grad);
        double scale = gb.Max(Math.Abs);
        Assert.True(ga.Zip(gb, (p, q) => Math.Abs(p - q)).Max() / scale < 1e-5);
    }

    [Fact]
    public void Grid_gradient_matches_the_exact_sum_on_a_larger_cloud()
    {
        manual_seed(11);
        var x0 = randn(400, 24) * 1.7;   // P = 79800 pairs: the backward uses the interpolation grid
        var a = x0.clone().requires_grad_(true);
        var b = x0.clone().requires_grad_(true);
        Objective(a, 0.1).Loss.backward();
        Objective(b, 0.1, exactGradient: true).Loss.backward();
        var ga = Values(a.grad); var gb = Values(b.grad);
        double scale = gb.Max(Math.Abs);
        Assert.True(scale > 0);
        Assert.True(ga.Zip(gb, (p, q) => Math.Abs(p - q)).Max() / scale < 1e-5);
    }

    [Fact]
    public void Loss_trains_S_towards_the_target()
    {
        manual_seed(3);
        var x = randn(64, 8).requires_grad_(true);
        double s0 = Srate.Measure(x.detach()).S;
        double target = s0 + 0.15;
        var p = new TorchSharp.Modules.Parameter(x.detach().clone());
        var sgd = optim.SGD(new[] { p }, 10.0);
        double first = 0, last = 0;
        for (int i = 0; i < 30; i++)
        {
            sgd.zero_grad();
            var (_, loss, lossValue) = Objective(p, target);
            if (i == 0) first = lossValue;
            last = lossValue;
            loss.backward();
            sgd.step();
        }
        Assert.True(last < 0.5 * first, $"loss went from {first:G4} to {last:G4}");
    }

    [Fact]
    public void Gradient_flows_through_upstream_ops()
    {
        manual_seed(5);
        var x0 = randn(50, 6);
        var a = x0.clone().requires_grad_(true);
        Objective(a, 0.3).Loss.backward();
        var b = x0.clone().requires_grad_(true);
        var scaled = b * 1.0 + 0.0;                     // a non-leaf input
        var ce = scaled.sum() * 0.0;                     // combined with another loss
        (Objective(scaled, 0.3).Loss + ce).backward();
        Assert.Equal(Values(a.grad), Values(b.grad));
        Assert.Contains(Values(a.grad), v => v != 0);
    }

    [Fact]
    public void A_retained_graph_gives_the_same_gradient_twice()
    {
        manual_seed(12);
        var x = randn(80, 10).requires_grad_(true);
        var loss = Objective(x, 0.6).Loss;
        loss.backward(retain_graph: true);
        var first = Values(x.grad);
        loss.backward();                                      // the forward's cached distances were used up: recomputed
        var twice = Values(x.grad);
        Assert.Contains(first, v => v != 0);
        for (int i = 0; i < first.Length; i++) Assert.Equal(2 * first[i], twice[i], 12);
    }

    [Fact]
    public void Works_without_grad_and_in_float64()
    {
        var c = ReferenceFixture.Case("gauss-n64-d16-s1");
        var r32 = Srate.Measure(c.Tensor());
        Assert.False(r32.Rate.requires_grad);
        Assert.False(SrateObjective.Loss(r32.Rate, SrateObjective.DefaultTarget).requires_grad);
        var r64 = Srate.Measure(c.Tensor().to(ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, r64.Rate.dtype);
        Assert.Equal(ScalarType.Float64, SrateObjective.Loss(r64.Rate, SrateObjective.DefaultTarget).dtype);
        Assert.InRange(r64.S - r32.S, -2e-5, 2e-5);
        Assert.Equal(256, r64.Scales.Length);
        Assert.Equal(r64.MinDistance, r64.Scales[0], 6);
        Assert.Equal(r64.MaxDistance, r64.Scales[^1], 6);
        Assert.Equal(c.N, r64.BoxCount[0], 9);                      // no pair is closer than TZ
        Assert.True(Srate.Rate(c.Tensor()) == r32.S);
    }

    [Fact]
    public void Hand_checked_four_points()
    {
        // Four nodes in 1-D at 0, 1, 3, 7 (d = 1): distances 1, 2, 3, 4, 6, 7; TZ = 1, TV = 7.
        var x = tensor(new double[] { 0, 1, 3, 7 }, new long[] { 4, 1 });
        var r = Srate.Measure(x, scales: 4);
        var l = Enumerable.Range(0, 4).Select(s => 2 * Math.Pow(8.0 / 2, s / 3.0) - 1).ToArray();   // 1, 2.17, 4.04, 7
        Assert.Equal(l, r.Scales, (p, q) => Math.Abs(p - q) < 1e-12);
        var closer = new[] { 0, 2, 4, 5 };                               // pairs strictly closer than each l
        double lnN = Math.Log(4), S = 0;
        for (int k = 0; k < 4; k++)
        {
            double rho = closer[k] / 6.0;
            double nb = 4 - 3 * Math.Log(1 + 3 * rho) / lnN;
            Assert.Equal(nb, r.BoxCount[k], 12);
            double chord = 1 - (Math.Log(1 + l[k]) - Math.Log(2)) / (Math.Log(8) - Math.Log(2));
            S += Math.Abs(chord - Math.Log(nb) / lnN) * 2 / 4;
        }
        Assert.Equal(S, r.S, 12);
    }

    [Fact]
    public void Duplicate_rows_count_as_zero_distance_and_get_equal_gradients()
    {
        var c = ReferenceFixture.Case("duplicates-n40-d8-s3");
        var x = c.Tensor().requires_grad_(true);
        var (r, loss, _) = Objective(x, c.Target);
        Assert.Equal(0.0, r.MinDistance);
        Assert.Equal(c.N, r.BoxCount[0], 9);            // at l = 0 nothing is strictly closer
        loss.backward();
        var g = x.grad ?? throw new InvalidOperationException("no gradient was computed");
        var xs = c.Tensor();
        int pairs = 0;
        for (int i = 0; i < c.N; i++)
            for (int j = i + 1; j < c.N; j++)
                if (xs[i].eq(xs[j]).all().item<bool>())
                {
                    pairs++;
                    Assert.True(g[i].allclose(g[j], 1e-5, 1e-9), $"rows {i} and {j} are identical but their gradients differ");
                    Assert.True(isfinite(g[i]).all().item<bool>());
                }
        Assert.True(pairs > 0);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Inf")]
    public void Non_finite_features_are_named(float bad, string word)
    {
        var x = randn(10, 4);
        x[7, 2] = tensor(bad);
        var e = Assert.Throws<SelfSimException>(() => Srate.Measure(x));
        Assert.Contains(word, e.Message);
        Assert.Contains("row 7", e.Message);
    }

    [Fact]
    public void Too_few_nodes_or_wrong_rank_are_errors()
    {
        Assert.Contains("at least 3 nodes", Assert.Throws<SelfSimException>(() => Srate.Measure(randn(2, 5))).Message);
        Assert.Contains("2-D", Assert.Throws<SelfSimException>(() => Srate.Measure(randn(2, 5, 3))).Message);
        Assert.Contains("floating", Assert.Throws<SelfSimException>(() => Srate.Measure(ones(5, 3, dtype: ScalarType.Int64))).Message);
    }

    [Fact]
    public void Identical_rows_and_equal_distances_are_errors()
    {
        var same = ones(6, 4) * 0.5;
        Assert.Contains("identical", Assert.Throws<SelfSimException>(() => Srate.Measure(same)).Message);
        // an equilateral triangle: three distinct nodes, one distance
        var tri = tensor(new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, new long[] { 3, 3 });
        Assert.Contains("equal", Assert.Throws<SelfSimException>(() => Srate.Measure(tri)).Message);
    }
}

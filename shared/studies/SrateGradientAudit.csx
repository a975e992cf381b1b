#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// The gradient audit of issue 20: does Srate's straight-through gradient (Ding et al. 2025, sfm_loss_d_v2.py) point
// where S really changes? S is a hard count, piecewise constant in x, so a finite difference at a tiny step reads 0.
// The honest estimate here is randomized smoothing (as in Nesterov & Spokoiny 2017, "Random gradient-free
// minimization of convex functions"): the least-squares slope of S(x + δ + h·u) over h in [−H, H], averaged over
// independent small jitters δ, with a Student-t interval over the jitters.

/// <summary>One direction u (‖u‖ = ‖x‖, so h is a relative step): the straight-through prediction dS/dh = ⟨∇S, u⟩ and the
/// smoothed measurement of how S changes along u. <see cref="SignsAgree"/> is null when the measurement's interval holds 0.</summary>
public sealed record DirectionCheck(string Direction, double Predicted, Estimate Measured)
{
    public bool? SignsAgree => Measured.Lower > 0 || Measured.Upper < 0 ? Math.Sign(Predicted) == Math.Sign(Measured.Value) : null;
}

/// <summary>The audit of one node matrix: S, cos(∇S, x) (how much of the straight-through gradient is a change of
/// activation scale), and the checks along the estimator's own direction, the scale direction and random directions.</summary>
public sealed record GradientAudit(string Case, int Nodes, int Samples, double S, double ScaleCosine, IReadOnlyList<DirectionCheck> Checks)
{
    /// <summary>Of the checks whose measurement excludes 0, the fraction whose sign the straight-through gradient got right.</summary>
    public double SignAgreement
    {
        get
        {
            var decided = Checks.Where(c => c.SignsAgree is not null).ToList();
            return decided.Count == 0 ? double.NaN : decided.Count(c => c.SignsAgree == true) / (double)decided.Count;
        }
    }
}

public static class SrateGradientAudit
{
    /// <summary>
    /// The smoothed directional derivative of <paramref name="f"/> at x along u: for each of <paramref name="replicates"/>
    /// jitters δ (Gaussian, RMS <paramref name="jitter"/>·‖x‖/√size, seeded), the least-squares slope of f(x + δ + h·u) over
    /// <paramref name="points"/> values of h evenly in [−<paramref name="halfWidth"/>, +<paramref name="halfWidth"/>]; the
    /// estimate is their mean, with a Student-t interval at <paramref name="level"/> over the replicates.
    /// </summary>
    public static Estimate SmoothedSlope(Func<Tensor, double> f, Tensor x, Tensor u, double halfWidth = 0.02, int points = 21,
        int replicates = 8, double jitter = 0.002, int seed = 0, double level = 0.95)
    {
        if (!(halfWidth > 0) || points < 3 || replicates < 2)
            throw new SelfSimException($"SmoothedSlope needs halfWidth > 0, at least 3 points and 2 replicates (got {halfWidth}, {points}, {replicates}).");
        using var scope = NewDisposeScope();
        var x64 = x.detach().to(ScalarType.Float64);
        var u64 = u.detach().to(ScalarType.Float64);
        double xNorm = x64.norm().item<double>();
        var gen = new Generator((ulong)seed);
        var h = Enumerable.Range(0, points).Select(i => -halfWidth + 2 * halfWidth * i / (points - 1)).ToArray();
        var slopes = new double[replicates];
        for (int r = 0; r < replicates; r++)
        {
            using var inner = NewDisposeScope();
            var delta = randn(x64.shape, dtype: ScalarType.Float64, generator: gen).mul(jitter * xNorm / Math.Sqrt(x64.numel()));
            var basePoint = x64.add(delta);
            var y = h.Select(step => f(basePoint.add(u64, alpha: step).to(x.dtype))).ToArray();
            slopes[r] = LeastSquares.Line(h, y).Slope;
        }
        double mean = slopes.Average();
        double sd = Math.Sqrt(slopes.Sum(v => (v - mean) * (v - mean)) / (replicates - 1));
        double se = sd / Math.Sqrt(replicates);
        double t = StudentT.Quantile(0.5 + level / 2, replicates - 1);
        return new Estimate(mean, se, mean - t * se, mean + t * se, level);
    }

    /// <summary>
    /// Audits Srate's straight-through gradient on x [n, d]: ∇S from <see cref="Srate.Measure"/>'s backward, then along
    /// the estimator's own direction, the activation-scale direction x and <paramref name="randomDirections"/> Gaussian
    /// directions (each scaled to ‖x‖) compares ⟨∇S, u⟩ with <see cref="SmoothedSlope"/> of S.
    /// </summary>
    public static GradientAudit Run(Tensor x, string name, int randomDirections = 6, int seed = 0, double halfWidth = 0.02,
        int points = 21, int replicates = 8, int scales = Srate.DefaultScales)
    {
        using var scope = NewDisposeScope();
        var x64 = x.detach().to(ScalarType.Float64);
        var leaf = x64.clone().requires_grad_(true);
        var r = Srate.Measure(leaf, scales);
        r.Rate.backward();
        var grad = leaf.grad!.detach().clone();
        double xNorm = x64.norm().item<double>(), gNorm = grad.norm().item<double>();
        double scaleCos = gNorm > 0 ? grad.mul(x64).sum().item<double>() / (gNorm * xNorm) : 0;
        double S(Tensor v) => Srate.Rate(v, scales);

        var directions = new List<(string Name, Tensor U)>
        {
            ("estimator", gNorm > 0 ? grad.mul(xNorm / gNorm) : zeros_like(x64)),
            ("scale", x64),
        };
        var gen = new Generator((ulong)(seed + 7919));
        for (int i = 0; i < randomDirections; i++)
        {
            var u = randn(x64.shape, dtype: ScalarType.Float64, generator: gen);
            directions.Add(($"random {i + 1}", u.mul(xNorm / u.norm().item<double>())));
        }
        var checks = directions.Select((d, i) => new DirectionCheck(d.Name, grad.mul(d.U).sum().item<double>(),
            SmoothedSlope(S, x64, d.U, halfWidth, points, replicates, seed: seed + 31 * i))).ToList();
        return new GradientAudit(name, (int)x.shape[0], (int)x.shape[1], r.S, scaleCos, checks);
    }
}

using System;
using System.Linq;
using SelfSim.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Studies;

[Collection(TorchRngCollection.Name)]
public class SrateGradientAuditTests
{
    [Fact]
    public void The_smoothed_slope_recovers_the_mean_slope_of_a_staircase_that_finite_differences_read_as_zero()
    {
        // f(v) = floor(⟨v, w⟩/q)·q: piecewise constant (a hard count), with mean slope ⟨u, w⟩ along u.
        var gen = new Generator(3);
        var x = randn(20, 10, dtype: ScalarType.Float64, generator: gen);
        var w = randn(20, 10, dtype: ScalarType.Float64, generator: gen);
        var u = randn(20, 10, dtype: ScalarType.Float64, generator: gen);
        const double q = 0.05;
        double F(Tensor v) => Math.Floor(v.mul(w).sum().item<double>() / q) * q;
        double truth = u.mul(w).sum().item<double>();
        var est = SrateGradientAudit.SmoothedSlope(F, x, u, halfWidth: 0.05, points: 41, replicates: 12, jitter: 0.02);
        Assert.InRange(est.Value, truth * 0.97, truth * 1.03);
        Assert.True(est.Lower < truth && truth < est.Upper, $"{truth} in [{est.Lower}, {est.Upper}]");
        // A central difference at a tiny step sees a flat step of the staircase.
        double eps = 1e-9;
        Assert.Equal(0, (F(x + u * eps) - F(x - u * eps)) / (2 * eps));
    }

    [Fact]
    public void The_smoothed_slope_of_a_smooth_function_is_its_derivative()
    {
        var gen = new Generator(5);
        var x = randn(8, 6, dtype: ScalarType.Float64, generator: gen);
        var u = randn(8, 6, dtype: ScalarType.Float64, generator: gen);
        double F(Tensor v) => 0.5 * v.pow(2).sum().item<double>();  // derivative along u: ⟨x, u⟩
        var est = SrateGradientAudit.SmoothedSlope(F, x, u, jitter: 1e-4);
        Assert.Equal(x.mul(u).sum().item<double>(), est.Value, 2);
    }

    [Fact]
    public void The_straight_through_gradient_of_a_gaussian_layer_is_nearly_a_pure_scale_push()
    {
        var gen = new Generator(11);
        var x = randn(96, 32, dtype: ScalarType.Float64, generator: gen);
        var audit = SrateGradientAudit.Run(x, "gaussian 96x32", randomDirections: 2, replicates: 4, points: 11, scales: 64);
        Assert.Equal(new[] { "estimator", "scale", "random 1", "random 2" }, audit.Checks.Select(c => c.Direction));
        Assert.True(Math.Abs(audit.ScaleCosine) > 0.9, $"cos(∇S, x) = {audit.ScaleCosine}");
        // Along its own direction the prediction is |∇S|·|x| > 0; along x it is cos·|∇S|·|x|.
        var own = audit.Checks[0];
        var scale = audit.Checks[1];
        Assert.True(own.Predicted > 0);
        Assert.Equal(audit.ScaleCosine * own.Predicted, scale.Predicted, 6);
        Assert.Equal(Srate.Rate(x, 64), audit.S, 12);
    }
}

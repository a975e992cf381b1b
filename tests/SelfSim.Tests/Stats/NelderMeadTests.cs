using System;
using Xunit;

namespace SelfSim.Tests.Stats;

/// <summary>shared/stats/NelderMead.csx against known minima.</summary>
public sealed class NelderMeadTests
{
    [Fact]
    public void Finds_the_minimum_of_rosenbrocks_valley_from_the_classic_start()
    {
        // f(x, y) = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1); the start (−1.2, 1) of Rosenbrock (1960)
        static double Rosenbrock(double[] p) => Math.Pow(1 - p[0], 2) + 100 * Math.Pow(p[1] - p[0] * p[0], 2);
        var x = NelderMead.Minimize(Rosenbrock, new[] { -1.2, 1.0 }, new[] { 0.1, 0.1 }, maxIter: 5000);
        Assert.Equal(1.0, x[0], 3);
        Assert.Equal(1.0, x[1], 3);
        Assert.True(Rosenbrock(x) < 1e-8, $"f = {Rosenbrock(x)}");
    }

    [Fact]
    public void Finds_a_shifted_quadratic_bowl_in_three_dimensions()
    {
        // f = Σ w_i (x_i − c_i)² with c = (3, −2, 0.5): the minimum is c itself
        double[] c = { 3, -2, 0.5 }, w = { 1, 4, 0.25 };
        double F(double[] p) { double s = 0; for (int i = 0; i < 3; i++) s += w[i] * (p[i] - c[i]) * (p[i] - c[i]); return s; }
        var x = NelderMead.Minimize(F, new double[3], new[] { 1.0, 1.0, 1.0 });
        for (int i = 0; i < 3; i++) Assert.Equal(c[i], x[i], 4);
    }

    [Fact]
    public void Nan_counts_as_infinitely_bad_so_the_simplex_stays_where_f_is_defined()
    {
        // ln-likelihood style: f(σ) = (ln σ)² + σ is undefined for σ ≤ 0 (NaN from Math.Log), minimum where 2 ln σ / σ + 1 = 0
        static double F(double[] p) => Math.Pow(Math.Log(p[0]), 2) + p[0];
        var x = NelderMead.Minimize(F, new[] { 2.0 }, new[] { 1.5 });
        Assert.True(x[0] > 0);
        Assert.Equal(0.0, 2 * Math.Log(x[0]) / x[0] + 1, 4);   // the stationary point, σ ≈ 0.7035
        Assert.Equal(0.703467422498, x[0], 4);
    }
}

using System;
using System.IO;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.PowerLaw;

public class PowerLawFitTests
{
    static double[] Fixture(string name, double scale = 1) => PowerLawFitter.ReadData(Path.Combine(RepoPaths.Fixtures, "powerlaw", name), scale);

    [Fact]
    public void Hurwitz_zeta_matches_known_values_and_its_derivatives()
    {
        Assert.Equal(Math.PI * Math.PI / 6, HurwitzZeta.Value(2, 1), 13);
        Assert.Equal(1.2020569031595942, HurwitzZeta.Value(3, 1), 13);          // Apéry's constant
        Assert.Equal(Math.PI * Math.PI / 2, HurwitzZeta.Value(2, 0.5), 12);      // ζ(2, ½) = (2² − 1) ζ(2)
        Assert.Equal(2.6123753486854883, HurwitzZeta.Value(1.5, 1), 12);
        Assert.Equal(HurwitzZeta.Value(2.5, 1) - 1 - Math.Pow(2, -2.5), HurwitzZeta.Value(2.5, 3), 13); // shift rule
        double z = HurwitzZeta.WithDerivatives(2.2, 7, out var d1, out var d2), h = 1e-5;
        Assert.Equal((HurwitzZeta.Value(2.2 + h, 7) - HurwitzZeta.Value(2.2 - h, 7)) / (2 * h), d1, 8);
        Assert.Equal((HurwitzZeta.Value(2.2 + h, 7) - 2 * z + HurwitzZeta.Value(2.2 - h, 7)) / (h * h), d2, 4);
    }

    [Theory]
    [InlineData("words.txt", 1.0, true, 1.9527, 7, -11753.818, 0.00825, 2958)]
    [InlineData("terrorism.txt", 1.0, true, 2.3699, 12, -2111.033, 0.01769, 547)]
    [InlineData("blackouts.txt", 1e-3, false, 2.2726, 230, -411.983, 0.06067, 59)]
    public void Published_fits_are_reproduced(string file, double scale, bool discrete, double alpha, double xmin, double ll, double ks, int tail)
    {
        var fit = PowerLawFitter.Fit(Fixture(file, scale), discrete ? PowerLawKind.Discrete : PowerLawKind.Continuous);
        Assert.Equal(discrete, fit.Discrete);
        Assert.Equal(xmin, fit.Xmin, 9);
        Assert.Equal(alpha, fit.Alpha, 4);
        Assert.Equal(ll, fit.LogLikelihood, 3);
        Assert.Equal(ks, fit.KsDistance, 5);
        Assert.Equal(tail, fit.TailCount);
        Assert.Null(fit.Warning);
        // Standard errors: CSN's closed form for continuous, the observed information for discrete (≈ (α−1)/√n).
        if (!discrete) Assert.Equal((fit.Alpha - 1) / Math.Sqrt(tail), fit.AlphaStdError, 12);
        else Assert.InRange(fit.AlphaStdError, 0.8 * (fit.Alpha - 1) / Math.Sqrt(tail), 1.2 * (fit.Alpha - 1) / Math.Sqrt(tail));
    }

    [Fact]
    public void Auto_kind_detects_integer_data()
    {
        Assert.True(PowerLawFitter.Fit(Fixture("terrorism.txt")).Discrete);
        Assert.False(PowerLawFitter.Fit(Fixture("blackouts.txt", 1e-3)).Discrete);
        Assert.Throws<SelfSimException>(() => PowerLawFitter.Fit(Fixture("blackouts.txt", 1e-3), PowerLawKind.Discrete));
    }

    [Theory]
    [InlineData(2.5, 1.0, false)]
    [InlineData(3.1, 5.0, false)]
    [InlineData(2.2, 1.0, true)]
    [InlineData(2.8, 4.0, true)]
    public void Synthetic_samples_recover_alpha_and_xmin(double alpha, double xmin, bool discrete)
    {
        // 20 000 draws from the exact law above xmin, plus 5 000 uniform values below it (noise the xmin scan must cut).
        var rng = new Random(11);
        var law = new PowerLawFit(discrete, alpha, 0, xmin, 1, 1, 0, 0, 0, 50, true, null);
        var s = new PowerLawBootstrap.Sampler(law);
        var data = Enumerable.Range(0, 20000).Select(_ => s.Draw(rng)).ToList();
        if (xmin > 1) data.AddRange(Enumerable.Range(0, 5000).Select(_ => discrete ? (double)rng.Next(1, (int)xmin) : 1 + rng.NextDouble() * (xmin - 1)));
        var fit = PowerLawFitter.Fit(data, discrete ? PowerLawKind.Discrete : PowerLawKind.Continuous);
        Assert.InRange(fit.Alpha, alpha - 4 * fit.AlphaStdError - 0.02, alpha + 4 * fit.AlphaStdError + 0.02);
        Assert.InRange(fit.Xmin, xmin * 0.8, xmin * 1.6);
        // The sampler is exact: a fixed-xmin fit on the pure power-law draws is within 4 standard errors.
        var pure = PowerLawFitter.Fit(data.Take(20000), discrete ? PowerLawKind.Discrete : PowerLawKind.Continuous, xmin: xmin);
        Assert.InRange(pure.Alpha, alpha - 4 * pure.AlphaStdError, alpha + 4 * pure.AlphaStdError);
        Assert.Equal(20000, pure.TailCount);
    }

    [Fact]
    public void The_coarse_then_local_xmin_scan_finds_the_exhaustive_minimum_and_a_range_bounds_it()
    {
        // issue 25: 1e6 continuous values scanned every candidate (quadratic, > 300 s). 12 000 draws above 3 plus
        // 3 000 uniform ones below: the exhaustive scan, and a coarse pass over every 40th candidate then locally.
        var rng = new Random(29);
        var law = new PowerLawFit(false, 2.4, 0, 3.0, 1, 1, 0, 0, 0, 50, true, null);
        var s = new PowerLawBootstrap.Sampler(law);
        var data = Enumerable.Range(0, 12000).Select(_ => s.Draw(rng)).Concat(Enumerable.Range(0, 3000).Select(_ => 1 + 2 * rng.NextDouble())).ToArray();
        var all = PowerLawFitter.Fit(data, PowerLawKind.Continuous, search: new XminSearch(Scan: 0));
        var coarse = PowerLawFitter.Fit(data, PowerLawKind.Continuous, search: new XminSearch(Scan: 370));
        Assert.Equal(all.Xmin, coarse.Xmin);
        Assert.Equal(all.KsDistance, coarse.KsDistance);
        Assert.Equal(all.Alpha, coarse.Alpha);
        // a range: the best xmin inside it, and never outside
        var ranged = PowerLawFitter.Fit(data, PowerLawKind.Continuous, search: new XminSearch(5, 8));
        Assert.InRange(ranged.Xmin, 5, 8);
        Assert.True(ranged.KsDistance >= all.KsDistance);
        var exhaustiveInRange = PowerLawFitter.Fit(data.Where(v => v >= 5).ToArray(), PowerLawKind.Continuous, search: new XminSearch(0, 8, 0));
        Assert.Equal(exhaustiveInRange.Xmin, ranged.Xmin);
        Assert.Contains("not a range", Assert.Throws<SelfSimException>(() => PowerLawFitter.Fit(data, search: new XminSearch(8, 5))).Message);
    }

    [Fact]
    public void Fewer_than_50_samples_are_refused_unless_min_tail_is_lowered_and_then_warned()
    {
        var rng = new Random(3);
        var small = Enumerable.Range(0, 40).Select(_ => Math.Pow(1 - rng.NextDouble(), -1 / 1.5)).ToArray();
        var e = Assert.Throws<SelfSimException>(() => PowerLawFitter.Fit(small));
        Assert.Contains("40 positive values", e.Message);
        Assert.Contains("minTail", e.Message);
        var fit = PowerLawFitter.Fit(small, minTail: 10);
        Assert.NotNull(fit.Warning);
        Assert.Contains("unreliable", fit.Warning);
        Assert.InRange(fit.TailCount, 10, 40);
        // A fixed xmin that leaves fewer than minTail samples is refused too.
        Assert.Throws<SelfSimException>(() => PowerLawFitter.Fit(Fixture("blackouts.txt", 1e-3), xmin: 5000));
        // The scan never picks an xmin with fewer than minTail samples above it.
        var words = PowerLawFitter.Fit(Fixture("words.txt"), minTail: 5000);
        Assert.True(words.TailCount >= 5000);
    }

    [Fact]
    public void Bad_values_are_named_and_non_positive_values_dropped_and_counted()
    {
        var data = Fixture("terrorism.txt").Concat(new[] { 0.0, -3.0 }).ToArray();
        var fit = PowerLawFitter.Fit(data);
        Assert.Equal(2, fit.NonPositiveDropped);
        Assert.Equal(2.3699, fit.Alpha, 4);
        var bad = data.ToArray();
        bad[17] = double.NaN;
        var e = Assert.Throws<SelfSimException>(() => PowerLawFitter.Fit(bad));
        Assert.Contains("Sample 17", e.Message);
    }
}

using System;
using System.IO;
using System.Linq;
using System.Text;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Measures;

/// <summary>
/// Issue 25, magnitudes: one magnitude-safe path for distances. Srate's scales in float64 (log1p/expm1), a decision
/// "l &gt; dist" that float32's sigmoid does not blur below 1e-7, a refusal that names float32's range, centring
/// before the Gram expansion, and a float64 .npy read as float64 whatever its header's spacing.
/// </summary>
public sealed class MagnitudeTests
{
    /// <summary>30 deterministic rows of 6 values (no RNG: the same on every machine).</summary>
    static double[,] Rows()
    {
        var x = new double[30, 6];
        for (int i = 0; i < 30; i++)
            for (int k = 0; k < 6; k++) x[i, k] = Math.Sin(7.1 * i + 3.3 * k) + 0.3 * Math.Cos(1.7 * i * k);
        return x;
    }

    static Tensor T(double[,] x, double scale, ScalarType dtype)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var flat = new double[n * d];
        for (int i = 0; i < n; i++) for (int k = 0; k < d; k++) flat[i * d + k] = x[i, k] * scale;
        return tensor(flat, new long[] { n, d }).to(dtype);
    }

    /// <summary>S by its definition, brute force in float64 (every pair against every l, l &gt; dist).
    /// The scales are log-spaced in 1 + l from 1 + TZ to 1 + TV: chord_s = 1 − s exactly.</summary>
    static double BruteS(double[,] x, double scale, int K)
    {
        int n = x.GetLength(0), d = x.GetLength(1);
        var dist = new System.Collections.Generic.List<double>();
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) { double t = (x[i, k] - x[j, k]) * scale; s += t * t; }
                dist.Add(Math.Sqrt(s) / Math.Sqrt(d));
            }
        double tz = dist.Min(), tv = dist.Max(), lnN = Math.Log(n), S = 0;
        // ln(1 + v) and e^v − 1 by their series for tiny v (1 + v in float64 drops the digits of v below 1e-16)
        static double L1p(double v) => v < 1e-5 ? v - v * v / 2 + v * v * v / 3 : Math.Log(1 + v);
        static double Em1(double v) => Math.Abs(v) < 1e-5 ? v + v * v / 2 + v * v * v / 6 : Math.Exp(v) - 1;
        double a = L1p(tz), b = L1p(tv);
        for (int s = 0; s < K; s++)
        {
            double l = s == 0 ? tz : s == K - 1 ? tv : Em1(a + (b - a) * s / (K - 1));
            double rho = dist.Count(v => v < l) / (double)dist.Count;
            double nb = n - (n - 1) * Math.Log(1 + (n - 1) * rho) / lnN;
            S += Math.Abs(1 - (double)s / (K - 1) - Math.Log(nb) / lnN) * 2 / K;
        }
        return S;
    }

    static void Close(double want, double got, double tol) =>
        Assert.True(Math.Abs(want - got) <= tol, $"expected {want:R}, got {got:R} (tolerance {tol:G2})");

    [Theory]
    [InlineData(1e-12)]
    [InlineData(1e-8)]
    [InlineData(1.0)]
    [InlineData(1e9)]
    public void S_follows_its_definition_at_every_magnitude_in_float64_and_float32(double scale)
    {
        var x = Rows();
        double want = BruteS(x, scale, 64);
        Close(want, Srate.Measure(T(x, scale, ScalarType.Float64), 64).S, 1e-9);
        // float32 (the reference's decisions, replayed): one pair decided the other way at a scale moves S by ~2e-4 here
        Close(want, Srate.Measure(T(x, scale, ScalarType.Float32), 64).S, 1e-3);
    }

    [Fact]
    public void Below_the_offset_of_one_S_no_longer_depends_on_the_scale()
    {
        // S is not scale-invariant: the reference's scales are log-spaced in 1 + l. Once distances are far below 1
        // the 1 vanishes and S(c·x) settles; float32 arithmetic gave 0.97 at 1e-8 instead (every l rounded to 0).
        var x = Rows();
        double at8 = Srate.Measure(T(x, 1e-8, ScalarType.Float32), 64).S;
        double at12 = Srate.Measure(T(x, 1e-12, ScalarType.Float32), 64).S;
        double at1 = Srate.Measure(T(x, 1.0, ScalarType.Float32), 64).S;
        Close(at12, at8, 1e-5);
        Assert.InRange(at8, 0.05, 0.6);
        Assert.True(Math.Abs(at1 - at8) > 0.01, $"S(x) = {at1}, S(1e-8·x) = {at8}");
    }

    [Fact]
    public void Distinct_rows_of_magnitude_1e_minus_17_are_measured_not_refused()
    {
        var x = Rows();
        var r = Srate.Measure(T(x, 1e-17, ScalarType.Float64), 64);
        Close(BruteS(x, 1e-17, 64), r.S, 1e-9);
        Assert.True(r.MinDistance > 0 && r.MaxDistance < 1e-15);
    }

    [Fact]
    public void Float32_features_near_1e20_are_refused_with_the_range_and_float64_measures_them()
    {
        var x = Rows();
        var e = Assert.Throws<SelfSimException>(() => Srate.Measure(T(x, 1e20, ScalarType.Float32), 64));
        Assert.Contains("float32", e.Message);
        Assert.Contains("1.8E+19", e.Message);
        Assert.Contains("float64", e.Message);
        Assert.True(Srate.Float32CannotHold(T(x, 1e20, ScalarType.Float64)));
        Assert.False(Srate.Float32CannotHold(T(x, 1e15, ScalarType.Float64)));
        Close(BruteS(x, 1e20, 64), Srate.Measure(T(x, 1e20, ScalarType.Float64), 64).S, 1e-9);
        Assert.Contains("1E+150", Assert.Throws<SelfSimException>(() => Srate.Measure(T(x, 1e152, ScalarType.Float64), 64)).Message);
    }

    [Fact]
    public void A_large_common_offset_keeps_its_digits_in_the_distances()
    {
        // 1e6 + O(1): the uncentred Gram expansion cancelled six digits (5e-10 relative); centred, rounding only.
        // The reference: each pair's differences taken directly (exact for values this close), then the norm.
        var x = Rows();
        int n = x.GetLength(0), d = x.GetLength(1);
        var shifted = T(x, 1.0, ScalarType.Float64) + 1e6;
        var s = shifted.data<double>().ToArray();
        var D = PairDistances.UpperCpu(shifted);
        using var M = PairDistances.Matrix(shifted);
        var m = M.data<double>().ToArray();
        double worst = 0, worstTensor = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                double q = 0;
                for (int k = 0; k < d; k++) { double t = s[i * d + k] - s[j * d + k]; q += t * t; }
                double exact = Math.Sqrt(q) / Math.Sqrt(d);
                worst = Math.Max(worst, Math.Abs(D[i * n + j] - exact) / exact);
                worstTensor = Math.Max(worstTensor, Math.Abs(m[i * n + j] - exact) / exact);
            }
        Assert.True(worst < 1e-13, $"CPU path: relative error {worst:E2}");
        Assert.True(worstTensor < 1e-13, $"tensor path: relative error {worstTensor:E2}");
    }

    [Theory]
    [InlineData("{'descr':'<f8','fortran_order':False,'shape':(3, 2)}")]
    [InlineData("{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (3, 2), }")]
    public void A_compact_float64_npy_header_loads_as_float64(string dict)
    {
        var path = Path.Combine(Path.GetTempPath(), $"selfsim-npy-{Guid.NewGuid():N}.npy");
        try
        {
            var values = new[] { 1 + 1e-12, 2.0, 3.0, 4.5, 5.0, 7.25 };
            var header = dict.Replace('"', '\'');
            header += new string(' ', 63 - (10 + header.Length) % 64) + "\n";
            using (var f = File.Create(path))
            {
                f.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
                f.Write(BitConverter.GetBytes((ushort)header.Length));
                f.Write(Encoding.Latin1.GetBytes(header));
                foreach (var v in values) f.Write(BitConverter.GetBytes(v));
            }
            Assert.Equal("<f8", NpyFile.DType(path));
            using var m = NodeMatrix.Load(path);
            Assert.Equal("float64", m.Precision);
            Assert.Equal(1 + 1e-12, m.Features[0, 0].item<double>());
        }
        finally { File.Delete(path); }
    }
}

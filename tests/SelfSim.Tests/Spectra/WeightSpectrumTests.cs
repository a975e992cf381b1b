using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Spectra;

public class WeightSpectrumTests
{
    [Fact]
    public void Pareto_weights_have_a_lower_alpha_than_gaussian_ones_and_match_numpy_within_1e6()
    {
        var dir = Directory.CreateTempSubdirectory("alpha").FullName;
        try
        {
            var j = JsonDocument.Parse(PythonScript.Run("weight_alpha_reference.py", dir)).RootElement;
            var spectra = new[] { "pareto", "gauss" }.Select(name =>
            {
                var (data, rows, cols) = NpyFile.ReadDouble(Path.Combine(dir, name + ".npy"));
                using var w = tensor(data, new long[] { rows, cols });
                var s = WeightSpectra.Of(name, w);
                var r = j.GetProperty(name);
                Assert.Equal(r.GetProperty("count").GetInt32(), s.Eigenvalues.Length);
                Assert.Equal(r.GetProperty("xmin").GetDouble(), s.Xmin, r.GetProperty("xmin").GetDouble() * 1e-9);
                Assert.Equal(r.GetProperty("alpha").GetDouble(), s.Alpha, 1e-6);
                Assert.Equal(r.GetProperty("ks").GetDouble(), s.Ks, 1e-6);
                Assert.Equal(r.GetProperty("stableRank").GetDouble(), s.StableRank, 1e-6);
                return s;
            }).ToArray();
            Assert.True(spectra[0].Alpha < spectra[1].Alpha - 0.5, $"pareto α {spectra[0].Alpha}, gauss α {spectra[1].Alpha}");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_convolution_pools_the_spectra_of_its_kernel_positions_as_weightwatcher_does()
    {
        using var w = randn(16, 8, 3, 3, dtype: ScalarType.Float64);
        var ev = WeightSpectra.Eigenvalues(w);
        Assert.Equal(9 * 8, ev.Length);                                     // 9 slices of 16×8: 8 eigenvalues each
        var slice = w[.., .., 1, 2];
        var sliceEv = linalg.eigvalsh(slice.T.matmul(slice)).data<double>().ToArray();
        foreach (var v in sliceEv) Assert.Contains(ev, e => Math.Abs(e - v) < 1e-9 * ev[^1]);
        Assert.Equal(9, WeightSpectra.MatrixCount(w));
        // Stable rank of one matrix: ‖W‖_F² / ‖W‖₂².
        using var m = randn(40, 30, dtype: ScalarType.Float64);
        double fro = m.square().sum().item<double>(), spec = linalg.matrix_norm(m, 2).item<double>();
        Assert.Equal(fro / (spec * spec), WeightSpectra.Of("m", m).StableRank, 10);
    }

    [Fact]
    public void Small_zero_and_bad_weights_get_notes_or_clear_errors()
    {
        using var head = randn(5, 64);
        var s = WeightSpectra.Of("head", head);
        Assert.True(double.IsNaN(s.Alpha));
        Assert.Contains("5 eigenvalues, fewer than the 10", s.Note);
        Assert.Contains("every weight is zero", WeightSpectra.Of("z", zeros(20, 20)).Note);
        using var bias = randn(10);
        Assert.Contains("needs a matrix", Assert.Throws<SelfSimException>(() => WeightSpectra.Eigenvalues(bias, "fc.bias")).Message);
        using var nan = randn(20, 20);
        nan[3, 3] = tensor(float.NaN);
        Assert.Contains("1 NaN", Assert.Throws<SelfSimException>(() => WeightSpectra.Eigenvalues(nan, "fc.weight")).Message);
    }
}

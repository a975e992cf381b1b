using System;
using System.IO;
using System.Text.Json;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Similarity;

public class LinearCkaTests
{
    static Tensor Npy(string path)
    {
        var (data, rows, cols) = NpyFile.ReadDouble(path);
        return tensor(data, new long[] { rows, cols });
    }

    [Fact]
    public void Matches_a_numpy_implementation_within_1e8()
    {
        var dir = Directory.CreateTempSubdirectory("cka").FullName;
        try
        {
            var j = JsonDocument.Parse(PythonScript.Run("cka_reference.py", dir)).RootElement;
            using var a = Npy(Path.Combine(dir, "A.npy"));
            using var b = Npy(Path.Combine(dir, "B.npy"));
            Assert.Equal(j.GetProperty("cka").GetDouble(), LinearCka.Of(a, b), 1e-8);
            Assert.Equal(j.GetProperty("ckaUnbiased").GetDouble(), LinearCka.Unbiased(a, b), 1e-8);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Is_invariant_to_rotation_and_isotropic_scaling_and_one_against_itself()
    {
        var g = new Generator(3);
        using var x = randn(new long[] { 50, 8 }, dtype: ScalarType.Float64, generator: g);
        using var y = x.matmul(randn(new long[] { 8, 6 }, dtype: ScalarType.Float64, generator: g)).tanh();
        using var q = linalg.qr(randn(new long[] { 8, 8 }, dtype: ScalarType.Float64, generator: g)).Q;
        using var rotated = x.matmul(q) * 3.5;
        Assert.Equal(1.0, LinearCka.Of(x, rotated), 12);
        Assert.Equal(1.0, LinearCka.Unbiased(x, rotated), 12);
        double c = LinearCka.Of(x, y);
        Assert.InRange(c, 0.05, 0.99);
        Assert.Equal(c, LinearCka.Of(rotated, y * 0.01), 12);
        Assert.Equal(LinearCka.Unbiased(x, y), LinearCka.Unbiased(rotated, y * 0.01), 12);
        Assert.Equal(c, LinearCka.Of(y, x), 12);
    }

    [Fact]
    public void Bad_input_gets_clear_errors()
    {
        using var x = randn(10, 3, dtype: ScalarType.Float64);
        using var y = randn(9, 3, dtype: ScalarType.Float64);
        Assert.Contains("same samples", Assert.Throws<SelfSimException>(() => LinearCka.Of(x, y)).Message);
        using var flat = ones(10, 4, dtype: ScalarType.Float64);
        Assert.Contains("every column of representation B is constant", Assert.Throws<SelfSimException>(() => LinearCka.Of(x, flat)).Message);
        using var bad = x.clone();
        bad[2, 2] = tensor(double.NaN);
        Assert.Contains("representation A holds 1 NaN", Assert.Throws<SelfSimException>(() => LinearCka.Of(bad, x)).Message);
        using var three = randn(3, 2, dtype: ScalarType.Float64);
        Assert.Contains("at least 4 samples", Assert.Throws<SelfSimException>(() => LinearCka.Unbiased(three, three)).Message);
    }

    [Fact]
    public void Node_matrices_are_compared_over_their_samples()
    {
        using var x = randn(12, 40, dtype: ScalarType.Float64);          // 12 nodes × 40 samples
        using var a = NodeMatrix.FromTensor("a", x.clone());
        using var b = NodeMatrix.FromTensor("b", (x.T.matmul(randn(12, 12, dtype: ScalarType.Float64))).T.contiguous());
        Assert.Equal(LinearCka.Of(x.T, b.Features.T), LinearCka.Of(a, b), 12);
        var m = LinearCka.Matrix(new[] { a, b });
        Assert.Equal(1.0, m[0, 0]);
        Assert.Equal(m[0, 1], m[1, 0]);
    }
}

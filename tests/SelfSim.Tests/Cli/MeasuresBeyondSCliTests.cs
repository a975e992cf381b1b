using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using SelfSim.Cli;
using SelfSim.Tests.Dimensions;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Cli;

/// <summary>`selfsim dimension`, `selfsim cka` and `selfsim weights` against the library on the same files.</summary>
[Collection("Console")]
public class MeasuresBeyondSCliTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("selfsim-beyond").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch { } }

    string Npy(string name, Tensor x)
    {
        var path = Path.Combine(_dir, name + ".npy");
        using var f = x.to(ScalarType.Float32).contiguous();
        NpyFile.Write(path, f.data<float>().ToArray(), (int)x.shape[0], (int)x.shape[1]);
        return path;
    }

    [Fact]
    public void Dimension_prints_the_estimate_interval_and_settings_of_each_method()
    {
        using var x = PointClouds.Subspace(400, 3, 12, seed: 8);              // 400 points in 3-D, as rows
        var path = Npy("cloud", x);
        using var c = PointCloud.FromRows(x.to(ScalarType.Float32));
        var (code, o, _) = InProcessCli.Run("dimension", "--features", path, "--method", "twonn", "--json");
        Assert.Equal(0, code);
        var j = JsonDocument.Parse(o).RootElement;
        Assert.Equal(TwoNn.Measure(c).Dimension.Value, j.GetProperty("dimension").GetDouble(), 12);
        Assert.True(j.GetProperty("lower").GetDouble() < j.GetProperty("dimension").GetDouble());
        Assert.Equal(0.1, j.GetProperty("settings").GetProperty("discardFraction").GetDouble());
        Assert.Equal("nodes", j.GetProperty("points").GetString());

        var mle = JsonDocument.Parse(InProcessCli.Run("dimension", "--features", path, "--method", "mle", "--neighbours", "10", "--json").Out).RootElement;
        Assert.Equal(LevinaBickelMle.Measure(c, 10).Dimension.Value, mle.GetProperty("dimension").GetDouble(), 12);
        Assert.Equal(10, mle.GetProperty("settings").GetProperty("neighbours").GetInt32());
        var corr = JsonDocument.Parse(InProcessCli.Run("dimension", "--features", path, "--method", "correlation", "--json").Out).RootElement;
        Assert.Equal(CorrelationDimension.Measure(c).Dimension.Value, corr.GetProperty("dimension").GetDouble(), 12);

        // the same file read as [samples, nodes]: its 400 columns are then the points
        var (code2, o2, _) = InProcessCli.Run("dimension", "--features", path, "--samples-in-rows", "--points", "samples", "--json");
        Assert.Equal(0, code2);
        Assert.Equal(400, JsonDocument.Parse(o2).RootElement.GetProperty("distinctPoints").GetInt32());

        var (bad, _, err) = InProcessCli.Run("dimension", "--features", path, "--method", "pca");
        Assert.Equal(1, bad);
        Assert.Contains("Use twonn, mle or correlation", err);
    }

    [Fact]
    public void Cka_prints_the_library_value_and_needs_the_same_samples()
    {
        var g = new Generator(4);
        using var a = randn(new long[] { 30, 64 }, generator: g);              // 30 nodes × 64 samples
        using var b = (a.T.matmul(randn(new long[] { 30, 20 }, generator: g))).relu().T.contiguous();
        var (code, o, _) = InProcessCli.Run("cka", "--a", Npy("a", a), "--b", Npy("b", b), "--json");
        Assert.Equal(0, code);
        var j = JsonDocument.Parse(o).RootElement;
        Assert.Equal(LinearCka.Of(a.T.to(ScalarType.Float64), b.T.to(ScalarType.Float64)), j.GetProperty("cka").GetDouble(), 6);
        Assert.Equal(64, j.GetProperty("samples").GetInt32());
        using var other = randn(30, 10);
        var (bad, _, err) = InProcessCli.Run("cka", "--a", Npy("a2", a), "--b", Npy("c", other));
        Assert.Equal(1, bad);
        Assert.Contains("same samples", err);
    }

    [Fact]
    public void Weights_reads_a_matrix_and_a_safetensors_state_dict()
    {
        var g = new Generator(2);
        using var w = randn(new long[] { 120, 80 }, generator: g);
        var (code, o, _) = InProcessCli.Run("weights", "--matrix", Npy("w", w), "--json");
        Assert.Equal(0, code);
        var j = JsonDocument.Parse(o).RootElement;
        var s = WeightSpectra.Of("w", w.to(ScalarType.Float32));
        Assert.Equal(s.Alpha, j.GetProperty("alpha").GetDouble(), 9);
        Assert.Equal(s.StableRank, j.GetProperty("stableRank").GetDouble(), 9);
        Assert.Equal(s.Ks, j.GetProperty("ks").GetDouble(), 9);

        var path = Path.Combine(_dir, "model.safetensors");
        var state = new Dictionary<string, Tensor> { ["fc.weight"] = w, ["fc.bias"] = zeros(120), ["conv.weight"] = randn(new long[] { 16, 8, 3, 3 }, generator: g) };
        TorchSharp.PyBridge.Safetensors.SaveStateDict(path, state);
        var (code2, o2, _) = InProcessCli.Run("weights", "--weights", path, "--json");
        Assert.Equal(0, code2);
        var layers = JsonDocument.Parse(o2).RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(new[] { "conv.weight", "fc.weight" }, layers.Select(l => l.GetProperty("name").GetString()).OrderBy(n => n));
        var conv = layers.Single(l => l.GetProperty("name").GetString() == "conv.weight");
        Assert.Equal(9, conv.GetProperty("matrices").GetInt32());
        Assert.Equal(72, conv.GetProperty("eigenvalues").GetInt32());

        Assert.Equal(1, InProcessCli.Run("weights", "--json").Code);
    }

    [Fact]
    public void Weights_reads_the_initializers_of_an_onnx_model()
    {
        PythonScript.Run("onnx_weights.py", _dir);        // needs python3-onnx
        var (code, o, _) = InProcessCli.Run("weights", "--weights", Path.Combine(_dir, "model.onnx"), "--json");
        Assert.Equal(0, code);
        var layers = JsonDocument.Parse(o).RootElement.GetProperty("layers").EnumerateArray()
            .ToDictionary(l => l.GetProperty("name").GetString()!);
        Assert.Equal(new[] { "conv.weight", "fc.weight" }, layers.Keys.OrderBy(k => k));   // no bias, no int64 shape
        foreach (var (name, file, shape) in new[]
                 { ("fc.weight", "fc.npy", new long[] { 120, 80 }), ("conv.weight", "conv.npy", new long[] { 16, 8, 3, 3 }) })
        {
            var (data, _, _) = NpyFile.Read(Path.Combine(_dir, file));
            using var w = tensor(data, shape);
            var s = WeightSpectra.Of(name, w);
            Assert.Equal(s.Alpha, layers[name].GetProperty("alpha").GetDouble(), 12);
            Assert.Equal(s.StableRank, layers[name].GetProperty("stableRank").GetDouble(), 12);
        }
        Assert.Contains("is not an ONNX model", InProcessCli.Run("weights", "--weights", WriteJunk()).Err);
    }

    string WriteJunk()
    {
        var path = Path.Combine(_dir, "junk.onnx");
        File.WriteAllText(path, "not a protobuf at all \u0001\u0002");
        return path;
    }
}

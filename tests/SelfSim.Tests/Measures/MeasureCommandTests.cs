using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using SelfSim.Cli;
using SelfSim.Tests.Cli;
using Xunit;

namespace SelfSim.Tests.Measures;

[Collection("Console")]
public class MeasureCommandTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "selfsim-cli-" + Guid.NewGuid().ToString("N")[..8]);
    public MeasureCommandTests() => Directory.CreateDirectory(_dir);
    public void Dispose() { try { Directory.Delete(_dir, true); } catch { } }

    static (int Code, string Out) Run(params string[] args)
    {
        var (code, o, _) = InProcessCli.Run(args);
        return (code, o);
    }

    string Features(ReferenceCase c)
    {
        var path = Path.Combine(_dir, c.Name + ".npy");
        NpyFile.Write(path, c.X, c.N, c.D);
        return path;
    }

    [Fact]
    public void Srate_json_matches_the_reference_and_writes_the_gradient()
    {
        var c = ReferenceFixture.Case("clusters-n96-d32-s2");
        var grad = Path.Combine(_dir, "g.npy");
        var (code, text) = Run("srate", "--features", Features(c), "--gradient", grad, "--repeat", "3", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(text);
        var o = doc.RootElement;
        Assert.InRange(o.GetProperty("srate").GetDouble() - c.Srate, -1e-5, 1e-5);
        Assert.InRange(o.GetProperty("minDistance").GetDouble() - c.MinDistance, -1e-5, 1e-5);
        Assert.InRange(o.GetProperty("maxDistance").GetDouble() - c.MaxDistance, -1e-5, 1e-5);
        Assert.InRange(o.GetProperty("loss").GetDouble() - c.Loss, -1e-5, 1e-5);
        Assert.True(o.GetProperty("msPerCall").GetDouble() > 0);
        var (g, rows, cols) = NpyFile.Read(grad);
        Assert.Equal((c.N, c.D), (rows, cols));
        double scale = c.LossGradient!.Max(Math.Abs);
        Assert.True(g.Zip(c.LossGradient!, (a, b) => Math.Abs(a - b)).Max() / scale < 1e-3);
    }

    [Fact]
    public void Srate_without_repeat_has_no_timing_and_honours_the_target()
    {
        var c = ReferenceFixture.Case("relu-n128-d64-s5");
        var (code, text) = Run("srate", "--features", Features(c), "--target", "0.2", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(text);
        Assert.False(doc.RootElement.TryGetProperty("msPerCall", out _));
        Assert.InRange(doc.RootElement.GetProperty("loss").GetDouble() - c.Loss, -1e-5, 1e-5);
    }

    [Fact]
    public void Boxcover_json_matches_the_reference()
    {
        var c = ReferenceFixture.Case("gauss-n64-d16-s1");
        var (code, text) = Run("boxcover", "--features", Features(c), "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(text);
        var o = doc.RootElement;
        var sizes = o.GetProperty("boxSizes").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.All(sizes.Zip(c.BoxSizes!), p => Assert.InRange(p.First - p.Second, -1e-4, 1e-4));
        var merges = o.GetProperty("merges").EnumerateArray().Select(p => (p[0].GetInt32(), p[1].GetInt32())).ToArray();
        Assert.Equal(c.Merges!.Select(m => (m[0], m[1])), merges);
        var nf = o.GetProperty("normalisedFit");
        Assert.InRange(nf.GetProperty("slope").GetDouble() - c.Slope!.Value, -1e-4, 1e-4);
        Assert.InRange(nf.GetProperty("intercept").GetDouble() - c.Intercept!.Value, -1e-4, 1e-4);
        Assert.InRange(nf.GetProperty("stdError").GetDouble() - c.StdError!.Value, -1e-4, 1e-4);
        var dim = o.GetProperty("logLogFit").GetProperty("boxDimension");
        double dB = dim.GetProperty("value").GetDouble();
        Assert.True(dim.GetProperty("lower").GetDouble() < dB && dB < dim.GetProperty("upper").GetDouble());
        Assert.Equal(0.95, dim.GetProperty("level").GetDouble());
        Assert.False(o.TryGetProperty("slope", out _) || o.TryGetProperty("dB", out _) || o.TryGetProperty("boxDimension", out _),
            "one spelling per quantity: the old top-level copies are gone");
    }

    [Fact]
    public void Boxcover_fitting_range_and_csv_input()
    {
        var path = Path.Combine(_dir, "line.csv");
        File.WriteAllLines(path, Enumerable.Range(0, 200).Select(i => $"{i + 0.1 * Math.Sin(i)},{0.5 * i}"));
        var (code, text) = Run("boxcover", "--features", path, "--min-size", "2", "--max-size", "40", "--json", "--tree");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(text);
        var dim = doc.RootElement.GetProperty("logLogFit");
        Assert.True(dim.GetProperty("minSize").GetDouble() >= 2 && dim.GetProperty("maxSize").GetDouble() <= 40);
        Assert.Equal(199, doc.RootElement.GetProperty("tree").GetArrayLength());
    }

    [Fact]
    public void Bad_files_fail_with_a_named_error()
    {
        var bad = Path.Combine(_dir, "bad.npy");
        File.WriteAllText(bad, "garbage");
        var (code, _, err) = InProcessCli.Run("srate", "--features", bad, "--json");
        Assert.Equal(1, code);
        Assert.StartsWith("selfsim: ", err);
        Assert.Contains("bad.npy", err);
        Assert.Single(err.Trim().Split('\n'));
        var nan = Path.Combine(_dir, "nan.csv");
        File.WriteAllText(nan, "1,2\n3,nan\n5,6\n");
        (code, _, err) = InProcessCli.Run("boxcover", "--features", nan, "--json");
        Assert.Equal(1, code);
        Assert.Contains("NaN", err);
        (code, _, err) = InProcessCli.Run("srate", "--features", Path.Combine(_dir, "none.npy"));
        Assert.Equal(1, code);
        Assert.Contains("none.npy", err);
    }
}

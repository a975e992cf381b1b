using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using SelfSim.Cli;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Cli;

/// <summary>The analysis layer as a PyTorch user meets it (issue 13): feature graphs on the command line, float64,
/// orientation and dead units, small-n messages, honest verdicts (the log-normal alternative: PowerLaw/PowerLawComparisonTests;
/// flower dimensions: Graphs/GraphBoxCoverTests).</summary>
[Collection("Console")]
public class AnalysisLayerTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("selfsim-analysis-").FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch { } }

    /// <summary>Runs /usr/bin/python3 (with NumPy and SciPy; .ci/run installs them) and returns its stdout.</summary>
    static string Python(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        psi.ArgumentList.Add(script.EndsWith(".py") ? script : "-c");
        if (!script.EndsWith(".py")) psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "python failed: " + e);
        return o.Result;
    }

    /// <summary>A PyTorch-style [samples, neurons] float32 matrix: 96 samples of 256 ReLU units, 18 of them dead.</summary>
    string HookLikeNpy(out int dead)
    {
        var rng = new Random(3);
        int samples = 96, units = 256;
        dead = 18;
        var x = new float[samples * units];
        for (int s = 0; s < samples; s++)
            for (int u = dead; u < units; u++)
            {
                double g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                x[s * units + u] = (float)Math.Max(0, g + 0.3 * Math.Sin(u));
            }
        var path = Path.Combine(_dir, "hook.npy");
        NpyFile.Write(path, x, samples, units);
        return path;
    }

    [Fact]
    public void Graph_from_features_keeps_every_node_and_reads_pytorch_orientation()
    {
        var path = HookLikeNpy(out int dead);
        // As saved from a hook, rows are samples: the shape and the all-zero columns say so.
        var (code0, _, err0) = InProcessCli.Run("graph", "degrees", "--features", path, "--knn", "4", "--json");
        Assert.Equal(0, code0);
        Assert.Contains("looks transposed", err0);
        Assert.Contains("--samples-in-rows", err0);

        var (code, o, err) = InProcessCli.Run("graph", "boxcover", "--features", path, "--samples-in-rows", "--threshold-fraction", "0.02", "--method", "gc", "--json");
        Assert.Equal(0, code);
        var j = JsonDocument.Parse(o).RootElement;
        Assert.Equal(256, j.GetProperty("nodes").GetInt32());               // every neuron, isolated ones included
        Assert.True(j.GetProperty("isolatedNodes").GetInt32() > 0);
        Assert.Equal(256, j.GetProperty("features").GetProperty("nodes").GetInt32());
        Assert.Equal(96, j.GetProperty("features").GetProperty("samples").GetInt32());
        Assert.Equal(dead, j.GetProperty("features").GetProperty("zeroRows").GetInt32());
        Assert.Contains($"{dead} of 256 nodes are all zero", err);
        long pairs = 256L * 255 / 2;
        // The closest 2% of all pairs (a few more where sparse ReLU outputs tie at the threshold distance).
        Assert.InRange(j.GetProperty("edges").GetInt32(), (int)Math.Ceiling(0.02 * pairs), (int)(0.021 * pairs));

        var (code2, o2, _) = InProcessCli.Run("graph", "degrees", "--features", path, "--samples-in-rows", "--knn", "4", "--json");
        Assert.Equal(0, code2);
        var d = JsonDocument.Parse(o2).RootElement;
        Assert.Equal(256, d.GetProperty("nodes").GetInt32());
        Assert.Equal(0, d.GetProperty("isolatedNodes").GetInt32());          // kNN joins every node to 4 others
        Assert.True(d.GetProperty("edges").GetInt32() >= 256 * 4 / 2);
        Assert.True(d.GetProperty("alpha").GetDouble() > 1);
        Assert.False(string.IsNullOrEmpty(d.GetProperty("verdict").GetString()));

        Assert.Equal(1, InProcessCli.Run("graph", "boxcover", "--features", path, "--json").Code);   // no edge rule
        Assert.Equal(1, InProcessCli.Run("graph", "boxcover", "--generator", "flower:2,2,3", "--knn", "3").Code);

        // The text report says what its interval leaves out, right under d_B.
        var (code3, text, _) = InProcessCli.Run("graph", "boxcover", "--generator", "flower:2,3,4", "--method", "gc");
        Assert.Equal(0, code3);
        var lines = text.Split('\n');
        int dB = Array.FindIndex(lines, l => l.StartsWith("d_B = "));
        Assert.True(dB >= 0, text);
        Assert.StartsWith("note: the 95% interval is the scatter of the fitted points only", lines[dB + 1]);
    }

    [Fact]
    public void Float64_features_keep_their_precision_and_match_scipy_complete_linkage()
    {
        var path = Path.Combine(_dir, "f64.npy");
        // float64 features: a float32 round trip would move the box sizes by ~1e-8 (relative).
        Python("import numpy as np, sys; r = np.random.default_rng(5); np.save(sys.argv[1], r.normal(size=(60, 7)))", path);
        var (code, o, _) = InProcessCli.Run("boxcover", "--features", path, "--json", "--tree", "--min-size", "1e-9");
        Assert.Equal(0, code);
        var j = JsonDocument.Parse(o).RootElement;
        Assert.Equal("float64", j.GetProperty("precision").GetString());
        var sizes = j.GetProperty("boxSizes").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var counts = j.GetProperty("boxCounts").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(Enumerable.Range(0, 59).Select(k => 59 - k), counts);
        var z = Python("import numpy as np, sys; from scipy.cluster.hierarchy import linkage; from scipy.spatial.distance import pdist; " +
                       "x = np.load(sys.argv[1]); Z = linkage(pdist(x) / np.sqrt(x.shape[1]), 'complete'); " +
                       "print('\\n'.join(' '.join(repr(float(v)) for v in row) for row in Z))", path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(59, z.Length);
        double worst = sizes.Zip(z, (a, b) => Math.Abs(a - b[2]) / b[2]).Max();
        Assert.True(worst < 1e-12, $"largest relative box-size difference from SciPy: {worst:G3}");
        // The tree is SciPy's linkage matrix: same clusters, numbered the same way, with sizes.
        var tree = j.GetProperty("tree").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        for (int k = 0; k < 59; k++)
        {
            Assert.Equal(z[k][0], tree[k][0]); Assert.Equal(z[k][1], tree[k][1]); Assert.Equal(z[k][3], tree[k][3]);
        }
        // Srate stays float32, as the reference, and says so; its curve comes with it.
        var (sc, so, _) = InProcessCli.Run("srate", "--features", path, "--json");
        Assert.Equal(0, sc);
        var s = JsonDocument.Parse(so).RootElement;
        Assert.Equal("float32", s.GetProperty("precision").GetString());
        Assert.Equal("float64", s.GetProperty("inputPrecision").GetString());
        Assert.Equal(Srate.DefaultScales, s.GetProperty("curve").GetProperty("scales").GetArrayLength());
        Assert.Equal(Srate.DefaultScales, s.GetProperty("curve").GetProperty("boxCount").GetArrayLength());
    }

    [Fact]
    public void Small_layers_get_a_message_that_names_the_window_and_real_options()
    {
        var x = randn(16, 8, generator: manual_seed(1));
        var e = Assert.Throws<SelfSimException>(() => BoxCover.Compute(x).Dimension());
        Assert.Contains("max(2, 0.2% of n) to 10% of n", e.Message);
        Assert.Contains("2 to 1.6 boxes", e.Message);
        Assert.Contains("at least 40 nodes", e.Message);
        Assert.Contains("--min-size", e.Message);
        Assert.DoesNotContain("fractions", e.Message);
        // From 40 nodes on, the default window holds at least 3 merges.
        Assert.Equal(3, BoxCover.Compute(randn(40, 8, generator: manual_seed(2))).Dimension().Points);
    }

    [Fact]
    public void Node_matrix_warns_about_dead_rows_and_transposed_shapes()
    {
        var x = randn(10, 50, generator: manual_seed(3));
        x.index_put_(zeros(50), TensorIndex.Single(2));
        x.index_put_(zeros(50), TensorIndex.Single(7));
        using var m = NodeMatrix.FromTensor("layer", x);
        Assert.Equal(2, m.ZeroRows);
        Assert.Contains(m.Warnings, w => w.StartsWith("2 of 10 nodes are all zero"));
        var t = randn(50, 10, generator: manual_seed(4));
        t.index_put_(zeros(50), TensorIndex.Colon, TensorIndex.Single(3));
        using var looksTransposed = NodeMatrix.FromTensor("hook", t);
        Assert.Contains(looksTransposed.Warnings, w => w.Contains("looks transposed"));
        using var fixedUp = NodeMatrix.FromTensor("hook", t, samplesInRows: true);
        Assert.Equal(10, fixedUp.Nodes);
        Assert.Equal(1, fixedUp.ZeroRows);
        Assert.DoesNotContain(fixedUp.Warnings, w => w.Contains("transposed"));
        var d = fixedUp.DistanceArray();
        Assert.Equal(0.0, d[0]);
        Assert.Equal(d[1 * 10 + 4], d[4 * 10 + 1]);
        Assert.Equal(PairDistances.Matrix(fixedUp.Features).data<double>().ToArray()[1 * 10 + 4], d[1 * 10 + 4], 12);
    }

    [Fact]
    public void Verdicts_are_inconclusive_with_few_points_or_wide_intervals()
    {
        // Three points, an interval [0.90, 3.90]-like spread: no verdict.
        var few = GraphBoxDimensionFitter.Fit(new[] { 2, 3, 4 }, new[] { 400, 90, 60 }, 1000, 2, 4);
        Assert.Equal(3, few.Points);
        Assert.True(few.Inconclusive);
        Assert.StartsWith("inconclusive (only 3 fitted points", few.Verdict);
        var torus = MembBoxCover.Run(LatticeGraph.Create(30, 30, periodic: true)).FitDimension();
        Assert.False(torus.Inconclusive, torus.Verdict);
        Assert.StartsWith("fractal", torus.Verdict);
        // A power law fitted to 30 values: inconclusive whatever the bootstrap says.
        var rng = new Random(2);
        var small = Enumerable.Range(0, 30).Select(_ => Math.Pow(1 - rng.NextDouble(), -1 / 1.5)).ToArray();
        var fit = PowerLawFitter.Fit(small, PowerLawKind.Continuous, minTail: 10);
        Assert.StartsWith("inconclusive", fit.Verdict(null));
        var words = PowerLawFitter.Fit(PowerLawFitter.ReadData(Path.Combine(RepoPaths.Fixtures, "powerlaw", "words.txt")));
        Assert.StartsWith("not tested", words.Verdict(null));
    }
}

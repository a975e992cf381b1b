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
/// orientation and dead units, small-n messages, honest verdicts, the log-normal alternative, flower dimensions.</summary>
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

    static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var root = new RootCommand { new GraphCommand().Create(), new BoxCoverCommand().Create(), new SrateCommand().Create() };
        var w = new StringWriter(); var e = new StringWriter();
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(w); Console.SetError(e);
        try { return (CliErrors.InvokeAsync(root, args).GetAwaiter().GetResult(), w.ToString(), e.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
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
        var (code0, _, err0) = Cli("graph", "degrees", "--features", path, "--knn", "4", "--json");
        Assert.Equal(0, code0);
        Assert.Contains("looks transposed", err0);
        Assert.Contains("--samples-in-rows", err0);

        var (code, o, err) = Cli("graph", "boxcover", "--features", path, "--samples-in-rows", "--threshold-fraction", "0.02", "--method", "gc", "--json");
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

        var (code2, o2, _) = Cli("graph", "degrees", "--features", path, "--samples-in-rows", "--knn", "4", "--json");
        Assert.Equal(0, code2);
        var d = JsonDocument.Parse(o2).RootElement;
        Assert.Equal(256, d.GetProperty("nodes").GetInt32());
        Assert.Equal(0, d.GetProperty("isolatedNodes").GetInt32());          // kNN joins every node to 4 others
        Assert.True(d.GetProperty("edges").GetInt32() >= 256 * 4 / 2);
        Assert.True(d.GetProperty("alpha").GetDouble() > 1);
        Assert.False(string.IsNullOrEmpty(d.GetProperty("verdict").GetString()));

        Assert.Equal(1, Cli("graph", "boxcover", "--features", path, "--json").Code);   // no edge rule
        Assert.Equal(1, Cli("graph", "boxcover", "--generator", "flower:2,2,3", "--knn", "3").Code);

        // The text report says what its interval leaves out, right under d_B.
        var (code3, text, _) = Cli("graph", "boxcover", "--generator", "flower:2,3,4", "--method", "gc");
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
        var (code, o, _) = Cli("boxcover", "--features", path, "--json", "--tree", "--min-size", "1e-9");
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
        var (sc, so, _) = Cli("srate", "--features", path, "--json");
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

    [Fact]
    public void Lognormal_fit_recovers_mu_and_sigma_and_flags_the_power_law_boundary()
    {
        var rng = new Random(11);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        // Log-normal data (mu = 1, sigma = 0.6), the whole sample as the tail, and truncated one sigma below the mode.
        var data = Enumerable.Range(0, 20000).Select(_ => Math.Exp(1 + 0.6 * Gauss())).ToArray();
        foreach (var xmin in new[] { data.Min(), Math.Exp(1 - 0.6) })
        {
            var fit = PowerLawFitter.Fit(data, PowerLawKind.Continuous, xmin: xmin);
            var ln = PowerLawComparisons.All(data, fit).Single(c => c.Alternative == "lognormal");
            Assert.InRange(ln.AlternativeParameters["mu"], 1 * 0.95, 1 * 1.05);
            Assert.InRange(ln.AlternativeParameters["sigma"], 0.6 * 0.95, 0.6 * 1.05);
            Assert.False(ln.Degenerate);
            Assert.Equal("lognormal", ln.Favoured);
        }
        // Power-law data: the log-normal runs off to mu -> -inf; that is said, not printed as an estimate.
        var pl = Enumerable.Range(0, 5000).Select(_ => Math.Pow(1 - rng.NextDouble(), -1 / 1.5)).ToArray();
        var plFit = PowerLawFitter.Fit(pl, PowerLawKind.Continuous, xmin: 1);
        var c = PowerLawComparisons.All(pl, plFit).Single(c => c.Alternative == "lognormal");
        Assert.True(c.Degenerate, $"mu = {c.AlternativeParameters["mu"]}, sigma = {c.AlternativeParameters["sigma"]}");
        Assert.Contains("degenerates to the power law", c.Note);
        Assert.Equal("inconclusive", c.Favoured);
    }

    [Fact]
    public void Words_lognormal_ratio_agrees_with_an_independent_scipy_calculation()
    {
        // tools/checks/words_lognormal_lr.py is written with SciPy only. At our fitted (mu, sigma) it must give our
        // likelihood ratio. Its own best point (log L = -11753.82116 at mu = -46826, sigma = 221.8, R = 0.0036; measured)
        // lies further up the mu -> -inf ridge than ours: no fit on this ridge beats the power law, and ours is
        // within 0.01 nats of it.
        var file = Path.Combine(RepoPaths.Fixtures, "powerlaw", "words.txt");
        var data = PowerLawFitter.ReadData(file);
        var fit = PowerLawFitter.Fit(data);
        var c = PowerLawComparisons.All(data, fit).Single(c => c.Alternative == "lognormal");
        double mu = c.AlternativeParameters["mu"], sigma = c.AlternativeParameters["sigma"];
        var j = JsonDocument.Parse(Python(Path.Combine("tools", "checks", "words_lognormal_lr.py"), file, "--xmin", "7", "--only-at",
            "--at", mu.ToString("R", CultureInfo.InvariantCulture), sigma.ToString("R", CultureInfo.InvariantCulture))).RootElement;
        Assert.Equal(fit.LogLikelihood, j.GetProperty("powerLawLogLikelihood").GetDouble(), 6);
        var at = j.GetProperty("at");
        Assert.Equal(c.LogLikelihoodRatio, at.GetProperty("R").GetDouble(), 6);
        Assert.Equal(c.NormalizedRatio, at.GetProperty("normalisedR").GetDouble(), 4);
        double ll = at.GetProperty("logLikelihood").GetDouble();
        Assert.True(ll <= -11753.82116 + 1e-6 && ll >= -11753.82116 - 0.01, $"log-normal log L {ll} at mu = {mu}, sigma = {sigma}");
        Assert.True(c.Degenerate, $"mu = {mu}, sigma = {sigma}");
        Assert.Equal("inconclusive", c.Favoured);
    }

    [Theory]
    [InlineData("memb")]
    [InlineData("gc")]
    [InlineData("cbb")]
    public void Box_dimension_of_the_33_flower_is_within_10_percent_with_default_settings(string method)
    {
        // d_B = ln 6 / ln 3 = 1.631 (Rozenfeld, Havlin & ben-Avraham 2007). Measured: memb 1.761 (+8%), gc 1.686 (+3%; greedy alone 1.586), cbb 1.626.
        var g = FlowerGraph.Create(3, 3, 4);
        var r = method switch { "memb" => MembBoxCover.Run(g), "gc" => GreedyColoringBoxCover.Run(g), _ => CbbBoxCover.Run(g) };
        double truth = FlowerGraph.BoxDimension(3, 3);
        Assert.InRange(r.FitDimension().Dimension.Value, 0.9 * truth, 1.1 * truth);
        // The envelope is monotone and never above the raw counts.
        var env = r.EnvelopeCounts;
        Assert.True(env.Zip(env.Skip(1)).All(p => p.Second <= p.First));
        Assert.True(env.Zip(r.BoxCounts).All(p => p.First <= p.Second));
    }

    [Theory]
    [InlineData(2, 3, 5, 0, 2.162)]
    [InlineData(2, 3, 5, 1, 2.144)]
    [InlineData(2, 4, 5, 0, 2.362)]
    [InlineData(2, 4, 5, 1, 2.334)]
    public void Box_dimension_of_unequal_flowers_is_within_10_percent_with_gc(int u, int v, int n, int seed, double measured)
    {
        // Default GC: greedy colouring, then tabu-search recolouring (TabuBoxCover, graphs up to 8,000 nodes). Greedy alone
        // gave (2,3) gen 5 2.082 (-10.3%) and (2,4) gen 5 2.173 (-16%). Seeds 0-3: (2,3) 2.162 2.144 2.154 2.163 (-6.9 to
        // -7.7%), (2,4) 2.362 2.334 2.355 2.358 (-8.6 to -9.7%: a thin margin; seed 1 is the worst, so it is tested).
        var r = GreedyColoringBoxCover.Run(FlowerGraph.Create(u, v, n), seed: seed);
        double truth = FlowerGraph.BoxDimension(u, v);
        var fit = r.FitDimension();
        Assert.Equal(measured, fit.Dimension.Value, 3);
        Assert.InRange(fit.Dimension.Value, 0.9 * truth, 1.1 * truth);
    }

    [Theory]
    [InlineData(0, 2.345)]
    [InlineData(1, 2.296)]
    public void Box_dimension_of_the_24_flower_of_generation_4_is_on_the_10_percent_edge(int seed, double measured)
    {
        // (2,4)-flower of generation 4 (1,038 nodes), default GC with tabu: seed 0 gives 2.345 (-9.3%), seeds 1-3 give
        // 2.296, 2.315, 2.316 (-10.4 to -11.2%); 20,000 tabu steps change nothing (2.290-2.345). Too small for 10%.
        var fit = GreedyColoringBoxCover.Run(FlowerGraph.Create(2, 4, 4), seed: seed).FitDimension();
        double truth = FlowerGraph.BoxDimension(2, 4);
        Assert.Equal(measured, fit.Dimension.Value, 3);
        Assert.InRange(fit.Dimension.Value, 0.88 * truth, 0.92 * truth);
    }

    [Theory]
    [InlineData(2, 4, "memb", 2.276)]
    [InlineData(2, 4, "cbb", 2.196)]
    public void Box_dimension_of_unequal_flowers_is_within_20_percent_with_greedy_covers(int u, int v, string method, double measured)
    {
        // d_B = ln(u+v)/ln u: 2.322 for (2,3), 2.585 for (2,4). At generation 5 MEMB and CBB give (2,3) 1.878, 2.048 and
        // (2,4) 2.276, 2.196 (-12 to -19%): not within 10%. Their covers are far above the exact minimum (set-cover ILP,
        // tools/checks/flower_min_cover_ilp.py --min; BoxCoveringTests.Box_dimension_of_23_flower_needs_large_boxes).
        var g = FlowerGraph.Create(u, v, 5);
        var r = method switch { "memb" => MembBoxCover.Run(g), _ => CbbBoxCover.Run(g) };
        double truth = FlowerGraph.BoxDimension(u, v);
        var fit = r.FitDimension();
        Assert.Equal(measured, fit.Dimension.Value, 3);
        Assert.InRange(fit.Dimension.Value, 0.8 * truth, 1.05 * truth);
        // A ratchet: when a change brings this within 10%, move the case into the 10% test above.
        Assert.True(fit.Dimension.Value < 0.9 * truth, $"d_B = {fit.Dimension.Value:F3} is now within 10% of {truth:F3}: tighten this test");
    }
}

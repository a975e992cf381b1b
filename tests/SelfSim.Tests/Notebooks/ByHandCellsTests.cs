using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Notebooks;

/// <summary>
/// The chapters' by-hand cells, computed here the same way and checked against the library they introduce (each
/// notebook also checks itself and throws when they differ). If a library call changes its rule, the chapter's hand
/// computation no longer explains it, and the matching test here fails.
/// </summary>
public sealed class ByHandCellsTests
{
    // ---- 02: Srate by hand on six nodes (sfm/sfm_loss_d_v2.py, compute_mse_sim_loss) ----

    static readonly double[,] SixNodes =
    {
        { 0.0, 0.0, 0.0, 0.0 }, { 0.5, 0.5, 0.5, 0.5 }, { 1.0, 1.0, 0.0, 0.0 },
        { 2.0, 2.0, 2.0, 2.0 }, { 3.0, 3.0, 2.0, 2.0 }, { 4.0, 4.0, 4.0, 4.0 },
    };

    /// <summary>Notebook 02's cell: S, the scales and ρ(l), from the formula.</summary>
    static (double S, double[] Scales, double[] Rho, double[] Boxes) SrateByHand(double[,] x, int K = Srate.DefaultScales)
    {
        int n = x.GetLength(0), b = x.GetLength(1);
        double D(int i, int j) => Math.Sqrt(Enumerable.Range(0, b).Sum(c => Math.Pow(x[i, c] - x[j, c], 2)) / b);
        var d = (from i in Enumerable.Range(0, n) from j in Enumerable.Range(i + 1, n - i - 1) select D(i, j)).ToArray();
        double tz = d.Min(), tv = d.Max();
        var ls = Enumerable.Range(0, K).Select(k => (1 + tz) * Math.Pow((1 + tv) / (1 + tz), k / (K - 1.0)) - 1).ToArray();
        double Rho(double l) => d.Count(v => v < l) / (double)d.Length;
        double Nb(double l) => n - (n - 1) * Math.Log(1 + (n - 1) * Rho(l)) / Math.Log(n);
        double Chord(double l) => 1 - (Math.Log(1 + l) - Math.Log(1 + tz)) / (Math.Log(1 + tv) - Math.Log(1 + tz));
        double s = 2.0 / K * ls.Sum(l => Math.Abs(Chord(l) - Math.Log(Nb(l)) / Math.Log(n)));
        return (s, ls, ls.Select(Rho).ToArray(), ls.Select(Nb).ToArray());
    }

    [Theory]
    [InlineData(0.0, Srate.DefaultScales, 0.134426)]   // the chapter's six nodes and its S
    [InlineData(4.0, Srate.DefaultScales, double.NaN)] // the far node moved out to 8 (exercise 1)
    [InlineData(0.0, 16, double.NaN)]                  // K = 16 scales (exercise 2)
    public void Srate_by_hand_on_six_nodes_is_Srate_Measure(double farShift, int scales, double knownS)
    {
        var x = (double[,])SixNodes.Clone();
        for (int c = 0; c < 4; c++) x[5, c] += farShift;
        var hand = SrateByHand(x, scales);
        var lib = Srate.Measure(tensor(x, dtype: ScalarType.Float64), scales);
        Assert.Equal(hand.S, lib.S, 1e-9);
        Assert.Equal(hand.Rho, lib.PairFraction);                    // every scale, exactly
        for (int k = 0; k < scales; k++) Assert.Equal(hand.Boxes[k], lib.BoxCount[k], 1e-12);
        Assert.Equal(hand.Scales[0], lib.Scales[0], 1e-15);
        Assert.Equal(hand.Scales[^1], lib.Scales[^1], 1e-12);
        if (!double.IsNaN(knownS)) Assert.Equal(knownS, hand.S, 6);
        // The float32 path (what real layers use) agrees to float32 rounding.
        Assert.Equal(hand.S, Srate.Measure(tensor(x, dtype: ScalarType.Float32), scales).S, 1e-5);
    }

    // ---- 03: α̂ = 1 + n / Σ ln(x / x_min) by hand against PowerLawFitter.Fit (CSN 2009, eqs. 3.1 and 3.7) ----

    [Fact]
    public void Alpha_hat_by_hand_is_the_fitters_continuous_estimate_and_near_its_discrete_one()
    {
        var words = PowerLawFitter.ReadData(Path.Combine(RepoPaths.Fixtures, "powerlaw", "words.txt"));
        var fit = PowerLawFitter.Fit(words);
        double xmin = fit.Xmin;
        var tail = words.Where(v => v >= xmin).ToArray();
        double alphaHand = 1 + tail.Length / tail.Sum(v => Math.Log(v / xmin));
        double alphaHalf = 1 + tail.Length / tail.Sum(v => Math.Log(v / (xmin - 0.5)));
        var continuous = PowerLawFitter.Fit(words, PowerLawKind.Continuous, xmin: xmin);
        Assert.Equal(7, xmin);                                   // CSN Table 6.1: x_min = 7 for the words
        Assert.Equal(tail.Length, continuous.TailCount);
        Assert.Equal(alphaHand, continuous.Alpha, 1e-9);
        Assert.Equal((alphaHand - 1) / Math.Sqrt(tail.Length), continuous.AlphaStdError, 1e-9);
        Assert.True(fit.Discrete);
        Assert.InRange(alphaHalf - fit.Alpha, -0.01, 0.01);      // the chapter's bound on CSN's approximation
        Assert.Equal(1.95, fit.Alpha, 2);                        // CSN Table 6.1: α = 1.95(2)
    }

    // ---- 01: a five-node threshold graph by hand ----

    static readonly double[,] FiveNodes = { { 0.0, 0.0 }, { 0.4, 0.0 }, { 0.0, 0.6 }, { 2.0, 2.0 }, { 2.2, 2.4 } };

    [Theory]
    [InlineData(0.45, "0-1 0-2 3-4", "2 1 1 1 1", 0.0)]
    [InlineData(0.55, "0-1 0-2 1-2 3-4", "2 2 2 1 1", 0.6)]
    public void Threshold_graph_by_hand_on_five_nodes_is_ThresholdGraph(double l, string edges, string degrees, double clustering)
    {
        double D(int i, int j) => Math.Sqrt((Math.Pow(FiveNodes[i, 0] - FiveNodes[j, 0], 2) + Math.Pow(FiveNodes[i, 1] - FiveNodes[j, 1], 2)) / 2);
        var e = (from i in Enumerable.Range(0, 5) from j in Enumerable.Range(i + 1, 4 - i) where D(i, j) < l select (U: i, V: j)).ToList();
        int[] Nb(int v) => e.Where(x => x.U == v || x.V == v).Select(x => x.U == v ? x.V : x.U).ToArray();
        double C(int v)
        {
            var nb = Nb(v); int links = e.Count(x => nb.Contains(x.U) && nb.Contains(x.V));
            return nb.Length < 2 ? 0 : 2.0 * links / (nb.Length * (nb.Length - 1));
        }
        var g = NodeMatrix.FromTensor("five", tensor(FiveNodes)).ThresholdGraph(l);
        Assert.Equal(edges, string.Join(" ", e.Select(x => $"{x.U}-{x.V}")));
        Assert.Equal(edges, string.Join(" ", g.Edges().Select(x => $"{x.U}-{x.V}")));
        Assert.Equal(degrees, string.Join(" ", Enumerable.Range(0, 5).Select(v => Nb(v).Length)));
        Assert.Equal(degrees, string.Join(" ", g.DegreeSequence()));
        Assert.Equal(clustering, Enumerable.Range(0, 5).Average(C), 12);
        Assert.Equal(clustering, FeatureGraphScan.Describe(g, l, e.Count / 10.0).AverageClustering, 12);
    }

    // ---- 00: the node distance ‖x_i − x_j‖ / √B by hand against DistanceArray ----

    [Fact]
    public void Node_distance_by_hand_is_DistanceArray()
    {
        manual_seed(3);
        var m = NodeMatrix.FromTensor("layer", randn(40, 24));
        var v = m.Features.to(ScalarType.Float64).data<double>().ToArray();
        double ByHand(int i, int j) => Math.Sqrt(Enumerable.Range(0, 24).Sum(b => Math.Pow(v[i * 24 + b] - v[j * 24 + b], 2)) / 24);
        var d = m.DistanceArray();
        foreach (var (i, j) in new[] { (0, 1), (0, 2), (5, 30), (17, 39) })
        {
            Assert.Equal(ByHand(i, j), d[i * 40 + j], 1e-9);
            Assert.Equal(ByHand(i, j), d[j * 40 + i], 1e-9);
        }
    }

    // ---- 04: the node matrix by hand (as is / mean over H, W / mean over tokens) against NodeMatrix.Capture ----

    /// <summary>Notebook 04's loop: [B, C] → [C, B]; [B, C, H, W] → mean over H, W; [B, T, D] → mean over T.</summary>
    static double[] ByHandNodes(Tensor y)
    {
        var s = y.shape; var v = y.to(ScalarType.Float64).data<double>().ToArray();
        int b = (int)s[0], rest = (int)(y.numel() / b);
        bool tokens = s.Length == 3;
        int nodes = s.Length == 2 ? (int)s[1] : tokens ? (int)s[2] : (int)s[1], per = rest / nodes;
        var x = new double[nodes * b];
        for (int k = 0; k < b; k++)
            for (int c = 0; c < nodes; c++)
                for (int p = 0; p < per; p++)
                    x[c * b + k] += v[k * rest + (tokens ? p * nodes + c : c * per + p)] / per;
        return x;
    }

    [Theory]
    [InlineData("mlp", 2)]
    [InlineData("resnet", 4)]
    [InlineData("vit", 3)]
    public void Node_matrix_by_hand_is_NodeMatrix_Capture(string arch, int rank)
    {
        manual_seed(0);
        using var model = ModelZoo.Create(arch, ModelScale.Cpu, 1, 28, 10);
        using var probe = rand(5, 1, 28, 28);
        Tensor? y = null;
        var hooked = (nn.Module<Tensor, Tensor>)model.HookModule("blocks.0");
        var hook = hooked.register_forward_hook((_, _, o) => { y = o.detach().clone().DetachFromDisposeScope(); return null!; });
        var library = NodeMatrix.Capture(model, probe, new[] { "blocks.0" })[0].Features;
        hook.remove();
        Assert.NotNull(y);
        Assert.Equal(rank, y!.dim());
        long nodes = rank == 3 ? y.shape[2] : y.shape[1];
        Assert.Equal(new[] { nodes, 5L }, library.shape);
        var hand = ByHandNodes(y);
        var lib = library.to(ScalarType.Float64).data<double>().ToArray();
        Assert.True(hand.Zip(lib, (h, l) => Math.Abs(h - l)).Max() < 1e-5, $"{arch}: by hand and Capture differ");
        Assert.True(hand.Select(Math.Abs).Max() > 1e-3, $"{arch}: the layer output is all zeros, so the check says nothing");
    }

    // ---- 05: Pearson's r by hand against ProbeRecorder.Pearson ----

    [Fact]
    public void Pearson_by_hand_is_ProbeRecorder_Pearson()
    {
        double[] a = { 0.2011, 0.1725, 0.1672, 0.1631 }, b = { 0.212, 0.1688, 0.1674, 0.1839 };
        double ma = a.Average(), mb = b.Average();
        double sab = a.Zip(b, (x, y) => (x - ma) * (y - mb)).Sum();
        double r = sab / Math.Sqrt(a.Sum(x => Math.Pow(x - ma, 2)) * b.Sum(y => Math.Pow(y - mb, 2)));
        Assert.Equal(r, ProbeRecorder.Pearson(a, b), 12);
        Assert.Equal(0.8458995432312858, r, 12);                     // numpy.corrcoef on the same values
        Assert.True(double.IsNaN(ProbeRecorder.Pearson(a[..2], b[..2])));   // fewer than three pairs
    }

    // ---- 07: the figure sizes by hand (inches × 96 px) against the written layout ----

    [Theory]
    [InlineData(3.5, 252)]
    [InlineData(7.0, 336)]
    public void Figure_width_by_hand_is_the_written_layout(double inches, int height)
    {
        var style = inches == 3.5 ? PaperStyle.SingleColumn : PaperStyle.DoubleColumn;
        var chart = Plotly.NET.CSharp.Chart.Point<double, double, string>(new[] { 1.0, 2 }, new[] { 3.0, 4 }, Name: "p");
        var html = Figures.ToHtml(style.Apply(chart, "x", "y", "t"));
        int at = html.IndexOf("var fig = ", StringComparison.Ordinal) + "var fig = ".Length;
        var layout = JsonDocument.Parse(html[at..html.IndexOf(";\nvar config", at, StringComparison.Ordinal)]).RootElement.GetProperty("layout");
        Assert.Equal(inches * 96, layout.GetProperty("width").GetInt32());
        Assert.Equal(height, layout.GetProperty("height").GetInt32());
        Assert.Equal(3, style.PngScale);                             // 3 × 96 = 288 dpi at print size
    }

    // ---- 02: the box cover by hand on ten points against BoxCover.Compute ----

    [Fact]
    public void Box_cover_by_hand_on_ten_points_is_BoxCover_Compute()
    {
        double[][] p =
        {
            new[] { 0.0, 0.0 }, new[] { 0.3, 0.1 }, new[] { 0.1, 0.45 }, new[] { 0.55, 0.5 },
            new[] { 3.0, 3.0 }, new[] { 3.2, 2.7 }, new[] { 2.8, 3.45 }, new[] { 3.6, 3.3 },
            new[] { 1.5, 4.6 }, new[] { 6.1, 0.7 },
        };
        double Dist(int i, int j) => Math.Sqrt(p[i].Zip(p[j], (a, b) => (a - b) * (a - b)).Sum() / 2);
        var boxes = Enumerable.Range(0, p.Length).Select(i => new List<int> { i }).ToList();
        double Union(List<int> a, List<int> b) => a.SelectMany(i => b.Select(j => Dist(i, j))).Max();
        var byHand = new List<(double LB, int NB)>();
        while (boxes.Count > 1)
        {
            var (a, b) = (from i in Enumerable.Range(0, boxes.Count)
                          from j in Enumerable.Range(i + 1, boxes.Count - i - 1)
                          orderby Union(boxes[i], boxes[j])
                          select (i, j)).First();
            double lB = Union(boxes[a], boxes[b]);
            boxes[a].AddRange(boxes[b]);
            boxes.RemoveAt(b);
            byHand.Add((lB, boxes.Count));
        }
        var library = BoxCover.Compute(p.SelectMany(v => v.Select(c => (float)c)).ToArray(), p.Length, 2).Curve.ToList();
        Assert.Equal(byHand.Select(h => h.NB), library.Select(c => c.Boxes));
        Assert.True(byHand.Zip(library, (h, c) => Math.Abs(h.LB - c.BoxSize)).Max() < 1e-6);
    }

    // ---- 09: TwoNN on a plane in 3-D, weight α of a Gaussian matrix, CKA of a matrix rotated, by hand ----

    [Fact]
    public void TwoNn_and_MLE_by_hand_on_a_plane_in_3d_are_the_library_calls()
    {
        var rng = new Random(0);
        int n = 300;
        var pts = Enumerable.Range(0, n).Select(_ =>
        {
            double u = rng.NextDouble(), v = rng.NextDouble();
            return new[] { u, v, 0.5 * u + 0.2 * v };
        }).ToArray();
        double Dist(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (p, q) => (p - q) * (p - q)).Sum());
        var mu = pts.Select((p, i) =>
        {
            var d = pts.Where((_, j) => j != i).Select(q => Dist(p, q)).OrderBy(v => v).Take(2).ToArray();
            return d[1] / d[0];
        }).OrderBy(v => v).ToArray();
        int keep = (int)(0.9 * n);
        var lnMu = mu.Take(keep).Select(v => Math.Log(v)).ToArray();
        var lnF = Enumerable.Range(1, keep).Select(i => -Math.Log(1 - (double)i / n)).ToArray();
        double byHand = lnMu.Zip(lnF, (x, y) => x * y).Sum() / lnMu.Sum(x => x * x);
        // the MLE at k = 20: each point's k nearest distances, the mean inverse, its inverse
        int k = 20;
        double mleByHand = 1 / pts.Select((p, i) =>
        {
            var t = pts.Where((_, j) => j != i).Select(q => Dist(p, q)).OrderBy(v => v).Take(k).ToArray();
            return Enumerable.Range(0, k - 1).Sum(j => Math.Log(t[k - 1] / t[j])) / (k - 1);
        }).Average();
        using var cloud = PointCloud.FromRows(tensor(pts.SelectMany(p => p).ToArray(), new long[] { n, 3 }));
        var library = TwoNn.Measure(cloud);
        Assert.Equal(keep, library.Fitted);
        Assert.Equal(byHand, library.Dimension.Value, 1e-9);
        Assert.InRange(byHand, 1.8, 2.2);                            // a plane: 2 within 10%
        Assert.Equal(mleByHand, LevinaBickelMle.Measure(cloud, neighbours: k).Dimension.Value, 1e-9);
        Assert.InRange(mleByHand, 1.8, 2.2);
    }

    [Fact]
    public void Weight_alpha_by_hand_at_the_librarys_xmin_is_WeightSpectra_Of()
    {
        var gauss = randn(new long[] { 300, 200 }, dtype: ScalarType.Float64, generator: new Generator(1));
        var lambda = linalg.eigvalsh(gauss.T.matmul(gauss)).data<double>().OrderBy(v => v).ToArray();
        var spectrum = WeightSpectra.Of("gaussian 300x200", gauss);
        var tail = lambda.Where(v => v >= spectrum.Xmin * (1 - 1e-9)).ToArray();
        double alphaByHand = 1 + tail.Length / tail.Sum(v => Math.Log(v / spectrum.Xmin));
        Assert.Equal(spectrum.TailCount, tail.Length);
        Assert.Equal(alphaByHand, spectrum.Alpha, 1e-6);
        Assert.Equal(lambda.Sum() / lambda[^1], spectrum.StableRank, 1e-9);
    }

    [Fact]
    public void Cka_by_hand_of_a_matrix_rotated_and_scaled_is_one_and_LinearCka_Of()
    {
        var g = new Generator(2);
        var x = randn(new long[] { 50, 6 }, dtype: ScalarType.Float64, generator: g);
        var q = linalg.qr(randn(new long[] { 6, 6 }, dtype: ScalarType.Float64, generator: g)).Q;
        var rotated = x.matmul(q) * 3.0;
        var bent = x.matmul(randn(new long[] { 6, 4 }, dtype: ScalarType.Float64, generator: g)).tanh();
        double ByHand(Tensor a, Tensor b)
        {
            var ac = a - a.mean(new long[] { 0 }, keepdim: true);
            var bc = b - b.mean(new long[] { 0 }, keepdim: true);
            return bc.T.matmul(ac).square().sum().item<double>() /
                   (ac.T.matmul(ac).norm().item<double>() * bc.T.matmul(bc).norm().item<double>());
        }
        Assert.Equal(1.0, ByHand(x, rotated), 12);
        Assert.Equal(ByHand(x, rotated), LinearCka.Of(x, rotated), 12);
        Assert.Equal(ByHand(x, bent), LinearCka.Of(x, bent), 12);
        Assert.InRange(ByHand(x, bent), 0.3, 0.99);                  // a nonlinear map of X: similar, not the same
    }
}

using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Studies;

public sealed class ChartAndDistributionTests
{
    static string Json(Plotly.NET.GenericChart c) => Plotly.NET.GenericChart.toFigureJson(c);

    [Fact]
    public void Titled_sets_title_axis_labels_and_log_axes()
    {
        var c = Plotly.NET.CSharp.Chart.Point<double, double, string>(new[] { 1.0, 10 }, new[] { 5.0, 0.5 }, Name: "pts");
        var json = Json(ChartLayout.Titled(c, "My title", "box size l_B (units)", "N_B", logX: true, logY: true));
        Assert.Contains("\"title\":{\"text\":\"My title\"}", json);
        Assert.Contains("\"xaxis\":{\"title\":{\"text\":\"box size l_B (units)\"},\"type\":\"log\"}", json);
        Assert.Contains("\"yaxis\":{\"title\":{\"text\":\"N_B\"},\"type\":\"log\"}", json);
        var lin = Json(ChartLayout.Titled(c, "t", "x", "y"));
        Assert.DoesNotContain("\"type\":\"log\"", lin);
        Assert.Throws<SelfSimException>(() => ChartLayout.Titled(c, "", "x", "y"));
        // the input chart is left unchanged
        Assert.DoesNotContain("My title", Json(c));
        Assert.Contains("\"autorange\":\"reversed\"", Json(ChartLayout.With(c, "yaxis.autorange", "reversed")));
    }

    [Fact]
    public void Ccdf_and_pmf_of_a_small_degree_sequence()
    {
        var (x, p) = DegreeDistribution.Ccdf(new[] { 0, 1, 1, 2, 3 });
        Assert.Equal(new[] { 1.0, 2, 3 }, x);
        Assert.Equal(new[] { 1.0, 0.5, 0.25 }, p);
        var (k, pk) = DegreeDistribution.Pmf(new[] { 0, 1, 1, 2, 3 });
        Assert.Equal(new[] { 1, 2, 3 }, k);
        Assert.Equal(new[] { 0.4, 0.2, 0.2 }, pk);
        Assert.Throws<SelfSimException>(() => DegreeDistribution.Ccdf(new[] { 0, 0 }));
    }

    [Fact]
    public void Ccdf_with_fit_draws_the_tail_model_scaled_to_the_tail_fraction()
    {
        var rng = new Random(3);
        var data = Enumerable.Range(0, 2000).Select(_ => Math.Pow(1 - rng.NextDouble(), -1 / 1.5)).ToArray(); // continuous α = 2.5, xmin = 1
        var fit = PowerLawFitter.Fit(data, PowerLawKind.Continuous);
        Assert.InRange(fit.Alpha, 2.3, 2.7);
        var json = Json(DegreeCharts.CcdfWithFit(data, fit, "samples", "CCDF", "x (units)"));
        Assert.Contains($"α = {fit.Alpha:F2}", json);
        Assert.Contains("\"type\":\"log\"", json);
    }

    [Fact]
    public void Heatmap_reorders_rows_and_columns_and_puts_position_zero_on_top()
    {
        var d = new double[] { 0, 1, 2, 1, 0, 3, 2, 3, 0 };
        var z = DistanceHeatmap.Reorder(d, 3, new[] { 2, 0, 1 });
        Assert.Equal(new[] { 0.0, 2, 3 }, z[0]);
        Assert.Equal(new[] { 2.0, 0, 1 }, z[1]);
        Assert.Equal(new[] { 3.0, 1, 0 }, z[2]);
        var json = Json(DistanceHeatmap.Create(d, 3, new[] { 2, 0, 1 }, "distances"));
        Assert.Contains("\"type\":\"heatmap\"", json);
        Assert.Contains("\"autorange\":\"reversed\"", json);
        Assert.Throws<SelfSimException>(() => DistanceHeatmap.Create(d, 3, new[] { 0, 0, 1 }, "bad order"));
    }

    [Fact]
    public void Dendrogram_chart_joins_links_with_gaps()
    {
        var den = Dendrogram.FromMerges(3, new[] { (0, 1, 1.0), (1, 2, 2.0) });
        var (x, y) = DendrogramChart.Polyline(den.Links.Select(l => (l.X, l.Y)));
        Assert.Equal(2 * 4 + 1, x.Length);
        Assert.True(double.IsNaN(x[4]) && double.IsNaN(y[4]));
        Assert.Equal(new[] { 0.0, 1, 1, 0 }, y.Take(4).ToArray());
        Assert.Contains("\"type\":\"scatter\"", Json(DendrogramChart.Create(den, "tree")));
    }
}

public sealed class CurveFitAndScanTests
{
    [Fact]
    public void LogLog_recovers_an_exact_power_law_and_normalised_interval_matches_hand_formula()
    {
        var l = Enumerable.Range(1, 40).Select(i => 0.1 * i).ToArray();
        var n = l.Select(v => 500 * Math.Pow(v, -1.7)).ToArray();
        var e = BoxDimensionFitter.LogLogByBoxes(l, n, nodes: 100000, minFraction: 0, maxFraction: 1);
        Assert.Equal(1.7, e.Dimension.Value, 9);
        Assert.Equal(40, e.Points);
        Assert.True(e.Dimension.Upper - e.Dimension.Lower < 1e-6);
        // only points with N_B in [max(2, 0.2%), 10%] of 1000 nodes = [2, 100] enter the default range
        var r = BoxDimensionFitter.LogLogByBoxes(l, n, nodes: 1000);
        Assert.Equal(n.Count(v => v >= 2 && v <= 100), r.Points);
        Assert.Equal(1.7, r.Dimension.Value, 9);

        var x = new[] { 0.0, 0.25, 0.5, 0.75, 1.0 };
        var y = new[] { 1.0, 0.8, 0.55, 0.3, 0.05 };
        var fit = new NormalisedBoxFit(-0.96, 1.01, 0, 5, x, y);
        var ci = fit.SlopeInterval();
        var (lo, hi, se) = (ci.Lower, ci.Upper, ci.StdError);
        Assert.Equal(-0.96, ci.Value, 12);
        // hand: slope -0.96, residuals 0.01,-0.02,0.02,0.01,... computed here from the normal equations
        double mx = x.Average(), my = y.Average();
        double sxx = x.Sum(v => (v - mx) * (v - mx)), slope = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / sxx;
        double rss = x.Zip(y, (a, b) => Math.Pow(b - (my + slope * (a - mx)), 2)).Sum();
        Assert.Equal(Math.Sqrt(rss / 3 / sxx), se, 12);
        Assert.Equal(-0.96 - 3.182446305284263 * se, lo, 9);
        Assert.Equal(-0.96 + 3.182446305284263 * se, hi, 9);
    }

    [Fact]
    public void Threshold_scan_counts_edges_components_and_pair_fractions()
    {
        // four nodes: pairs (0,1)=1, (2,3)=1, (0,2)=2, others 5
        var d = new double[16];
        void Set(int i, int j, double v) { d[i * 4 + j] = v; d[j * 4 + i] = v; }
        Set(0, 1, 1); Set(2, 3, 1); Set(0, 2, 2); Set(0, 3, 5); Set(1, 2, 5); Set(1, 3, 5);
        var scales = FeatureGraphScan.ScalesAtPairFractions(d, 4, 2.0 / 6, 0.5);
        Assert.InRange(scales[0], 1.0, 1.0 + 1e-6);
        Assert.InRange(scales[1], 2.0, 2.0 + 1e-6);
        var rows = FeatureGraphScan.Run(d, 4, scales);
        Assert.Equal((2, 2, 0.5, 0), (rows[0].Edges, rows[0].Components, rows[0].LargestComponentFraction, rows[0].Isolated));
        Assert.Equal(2.0 / 6, rows[0].PairFraction, 12);
        Assert.Equal((3, 1, 1.0, 1.5, 2), (rows[1].Edges, rows[1].Components, rows[1].LargestComponentFraction, rows[1].MeanDegree, rows[1].MaxDegree));
        Assert.Equal(0, rows[1].AverageClustering);
        Assert.Throws<SelfSimException>(() => FeatureGraphScan.ScalesAtPairFractions(d, 4, 1.5));
    }

    [Fact]
    public void Principal_plane_of_collinear_points_has_zero_second_coordinate()
    {
        var pts = tensor(new float[] { 0, 0, 0, 1, 2, 3, 2, 4, 6, 3, 6, 9 }, new long[] { 4, 3 });
        var (x, y) = FeatureGraphScan.PrincipalPlane(pts);
        Assert.All(y, v => Assert.True(Math.Abs(v) < 1e-6));
        Assert.Equal(Math.Sqrt(14), Math.Abs(x[1] - x[0]), 6);
        var g = CsrGraph.FromEdges(4, new[] { (0, 1), (1, 2) });
        var json = Plotly.NET.GenericChart.toFigureJson(FeatureGraphScan.Picture(g, x, y, "graph"));
        Assert.Contains("2 edges", json);
    }
}

public sealed class KnownDimensionTests
{
    /// <summary>
    /// The exact box cover's log-log d_B on 2000 points: over large boxes (N_B between 0.5% and 5% of n) it comes close to
    /// the known dimension (measured: line 0.96, Sierpinski 1.50, square 1.68, cube 2.33); the default range (0.2% to
    /// 10% of n) is a little lower (0.95, 1.44, 1.64, 2.23). Both stay below the truth and in its order; the gap grows
    /// with the dimension, because 2000 points fill a cube far more sparsely than a line.
    /// </summary>
    [Fact]
    public void Exact_box_cover_recovers_point_set_dimensions_over_large_boxes()
    {
        var sets = new[] { KnownDimensionSets.Line(2000, 1), KnownDimensionSets.SierpinskiTriangle(2000, 1), KnownDimensionSets.Square(2000, 1), KnownDimensionSets.Cube(2000, 1) };
        var large = new double[4];
        for (int i = 0; i < sets.Length; i++)
        {
            using var t = sets[i].ToTensor();
            var cover = BoxCover.Compute(t);
            large[i] = BoxDimensionFitter.LogLogByBoxes(cover, 0.005, 0.05).Dimension.Value;
            var byDefault = BoxDimensionFitter.LogLogByBoxes(cover).Dimension.Value;
            Assert.InRange(byDefault, sets[i].Dimension - 0.85, sets[i].Dimension + 0.05);
        }
        Assert.InRange(large[0], 0.9, 1.1);
        Assert.InRange(large[1], 1.585 - 0.15, 1.585 + 0.15);
        Assert.InRange(large[2], 2.0 - 0.4, 2.0 + 0.1);
        Assert.InRange(large[3], 3.0 - 0.8, 3.0 + 0.1);
        Assert.True(large[0] < large[1] && large[1] < large[2] && large[2] < large[3], "the estimates keep the order of the true dimensions");
    }

    [Fact]
    public void Point_sets_are_seeded_and_in_the_unit_box()
    {
        Assert.Equal(KnownDimensionSets.SierpinskiTriangle(100, 4).Data, KnownDimensionSets.SierpinskiTriangle(100, 4).Data);
        Assert.NotEqual(KnownDimensionSets.Square(100, 4).Data, KnownDimensionSets.Square(100, 5).Data);
        Assert.All(KnownDimensionSets.Cube(50).Data, v => Assert.InRange(v, 0f, 1f));
        Assert.All(KnownDimensionSets.Line(50).Data.Where((_, i) => i % 2 == 1), v => Assert.Equal(0f, v));
        Assert.Throws<SelfSimException>(() => KnownDimensionSets.Square(3));
    }
}

[Collection(SelfSim.Tests.Training.TorchRngCollection.Name)]
public sealed class MlpFeatureLabTests
{
    [Fact]
    public void Trains_briefly_and_captures_every_hook_point()
    {
        var lab = MlpFeatureLab.TrainAndCapture(epochs: 1, trainSamples: 256, probeSamples: 32, seed: 1, device: "cpu", dataDir: RepoPaths.Data, threads: 1);
        Assert.Equal(new[] { "stem", "blocks.0", "blocks.1", "blocks.2", "blocks.3", "blocks.4" }, lab.Layers.Select(l => l.Name).ToArray());
        Assert.All(lab.Layers, l =>
        {
            Assert.Equal((256, 32), (l.Nodes, l.Samples));
            Assert.Equal("float32", l.Precision);
            Assert.True(TorchSharp.torch.isfinite(l.Features).all().item<bool>());
        });
        Assert.InRange(lab.TestTop1, 0, 100);
        Assert.Single(lab.Report.Epochs);
        // the summary row agrees with the measures it wraps
        var (row, cover, s) = LayerMeasures.OfWithCurves(lab["blocks.2"]);
        var t = lab["blocks.2"].Features;
        Assert.Equal(Srate.Rate(t), row.S, 12);
        Assert.Equal(BoxDimensionFitter.LogLogByBoxes(cover!).Dimension.Value, row.BoxDimension.Value, 12);
        Assert.True(row.NormalisedSlope.Lower < row.NormalisedSlope.Value && row.NormalisedSlope.Value < row.NormalisedSlope.Upper);
        Assert.Equal(BoxDimensionFitter.LogLogByBoxes(s!).Dimension, row.SrateBoxDimension);
        Assert.Equal(256 * 256, lab["stem"].DistanceArray().Length);
        Assert.Throws<SelfSimException>(() => lab["head"]);

        // the notebooks' cache: a round trip keeps every value; a file in the layout written before the lab returned
        // node matrices (float32 rows, by hand here) loads as node matrices; another key is not used
        using var dir = new SelfSim.Tests.Training.TempDir();
        var key = MlpFeatureLabCache.Key(1, 256, 32, seed: 1);
        var path = System.IO.Path.Combine(dir.Path, "lab.bin");
        MlpFeatureLabCache.Save(path, key, lab);
        using (var back = MlpFeatureLabCache.Load(path, key)!)
        {
            Assert.Equal(lab.Layers.Select(l => l.Name), back.Layers.Select(l => l.Name));
            Assert.True(lab["blocks.2"].Features.equal(back["blocks.2"].Features).all().item<bool>());
            Assert.Equal(lab.TestTop1, back.TestTop1);
        }
        Assert.Null(MlpFeatureLabCache.Load(path, MlpFeatureLabCache.Key(2, 256, 32, seed: 1)));
        var earlier = System.IO.Path.Combine(dir.Path, "earlier.bin");
        using (var w = new System.IO.BinaryWriter(System.IO.File.Create(earlier), System.Text.Encoding.UTF8))
        {
            w.Write(key);
            w.Write(System.Text.Json.JsonSerializer.Serialize(lab.Report, RunLog.Json));
            w.Write(lab.TestTop1); w.Write(lab.TrainSeconds); w.Write(1); w.Write(256); w.Write(32);
            w.Write(1);
            var data = Enumerable.Range(0, 3 * 4).Select(i => i * 0.5f).ToArray();
            w.Write("blocks.9"); w.Write(3); w.Write(4); w.Write(data.Length);
            var bytes = new byte[data.Length * sizeof(float)];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            w.Write(bytes);
        }
        using (var old = MlpFeatureLabCache.Load(earlier, key)!)
        {
            var m = old["blocks.9"];
            Assert.Equal((3, 4, "float32"), (m.Nodes, m.Samples, m.Precision));
            Assert.Equal(5.5f, m.Features[2, 3].item<float>());
            Assert.Equal(2.0, m.DistanceArray()[1], 12);   // rows 0..3 and 2..3.5 over 0.5 steps: ‖(2,2,2,2)‖/√4
        }
        Assert.Throws<SelfSimException>(() => MlpFeatureLab.TrainAndCapture(1, 256, probeSamples: 1, dataDir: RepoPaths.Data));
    }
}

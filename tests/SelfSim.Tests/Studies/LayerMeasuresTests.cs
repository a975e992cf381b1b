using System;
using System.Collections.Generic;
using System.Linq;
using SelfSim.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Studies;

[Collection(TorchRngCollection.Name)]
public class LayerMeasuresTests
{
    /// <summary>n equally spaced points on a line (embedded in 3 columns).</summary>
    static Tensor Line(int n) => tensor(Enumerable.Range(0, n).SelectMany(i => new[] { (float)i, 0f, 0f }).ToArray(), new long[] { n, 3 });

    /// <summary>A side × side square grid (embedded in 3 columns).</summary>
    static Tensor Grid(int side) => tensor(Enumerable.Range(0, side * side).SelectMany(k => new[] { (float)(k / side), (float)(k % side), 0f }).ToArray(), new long[] { side * side, 3 });

    [Fact]
    public void Box_dimension_of_a_line_is_about_one_and_of_a_grid_about_two()
    {
        var line = LayerMeasures.Of(NodeMatrix.FromTensor("line", Line(128)), "toy", 0, 2);
        var grid = LayerMeasures.Of(NodeMatrix.FromTensor("grid", Grid(16)), "toy", 1, 2);
        // 3 samples, two of them all zero: too few distinct samples for the samples' TwoNN, and only that is noted
        Assert.StartsWith("sample TwoNN: the samples of line: only 2 distinct points", line.Note);
        // Over the default large-box range the fitted slopes come near the true dimensions (1.05 and 1.59 measured on sets
        // this small: 128 and 256 points); the grid's is clearly above the line's.
        Assert.InRange(line.BoxDimension, 0.85, 1.15);
        Assert.InRange(grid.BoxDimension, 1.3, 2.1);
        Assert.InRange(grid.BoxDimension / line.BoxDimension, 1.3, 2.4);
        Assert.True(line.BoxDimensionLow <= line.BoxDimension && line.BoxDimension <= line.BoxDimensionHigh);
        Assert.Equal(128, line.Nodes);
        Assert.Equal(3, line.Samples);
        Assert.Equal(0.0, line.Depth);
        Assert.Equal(1.0, grid.Depth);
    }

    [Fact]
    public void Measures_equal_the_measures_library_computed_directly()
    {
        var g = new Generator(5);
        var x = randn(new long[] { 40, 24 }, generator: g);
        var m = LayerMeasures.Of(NodeMatrix.FromTensor("random", x.clone()), "toy");
        Assert.Equal(Srate.Rate(x), m.S, 12);
        var cover = BoxCover.Compute(x);
        var fit = BoxDimensionFit.LogLogByBoxes(cover);
        Assert.Equal(fit.Dimension, m.BoxDimension, 12);
        Assert.Equal(fit.Lower, m.BoxDimensionLow, 12);
        Assert.Equal(fit.RSquared, m.FitRSquared, 12);
        Assert.Equal(BoxDimensionFit.Normalised(cover).Slope, m.NormalisedSlope, 12);
        var (lo, hi, _) = BoxCurveFits.NormalisedSlopeInterval(BoxDimensionFit.Normalised(cover));
        Assert.Equal((lo, hi), (m.NormalisedSlopeLow, m.NormalisedSlopeHigh));
        var srateFit = BoxCurveFits.Srate(Srate.Measure(x));
        Assert.Equal(srateFit.Dimension, m.SrateBoxDimension, 12);
        Assert.Equal(srateFit.Upper, m.SrateBoxDimensionHigh, 12);
        Assert.Equal(("float32", "float32"), (m.Precision, m.SratePrecision));
        // the dimensions beside S: the nodes' TwoNN and correlation dimension (from the same Srate curve), the samples' TwoNN
        using var nodes = PointCloud.FromRows(x);
        Assert.Equal(TwoNn.Measure(nodes).Dimension, m.NodeTwoNn);
        Assert.Equal(CorrelationDimension.FromSrate(Srate.Measure(x)).Dimension, m.NodeCorrelationDimension);
        using var samples = PointCloud.FromRows(x.T);
        Assert.Equal(TwoNn.Measure(samples).Dimension, m.SampleTwoNn);
        Assert.True(double.IsNaN(m.WeightAlpha));                       // no model, no weights
    }

    [Fact]
    public void Identical_nodes_give_NaN_with_a_note_and_NaN_activations_throw()
    {
        var same = ones(10, 4);
        var m = LayerMeasures.Of(NodeMatrix.FromTensor("flat", same), "toy");
        Assert.True(double.IsNaN(m.S));
        Assert.True(double.IsNaN(m.BoxDimension));
        Assert.NotNull(m.Note);
        Assert.Contains("identical", m.Note);
        Assert.Null(m.NodeTwoNn);
        Assert.Contains("node TwoNN: the nodes of flat: all 10 points are identical", m.Note);

        var bad = randn(10, 4);
        bad[3, 1] = tensor(float.NaN);
        // a captured matrix is not checked when made; the measures check it and name the layer
        var e = Assert.Throws<SelfSimException>(() => LayerMeasures.Of(NodeMatrix.FromLayerOutput("nan", bad.t()), "toy"));
        Assert.Contains("NaN", e.Message);
        Assert.Contains("toy/nan", e.Message);
    }

    [Fact]
    public void Measure_covers_every_hook_point_with_channel_nodes_and_restores_training_mode()
    {
        torch.manual_seed(3);
        using var model = ModelZoo.Create("vgg", ModelScale.Cpu, 1, 28, 10);
        model.train();
        var probe = randn(new long[] { 20, 1, 28, 28 }, generator: new Generator(9));
        var rows = LayerMeasures.Survey(model, probe);
        Assert.True(model.training);
        Assert.Equal(model.HookPoints, rows.Select(r => r.Layer).ToArray());
        Assert.All(rows, r => Assert.Equal(20, r.Samples));
        Assert.Equal(Enumerable.Range(0, rows.Count), rows.Select(r => r.Index));
        Assert.Equal(1.0, rows[^1].Depth);
        // weight α of each hook point's last weight matrix; its TwoNN columns are filled
        var first = WeightSpectra.OfModule(model.HookModule(rows[0].Layer), rows[0].Layer)!;
        Assert.Equal(first.Alpha, rows[0].WeightAlpha);
        Assert.All(rows, r => Assert.NotNull(r.SampleTwoNn));

        // the same numbers as capturing the first layer by hand in eval mode
        using (var cap = FeatureCapture.Attach(model, new[] { model.HookPoints[0] }))
        {
            model.eval();
            using (no_grad()) model.call(probe);
            Assert.Equal(cap[model.HookPoints[0]].shape[0], rows[0].Nodes);
            Assert.Equal(Srate.Rate(cap[model.HookPoints[0]]), rows[0].S, 12);
            model.train();
        }
    }

    [Fact]
    public void Probe_batch_is_normalised_and_rejects_bad_sizes()
    {
        var (train, _) = TrainerTests.Toy();
        var p = NodeMatrix.ProbeBatch(train, 16);
        Assert.Equal(new long[] { 16, 1, 8, 8 }, p.shape);
        var expected = (train.Images[0, 0, 0, 0].item<float>() - 0.5f) / 0.3f;
        Assert.Equal(expected, p[0, 0, 0, 0].item<float>(), 5);
        var e = Assert.Throws<SelfSimException>(() => NodeMatrix.ProbeBatch(train, 100000));
        Assert.Contains("pick between 2 and 256", e.Message);
    }

    [Fact]
    public void Box_cover_and_fits_keep_float64_while_S_is_measured_in_float32()
    {
        var x = randn(new long[] { 60, 16 }, dtype: ScalarType.Float64, generator: new Generator(11));
        var m = LayerMeasures.Of(NodeMatrix.FromTensor("f64", x.clone()), "toy");
        Assert.Equal("float64", m.Precision);
        Assert.Equal("float32", m.SratePrecision);
        // d_B from the float64 box cover, not from a float32 copy (the two covers' box sizes differ by ~1e-8)
        var cover64 = BoxCover.Compute(x);
        Assert.Equal(BoxDimensionFit.LogLogByBoxes(cover64).Dimension, m.BoxDimension, 14);
        using var x32 = x.to(ScalarType.Float32);
        Assert.Equal(Srate.Rate(x32), m.S, 14);
        var cover32 = BoxCover.Compute(x32);
        double maxDiff = cover64.BoxSizes.Zip(cover32.BoxSizes, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff > 0, "a float32 copy rounds the box sizes; the float64 cover must not");
    }

    [Fact]
    public void Too_few_nodes_give_NaN_and_a_note_instead_of_an_exception()
    {
        var m = LayerMeasures.Of(NodeMatrix.FromTensor("two", tensor(new float[] { 0, 0, 1, 1 }, new long[] { 2, 2 })), "toy");
        Assert.True(double.IsNaN(m.S));
        Assert.True(double.IsNaN(m.BoxDimension));
        Assert.Contains("S:", m.Note);
        Assert.Equal(2, m.Nodes);
    }

    [Fact]
    public void A_row_saved_in_the_earlier_format_loads_with_NaN_for_what_it_lacks()
    {
        const string earlier = "{\"architecture\":\"mlp\",\"layer\":\"blocks.0\",\"index\":0,\"layers\":5,\"nodes\":256," +
            "\"samples\":256,\"s\":0.31,\"boxDimension\":2.5,\"boxDimensionLow\":2.2,\"boxDimensionHigh\":2.8," +
            "\"fitRSquared\":0.98,\"normalisedSlope\":-1.2,\"note\":null}";
        var row = System.Text.Json.JsonSerializer.Deserialize<LayerMeasures>(earlier, RunLog.Json)!.UpgradedFromEarlierFormat();
        Assert.Equal((0.31, 2.5, 2.2, -1.2), (row.S, row.BoxDimension, row.BoxDimensionLow, row.NormalisedSlope));
        Assert.Equal("float32", row.Precision);
        Assert.True(double.IsNaN(row.SrateBoxDimension) && double.IsNaN(row.NormalisedSlopeLow));
        Assert.Contains("earlier version", row.Note);
        // a current row round-trips unchanged
        var now = row with { Precision = "float64", SrateBoxDimension = 2.4, Note = null };
        var back = System.Text.Json.JsonSerializer.Deserialize<LayerMeasures>(
            System.Text.Json.JsonSerializer.Serialize(now, RunLog.Json), RunLog.Json)!.UpgradedFromEarlierFormat();
        Assert.Equal(2.4, back.SrateBoxDimension);
        Assert.Null(back.Note);
    }
}

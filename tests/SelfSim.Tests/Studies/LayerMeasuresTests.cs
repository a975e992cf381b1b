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
        Assert.InRange(line.BoxDimension.Value, 0.85, 1.15);
        Assert.InRange(grid.BoxDimension.Value, 1.3, 2.1);
        Assert.InRange(grid.BoxDimension.Value / line.BoxDimension.Value, 1.3, 2.4);
        Assert.True(line.BoxDimension.Lower <= line.BoxDimension.Value && line.BoxDimension.Value <= line.BoxDimension.Upper);
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
        var fit = BoxDimensionFitter.LogLogByBoxes(cover);
        Assert.Equal(fit.Dimension, m.BoxDimension);
        Assert.Equal(fit.RSquared, m.FitRSquared, 12);
        Assert.Equal(BoxDimensionFitter.Normalised(cover).Slope, m.NormalisedSlope.Value, 12);
        Assert.Equal(BoxDimensionFitter.Normalised(cover).SlopeInterval(), m.NormalisedSlope);
        var srateFit = BoxDimensionFitter.LogLogByBoxes(Srate.Measure(x));
        Assert.Equal(srateFit.Dimension, m.SrateBoxDimension);
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
        Assert.True(double.IsNaN(m.BoxDimension.Value));
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
        Assert.Equal(BoxDimensionFitter.LogLogByBoxes(cover64).Dimension.Value, m.BoxDimension.Value, 14);
        using var x32 = x.to(ScalarType.Float32);
        Assert.Equal(Srate.Rate(x32), m.S, 14);
        var cover32 = BoxCover.Compute(x32);
        double maxDiff = cover64.BoxSizes.Zip(cover32.BoxSizes, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(maxDiff > 0, "a float32 copy rounds the box sizes; the float64 cover must not");
    }

    [Fact]
    public void When_both_d_B_fits_fail_alike_the_note_says_it_once()
    {
        // 8 nodes: the box-count window [max(2, 0.2 %·8), 10 %·8] holds no count, for either curve
        torch.manual_seed(3);
        var m = LayerMeasures.Of(NodeMatrix.FromTensor("eight", randn(8, 6)), "toy");
        Assert.True(double.IsFinite(m.S));
        Assert.True(double.IsNaN(m.BoxDimension.Value) && double.IsNaN(m.SrateBoxDimension.Value));
        Assert.Contains("d_B (exact cover and Srate's curve): ", m.Note);
        Assert.DoesNotContain("Srate d_B: ", m.Note);
        Assert.False(m.Note!.StartsWith("d_B: ", StringComparison.Ordinal) || m.Note.Contains(" d_B: "), m.Note);
    }

    [Fact]
    public void Too_few_nodes_give_NaN_and_a_note_instead_of_an_exception()
    {
        var m = LayerMeasures.Of(NodeMatrix.FromTensor("two", tensor(new float[] { 0, 0, 1, 1 }, new long[] { 2, 2 })), "toy");
        Assert.True(double.IsNaN(m.S));
        Assert.True(double.IsNaN(m.BoxDimension.Value));
        Assert.Contains("S:", m.Note);
        Assert.Equal(2, m.Nodes);
    }

    [Fact]
    public void A_row_saved_in_the_earlier_format_loads_with_NaN_for_what_it_lacks()
    {
        const string earlier = "{\"architecture\":\"mlp\",\"layer\":\"blocks.0\",\"index\":0,\"layers\":5,\"nodes\":256," +
            "\"samples\":256,\"s\":0.31,\"boxDimension\":2.5,\"boxDimensionLow\":2.2,\"boxDimensionHigh\":2.8," +
            "\"fitRSquared\":0.98,\"normalisedSlope\":-1.2,\"note\":null}";
        var row = LayerMeasures.FromJson(System.Text.Json.Nodes.JsonNode.Parse(earlier)!);
        Assert.Equal((0.31, 2.5, 2.2, 2.8, -1.2),
            (row.S, row.BoxDimension.Value, row.BoxDimension.Lower, row.BoxDimension.Upper, row.NormalisedSlope.Value));
        Assert.Equal("float32", row.Precision);
        Assert.True(double.IsNaN(row.SrateBoxDimension.Value) && double.IsNaN(row.NormalisedSlope.Lower));
        Assert.Contains("earlier version", row.Note);
        // the second form: precision, and each interval as three flat numbers (NaN saved as a string)
        const string flat = "{\"architecture\":\"mlp\",\"layer\":\"blocks.1\",\"index\":1,\"layers\":5,\"nodes\":256," +
            "\"samples\":256,\"precision\":\"float64\",\"s\":0.2,\"normalisedSlope\":-1.1,\"normalisedSlopeLow\":-1.3," +
            "\"normalisedSlopeHigh\":-0.9,\"boxDimension\":2.5,\"boxDimensionLow\":2.2,\"boxDimensionHigh\":2.8," +
            "\"fitRSquared\":0.98,\"srateBoxDimension\":\"NaN\",\"srateBoxDimensionLow\":\"NaN\"," +
            "\"srateBoxDimensionHigh\":\"NaN\",\"note\":null}";
        var second = LayerMeasures.FromJson(System.Text.Json.Nodes.JsonNode.Parse(flat)!);
        Assert.Equal(new Estimate(-1.1, double.NaN, -1.3, -0.9), second.NormalisedSlope);
        Assert.True(double.IsNaN(second.SrateBoxDimension.Value));
        Assert.Equal(("float64", null), (second.Precision, second.Note));
        // a current row round-trips unchanged
        var now = row with { Precision = "float64", SrateBoxDimension = new Estimate(2.4, 0.1, 2.2, 2.6), Note = null };
        var back = LayerMeasures.FromJson(System.Text.Json.Nodes.JsonNode.Parse(
            System.Text.Json.JsonSerializer.Serialize(now, RunLog.Json))!);
        Assert.Equal(new Estimate(2.4, 0.1, 2.2, 2.6), back.SrateBoxDimension);
        Assert.Null(back.Note);
    }
}

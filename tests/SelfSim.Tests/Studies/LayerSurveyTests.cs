using System;
using System.Collections.Generic;
using System.Linq;
using SelfSim.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Studies;

[Collection(TorchRngCollection.Name)]
public class LayerSurveyTests
{
    /// <summary>n equally spaced points on a line (embedded in 3 columns).</summary>
    static Tensor Line(int n) => tensor(Enumerable.Range(0, n).SelectMany(i => new[] { (float)i, 0f, 0f }).ToArray(), new long[] { n, 3 });

    /// <summary>A side × side square grid (embedded in 3 columns).</summary>
    static Tensor Grid(int side) => tensor(Enumerable.Range(0, side * side).SelectMany(k => new[] { (float)(k / side), (float)(k % side), 0f }).ToArray(), new long[] { side * side, 3 });

    [Fact]
    public void Box_dimension_of_a_line_is_about_one_and_of_a_grid_about_two()
    {
        var line = LayerSurvey.MeasureNodes("toy", "line", 0, 2, Line(128));
        var grid = LayerSurvey.MeasureNodes("toy", "grid", 1, 2, Grid(16));
        Assert.Null(line.Note);
        // Greedy complete linkage packs l_B + 1 points of a line per box (N_B ≈ n/(1 + l_B)), so on sets this small the
        // fitted slopes sit below the true dimensions (0.79 and 1.39 here); the grid's is still about twice the line's.
        Assert.InRange(line.BoxDimension, 0.7, 1.0);
        Assert.InRange(grid.BoxDimension, 1.3, 2.1);
        Assert.InRange(grid.BoxDimension / line.BoxDimension, 1.6, 2.4);
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
        var m = LayerSurvey.MeasureNodes("toy", "random", 0, 1, x);
        Assert.Equal(Srate.Rate(x), m.S, 12);
        var cover = BoxCover.Compute(x);
        var fit = BoxDimensionFit.LogLogByBoxes(cover);
        Assert.Equal(fit.Dimension, m.BoxDimension, 12);
        Assert.Equal(fit.Lower, m.BoxDimensionLow, 12);
        Assert.Equal(fit.RSquared, m.FitRSquared, 12);
        Assert.Equal(BoxDimensionFit.Normalised(cover).Slope, m.NormalisedSlope, 12);
    }

    [Fact]
    public void Identical_nodes_give_NaN_with_a_note_and_NaN_activations_throw()
    {
        var same = ones(10, 4);
        var m = LayerSurvey.MeasureNodes("toy", "flat", 0, 1, same);
        Assert.True(double.IsNaN(m.S));
        Assert.True(double.IsNaN(m.BoxDimension));
        Assert.NotNull(m.Note);
        Assert.Contains("identical", m.Note);

        var bad = randn(10, 4);
        bad[3, 1] = tensor(float.NaN);
        var e = Assert.Throws<SelfSimException>(() => LayerSurvey.MeasureNodes("toy", "nan", 0, 1, bad));
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
        var rows = LayerSurvey.Measure(model, probe);
        Assert.True(model.training);
        Assert.Equal(model.HookPoints, rows.Select(r => r.Layer).ToArray());
        Assert.All(rows, r => Assert.Equal(20, r.Samples));
        Assert.Equal(Enumerable.Range(0, rows.Count), rows.Select(r => r.Index));
        Assert.Equal(1.0, rows[^1].Depth);

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
        var p = LayerSurvey.ProbeBatch(train, 16);
        Assert.Equal(new long[] { 16, 1, 8, 8 }, p.shape);
        var expected = (train.Images[0, 0, 0, 0].item<float>() - 0.5f) / 0.3f;
        Assert.Equal(expected, p[0, 0, 0, 0].item<float>(), 5);
        var e = Assert.Throws<SelfSimException>(() => LayerSurvey.ProbeBatch(train, 100000));
        Assert.Contains("pick between 2 and 256", e.Message);
    }
}

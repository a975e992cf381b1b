using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Dimensions;

public class PointCloudTests
{
    [Fact]
    public void Duplicate_points_are_kept_once_with_a_warning_and_the_count_never_NaN()
    {
        using var x = PointClouds.Subspace(400, 2, 5, seed: 5);
        using var dup = cat(new[] { x, x.narrow(0, 0, 30), x.narrow(0, 0, 10) }, 0);   // 40 repeats
        using var c = PointCloud.FromRows(dup);
        Assert.Equal(40, c.Duplicates);
        Assert.Equal(400, c.Points);
        Assert.Contains(c.Warnings, w => w.StartsWith("40 of 440 points repeat another exactly"));
        using var plain = PointCloud.FromRows(x);
        var t = TwoNn.Measure(c);
        Assert.True(double.IsFinite(t.Dimension.Value) && double.IsFinite(t.Dimension.Upper));
        Assert.Equal(TwoNn.Measure(plain).Dimension.Value, t.Dimension.Value, 12);   // the same distinct points
        Assert.Equal(40, t.Duplicates);
        Assert.Contains(t.Warnings, w => w.Contains("zero distances"));
        Assert.True(double.IsFinite(LevinaBickelMle.Measure(c).Dimension.Value));
        Assert.True(double.IsFinite(CorrelationDimension.Measure(c).Dimension.Value));
    }

    [Fact]
    public void A_single_point_is_a_clear_error()
    {
        using var x = ones(1, 4);
        var e = Assert.Throws<SelfSimException>(() => PointCloud.FromRows(x, "the samples"));
        Assert.StartsWith("the samples: 1 point(s)", e.Message);
    }

    [Fact]
    public void Constant_columns_warn_and_all_constant_is_a_clear_error()
    {
        using var same = ones(50, 3) * 2;
        var e = Assert.Throws<SelfSimException>(() => PointCloud.FromRows(same));
        Assert.Contains("all 50 points are identical (every one of the 3 columns is constant)", e.Message);

        using var x = PointClouds.Subspace(100, 2, 2, seed: 1);
        using var padded = cat(new[] { x, full(100, 1, 7.0, dtype: ScalarType.Float64) }, 1);
        using var c = PointCloud.FromRows(padded);
        Assert.Contains(c.Warnings, w => w.StartsWith("1 of 3 columns are constant"));
    }

    [Fact]
    public void NaN_is_a_clear_error_naming_the_row()
    {
        using var x = PointClouds.Subspace(20, 2, 3, seed: 1);
        x[7, 1] = tensor(double.NaN);
        var e = Assert.Throws<SelfSimException>(() => PointCloud.FromRows(x));
        Assert.Contains("1 NaN and 0 Inf value(s) (first in row 7)", e.Message);
    }

    [Fact]
    public void The_samples_view_is_the_node_matrix_transposed()
    {
        using var x = PointClouds.Subspace(30, 3, 8, seed: 2);          // 30 nodes × 8 samples
        using var m = NodeMatrix.FromTensor("layer", x.clone());
        using var nodes = PointCloud.Of(m, PointView.Nodes);
        using var samples = PointCloud.Of(m, PointView.Samples);
        Assert.Equal((30, 8), (nodes.Points, nodes.Coordinates));
        Assert.Equal((8, 30), (samples.Points, samples.Coordinates));
        var near = nodes.NearestDistances(2);
        var row0 = Enumerable.Range(1, 29).Select(j => nodes.Distances[j]).OrderBy(v => v).Take(2).ToArray();
        Assert.Equal(row0, near[0]);
    }
}

using System;
using Xunit;

namespace SelfSim.Tests.Dimensions;

public class LevinaBickelMleTests
{
    [Theory]
    [InlineData(2, 10)]
    [InlineData(5, 20)]
    public void Recovers_the_dimension_of_a_linear_subspace_within_10_percent(int d, int ambient)
    {
        using var x = PointClouds.Subspace(1000, d, ambient, seed: 10 + d);
        using var c = PointCloud.FromRows(x);
        var r = LevinaBickelMle.Measure(c);
        Assert.InRange(r.Dimension.Value, 0.9 * d, 1.1 * d);
        Assert.True(r.Dimension.Lower < r.Dimension.Value && r.Dimension.Value < r.Dimension.Upper);
        Assert.Equal(LevinaBickelMle.DefaultNeighbours, r.Neighbours);
    }

    [Fact]
    public void Recovers_the_two_dimensions_of_a_swiss_roll()
    {
        using var x = PointClouds.SwissRoll(1000, seed: 4);
        using var c = PointCloud.FromRows(x);
        Assert.InRange(LevinaBickelMle.Measure(c, neighbours: 10).Dimension.Value, 1.8, 2.2);
    }

    [Fact]
    public void Too_many_neighbours_for_the_points_is_a_clear_error()
    {
        using var x = PointClouds.Subspace(15, 2, 3, seed: 0);
        using var c = PointCloud.FromRows(x);
        var e = Assert.Throws<SelfSimException>(() => LevinaBickelMle.Measure(c, neighbours: 20));
        Assert.Contains("Lower k", e.Message);
    }
}

using System.Linq;
using Xunit;

namespace SelfSim.Tests.Studies;

/// <summary>shared/studies/KnownDimensionSets.csx: point sets of known dimension, and the exact box cover on them.</summary>
public sealed class KnownDimensionSetsTests
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

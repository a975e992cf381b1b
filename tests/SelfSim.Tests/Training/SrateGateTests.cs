using Xunit;

namespace SelfSim.Tests.Training;

public class SrateGateTests
{
    [Theory]
    // z = 1 - min(|S - S_old| / S_old, c) / c, hand-computed
    [InlineData(0.2, 0.2, 0.05, 1.0)]
    [InlineData(0.205, 0.2, 0.05, 0.5)]    // change 2.5 %: half way to the limit
    [InlineData(0.195, 0.2, 0.05, 0.5)]
    [InlineData(0.19, 0.2, 0.05, 0.0)]     // change 5 % = c
    [InlineData(0.30, 0.2, 0.05, 0.0)]     // beyond c: clipped
    [InlineData(0.41, 0.4, 0.1, 0.75)]    // change 2.5 % of c = 10 %
    [InlineData(0.5, 0.0, 0.05, 0.0)]      // no reference value: no pull (the reference's falsy old_ss)
    public void Gate_formula_matches_hand_computed_values(double s, double old, double c, double z) =>
        Assert.Equal(z, SrateGate.Formula(s, old, c), 12);

    [Fact]
    public void Gate_is_closed_in_epoch_0_and_S_old_refreshes_every_sample_every_epochs()
    {
        var g = new SrateGate(sampleEvery: 3, changeLimit: 0.05);
        Assert.Equal(0.0, g.Z(0.2));            // epoch 0: no S_old yet
        g.EndEpoch(0, 0.20);
        Assert.Equal(0.20, g.OldS);
        Assert.Equal(0.5, g.Z(0.205), 12);
        g.EndEpoch(1, 0.30);
        g.EndEpoch(2, 0.31);
        Assert.Equal(0.20, g.OldS);             // 2 - 0 < 3
        g.EndEpoch(3, 0.40);
        Assert.Equal(0.40, g.OldS);             // 3 - 0 >= 3
        Assert.Equal(3, g.OldEpoch);
        g.EndEpoch(4, 0.5); g.EndEpoch(5, 0.5);
        Assert.Equal(0.40, g.OldS);
        g.EndEpoch(6, 0.45);
        Assert.Equal(0.45, g.OldS);
        g.EndEpoch(7, double.NaN);              // a NaN epoch mean never replaces S_old
        Assert.Equal(0.45, g.OldS);
    }

}

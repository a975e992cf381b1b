using System.Linq;
using Xunit;

namespace SelfSim.Tests.Studies;

public class SurveySeedsTests
{
    static (string, double)[] Groups(params (string Name, double[] Values)[] g) =>
        g.SelectMany(x => x.Values.Select(v => (x.Name, v))).ToArray();

    [Fact]
    public void Anova_matches_scipy_f_oneway()
    {
        // scipy.stats.f_oneway([1,2,3],[4,5,6]) = (13.5, 0.02131164112875672)
        var a = SurveySeeds.Anova(Groups(("a", new[] { 1.0, 2, 3 }), ("b", new[] { 4.0, 5, 6 })));
        Assert.Equal(13.5, a.F, 12);
        Assert.Equal(0.02131164112875672, a.P, 10);
        Assert.Equal((1, 4), (a.DfBetween, a.DfWithin));
        Assert.Equal(13.5 / 17.5, a.EtaSquared, 12);
        // f_oneway([.21,.23,.22,.20],[.25,.24,.26,.27],[.22,.30,.18,.25]) = (1.6685878962536023, 0.2418913864542458)
        var b = SurveySeeds.Anova(Groups(("mlp", new[] { 0.21, 0.23, 0.22, 0.20 }), ("vit", new[] { 0.25, 0.24, 0.26, 0.27 }),
                                         ("vgg", new[] { 0.22, 0.30, 0.18, 0.25 })));
        Assert.Equal(1.6685878962536023, b.F, 10);
        Assert.Equal(0.2418913864542458, b.P, 9);
    }

    [Fact]
    public void One_seed_per_architecture_is_refused_with_the_fix()
    {
        var e = Assert.Throws<SelfSimException>(() => SurveySeeds.Anova(Groups(("a", new[] { 1.0 }), ("b", new[] { 2.0 }))));
        Assert.Contains("2 or more seeds", e.Message);
    }
}

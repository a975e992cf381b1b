using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Studies;

/// <summary>The pre-registered decision rule of issue 20 on hand-made runs whose verdict is known.</summary>
public class ExperimentDecisionTests
{
    static readonly DecisionArms Arms = new(new[] { "l1", "l2", "l3" }, "opp", "ctrl", "l2");

    // Per arm: Δ top-1 per seed and late S; the baseline has top-1 80 + seed/10 and S 0.20.
    static List<ArmRun> Runs(Dictionary<string, (double[] Gain, double S, double Target)> arms)
    {
        var runs = new List<ArmRun>();
        for (int seed = 0; seed < 4; seed++)
        {
            double b = 80 + seed / 10.0;
            runs.Add(new ArmRun("baseline", seed, b, 99, 0.2, 10) { LateS = 0.20 + seed * 1e-3 });
            foreach (var (name, (gain, s, target)) in arms)
                runs.Add(new ArmRun(name, seed, b + gain[seed], 99, s, 10)
                { LateS = s + seed * 1e-3 + (seed % 2) * 1e-4, Target = target, GradRatio = 0.5, BestTop1 = b + gain[seed] });
        }
        foreach (var r in runs.Where(r => r.Arm == "baseline").ToList()) { runs.Remove(r); runs.Add(r with { BestTop1 = r.Top1 }); }
        return runs;
    }

    static Dictionary<string, (double[], double, double)> Supported() => new()
    {
        ["l1"] = (new[] { 0.1, 0.2, 0.1, 0.2 }, 0.21, 0.3),
        ["l2"] = (new[] { 0.5, 0.6, 0.6, 0.7 }, 0.25, 0.3),
        ["l3"] = (new[] { 0.9, 1.0, 0.8, 1.1 }, 0.28, 0.3),
        ["opp"] = (new[] { -0.1, 0.0, -0.2, 0.1 }, 0.15, 0.1),
        ["ctrl"] = (new[] { 0.0, 0.1, -0.1, 0.0 }, 0.20, 0.3),
    };

    [Fact]
    public void All_four_conditions_holding_support_the_claim()
    {
        var v = ExperimentDecision.Decide(Runs(Supported()), Arms);
        Assert.All(v.Checks, c => Assert.True(c.Holds, c.Condition + ": " + c.Evidence));
        Assert.StartsWith("Supported", v.Verdict);
        Assert.Contains("l2: Δ final +0.60 [", v.Checks[1].Evidence); // (0.5+0.6+0.6+0.7)/4
    }

    [Fact]
    public void A_scale_control_that_gains_as_much_makes_the_effect_not_specific()
    {
        var arms = Supported();
        arms["ctrl"] = (new[] { 0.5, 0.6, 0.5, 0.7 }, 0.20, 0.3);
        var v = ExperimentDecision.Decide(Runs(arms), Arms);
        Assert.False(v.Checks[3].Holds);
        Assert.Contains("scale control", v.Verdict);
    }

    [Fact]
    public void No_gain_with_S_moved_is_not_supported_and_an_unmoved_S_is_no_test()
    {
        var arms = Supported();
        foreach (var k in new[] { "l1", "l2", "l3" }) arms[k] = (new[] { 0.1, -0.2, 0.0, 0.05 }, arms[k].Item2, 0.3);
        var v = ExperimentDecision.Decide(Runs(arms), Arms);
        Assert.True(v.Checks[0].Holds);
        Assert.False(v.Checks[1].Holds);
        Assert.StartsWith("Not supported: the constraint moved S", v.Verdict);

        arms = Supported();
        arms["l3"] = (arms["l3"].Item1, 0.20, 0.3); // S did not move in the strongest arm
        var none = ExperimentDecision.Decide(Runs(arms), Arms);
        Assert.False(none.Checks[0].Holds);
        Assert.Contains("cannot test the claim", none.Verdict);
    }

    [Fact]
    public void A_grid_that_has_not_run_every_arm_is_undecided_not_an_error()
    {
        var arms = Supported();
        arms.Remove("l3"); arms.Remove("opp"); arms.Remove("ctrl");
        var v = ExperimentDecision.Decide(Runs(arms), Arms);
        Assert.Null(v.Checks[0].Holds);
        Assert.StartsWith("Undecided", v.Verdict);
    }
    [Fact]
    public void A_slice_without_controls_leaves_specificity_untested()
    {
        var arms = Supported();
        arms.Remove("opp"); arms.Remove("ctrl");
        var slice = new DecisionArms(new[] { "l1", "l2", "l3" });
        var v = ExperimentDecision.Decide(Runs(arms), slice);
        Assert.True(v.Checks[0].Holds);            // only l2 and l3 need to have moved S
        Assert.Null(v.Checks[3].Holds);
        Assert.StartsWith("not tested", v.Checks[3].Evidence);
        Assert.StartsWith("Supported on accuracy", v.Verdict);
        Assert.Contains("specificity was not tested", v.Verdict);

        foreach (var k in new[] { "l1", "l2", "l3" }) arms[k] = (new[] { 0.1, -0.2, 0.0, 0.05 }, arms[k].Item2, 0.3);
        Assert.StartsWith("Not supported", ExperimentDecision.Decide(Runs(arms), slice).Verdict);
    }
}

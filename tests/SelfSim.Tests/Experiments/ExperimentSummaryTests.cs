using System.Collections.Generic;
using Xunit;

namespace SelfSim.Tests.Experiments;

public class ExperimentSummaryTests
{
    [Theory]
    [InlineData(0.975, 1, 12.706204736)]
    [InlineData(0.975, 2, 4.302652730)]
    [InlineData(0.975, 4, 2.776445105)]
    [InlineData(0.975, 30, 2.042272456)]
    [InlineData(0.95, 10, 1.812461123)]
    public void Student_t_quantiles_match_tables(double p, int df, double t) =>
        Assert.Equal(t, StudentT.Quantile(p, df), 6);

    [Fact]
    public void Summary_has_mean_std_per_arm_and_paired_difference_with_t_interval()
    {
        var runs = new List<ArmRun>
        {
            new("baseline", 0, 97.0, 99.0, 0.20, 3), new("constrained", 0, 97.5, 99.1, 0.25, 3),
            new("baseline", 1, 97.5, 99.2, 0.22, 3), new("constrained", 1, 97.7, 99.3, 0.27, 3),
            new("baseline", 2, 98.0, 99.4, 0.24, 3), new("constrained", 2, 98.6, 99.5, 0.29, 3),
        };
        var df = ExperimentSummary.Summarize(runs);
        Assert.Equal(3, df.Rows.Count);
        Assert.Equal("baseline", df["arm"][0]);
        Assert.Equal("constrained", df["arm"][1]);
        Assert.Equal("constrained - baseline", df["arm"][2]);
        Assert.Equal(97.5, (double)df["top1_mean"][0]!, 10);
        Assert.Equal(0.5, (double)df["top1_std"][0]!, 10);              // sd of 97, 97.5, 98
        Assert.Equal(97.933333333, (double)df["top1_mean"][1]!, 8);
        Assert.Equal(0.22, (double)df["s_final_mean"][0]!, 10);
        Assert.Equal(0.02, (double)df["s_final_std"][0]!, 10);
        // differences 0.5, 0.2, 0.6: mean 0.433333, sd 0.208167, t(0.975, 2) = 4.302653, half-width 0.517114
        Assert.Equal(0.4333333333, (double)df["top1_mean"][2]!, 8);
        Assert.Equal(0.2081665999, (double)df["top1_std"][2]!, 8);
        Assert.Equal(0.4333333333 - 0.5171145, (double)df["diff_top1_ci_low"][2]!, 5);
        Assert.Equal(0.4333333333 + 0.5171145, (double)df["diff_top1_ci_high"][2]!, 5);
        Assert.Null(df["diff_top1_ci_low"][0]);
    }

    [Fact]
    public void Paired_difference_needs_matching_runs()
    {
        var e = Assert.Throws<SelfSimException>(() => ExperimentSummary.Paired(new[] { 1.0, 2.0 }, new[] { 1.0 }));
        Assert.Contains("Every seed needs both arms", e.Message);
        var one = ExperimentSummary.Paired(new[] { 1.0 }, new[] { 1.5 });
        Assert.Equal(0.5, one.Difference.Value, 12);
        Assert.True(double.IsNaN(one.Difference.Lower));
    }
}

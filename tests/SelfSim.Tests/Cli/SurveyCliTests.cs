using System.IO;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Cli;

/// <summary>`selfsim survey --summarize-only` on the committed seed survey: the numbers its README and chapters 04 and
/// 09 quote, from the CLI.</summary>
[Collection("Console")]
public class SurveyCliTests
{
    static readonly string Committed = Path.Combine(RepoPaths.Notebooks, "measured", "architecture-seeds");

    [Fact]
    public void Summary_prints_the_spread_the_anova_and_rho_per_seed()
    {
        var (code, stdout, err) = InProcessCli.Run("survey", "--out", Committed, "--summarize-only");
        Assert.True(code == 0, err);
        var lines = stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        Assert.Contains(lines, l => l.StartsWith("mlp") && l.Contains("0.2166") && l.Contains("[0.2000, 0.2332]"));
        Assert.Contains("ANOVA by architecture: F(6, 14) = 3.10, p = 0.0382, eta^2 = 0.57", stdout);
        // the same values as MeasureCorrelationsTests checks against scipy.stats.spearmanr
        Assert.Contains(lines, l => l.StartsWith("d_B (exact box cover)") && l.Contains("27,27,27")
            && l.Contains("0.067, 0.095, 0.111") && l.Contains("0.091") && l.EndsWith("[0.036, 0.145]"));
        Assert.Contains(lines, l => l.StartsWith("weight alpha") && l.Contains("0.148, -0.143, -0.235") && l.EndsWith("[-0.573, 0.420]"));
    }

    [Fact]
    public void A_missing_folder_names_the_command_that_makes_it()
    {
        var r = InProcessCli.Run("survey", "--out", Path.Combine(Path.GetTempPath(), "selfsim-no-such-survey"), "--summarize-only");
        InProcessCli.Refused(r, "No survey-seedK.json", "selfsim survey --seeds 0,1,2 --out");
    }
}

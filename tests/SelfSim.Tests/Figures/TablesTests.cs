using System.Collections.Generic;
using Xunit;

namespace SelfSim.Tests.FiguresTests;   // not .Figures: that would hide the Figures class

/// <summary>shared/figures/Tables.csx: how a record with <see cref="Estimate"/> properties becomes table columns.</summary>
public sealed class TablesTests
{
    sealed record Row(string Layer, Estimate BoxDimension, int Nodes);

    [Fact]
    public void An_estimate_shows_as_value_low_and_high_columns()
    {
        var row = new Row("blocks.2", new Estimate(2.4567, 0.1, 2.2345, 2.6789), 256);
        var html = Tables.Rows(new object[] { row }, "Layers", digits: 2);
        Assert.Contains("<th>Layer</th><th>BoxDimension</th><th>BoxDimension low</th><th>BoxDimension high</th><th>Nodes</th>", html);
        Assert.Contains("<td>2.46</td><td>2.23</td><td>2.68</td><td>256</td>", html);
        // labels key the ends as NameLow and NameHigh
        var one = Tables.Of(row, "One layer", digits: 2, labels: new Dictionary<string, string>
        {
            ["BoxDimension"] = "d_B",
            ["BoxDimensionLow"] = "d_B, 95% low",
            ["BoxDimensionHigh"] = "d_B, 95% high",
        });
        Assert.Contains("<th style=\"text-align:left\">d_B, 95% low</th><td>2.23</td>", one);
        Assert.Contains("<th style=\"text-align:left\">d_B, 95% high</th><td>2.68</td>", one);
        // an unmeasured estimate shows as dashes, not as a record dump
        var nan = Tables.Rows(new object[] { row with { BoxDimension = LayerMeasures.Unmeasured } }, "Layers");
        Assert.Contains("<td>–</td><td>–</td><td>–</td>", nan);
        Assert.DoesNotContain("Estimate {", nan);
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace SelfSim.Tests.Studies;

public class MeasureCorrelationsTests
{
    static readonly Estimate Nan = new(double.NaN, double.NaN, double.NaN, double.NaN);

    static LayerMeasures Row(double s, double dB, double alpha) =>
        new("toy", "layer", 0, 1, 10, 10, "float32", s, Nan, new Estimate(dB, 0, dB, dB), 1, Nan) { WeightAlpha = alpha };

    static ArchitectureRun Run(params LayerMeasures[] trained) => new("toy", 1, 50, 1, Array.Empty<LayerMeasures>(), trained);

    [Fact]
    public void Rho_drops_layers_without_a_value_and_needs_four()
    {
        // d_B in the order of S (ρ = 1); α reversed except one layer without it
        var layers = new[] { Row(0.1, 1.0, 9), Row(0.2, 1.5, double.NaN), Row(0.3, 2.0, 7), Row(0.4, 2.5, 6), Row(0.5, 3.0, 5) };
        var r = MeasureCorrelations.WithS(layers);
        Assert.Equal(MeasureCorrelations.Columns.Select(c => c.Name), r.Select(m => m.Column.Name));
        Assert.Equal((5, 1.0), (r[0].Layers, r[0].Rho!.Value));
        var alpha = r.Single(m => m.Column.Name == "weight alpha");
        Assert.Equal((4, -1.0), (alpha.Layers, alpha.Rho!.Value));
        Assert.False(alpha.Column.IsDimension);
        // the nodes' TwoNN is missing on every layer: no ρ, and 0 layers
        var twoNn = r.Single(m => m.Column.Name == "TwoNN (nodes)");
        Assert.Equal((0, null), (twoNn.Layers, twoNn.Rho));
        Assert.Null(MeasureCorrelations.WithS(layers.Take(3).ToList())[0].Rho);
    }

    [Fact]
    public void Mean_over_seeds_is_the_t_interval_of_the_per_seed_rhos()
    {
        var bySeed = new Dictionary<int, IReadOnlyList<ArchitectureRun>>
        {
            [0] = new[] { Run(Row(0.1, 1, 1), Row(0.2, 2, 2), Row(0.3, 3, 3), Row(0.4, 4, 4)) },            // ρ = 1
            [1] = new[] { Run(Row(0.1, 1, 1), Row(0.2, 3, 2), Row(0.3, 2, 3), Row(0.4, 4, 4)) },            // ρ = 0.8
            [2] = new[] { Run(Row(0.1, 2, 1), Row(0.2, 1, 2), Row(0.3, 4, 3), Row(0.4, 3, 4)) },            // ρ = 0.6
        };
        var dB = MeasureCorrelations.OverSeeds(bySeed)[0];
        Assert.Equal(new[] { 1.0, 0.8, 0.6 }, dB.BySeed.Values.Select(m => Math.Round(m.Rho!.Value, 12)));
        // scipy.stats.t.interval(0.95, 2, loc=0.8, scale=0.2/sqrt(3)) = (0.3031724576312495, 1.2968275423687505)
        Assert.Equal(0.8, dB.MeanRho.Value, 12);
        Assert.Equal(0.3031724576312495, dB.MeanRho.Lower, 10);
        Assert.Equal(1.2968275423687505, dB.MeanRho.Upper, 10);
        // one seed: a mean with no interval
        var one = MeasureCorrelations.OverSeeds(new Dictionary<int, IReadOnlyList<ArchitectureRun>> { [0] = bySeed[0] })[0];
        Assert.Equal(1.0, one.MeanRho.Value, 12);
        Assert.True(double.IsNaN(one.MeanRho.Lower));
        var e = Assert.Throws<SelfSimException>(() => MeasureCorrelations.OverSeeds(new Dictionary<int, IReadOnlyList<ArchitectureRun>>()));
        Assert.Contains("SurveySeeds.Load", e.Message);
    }

    [Fact]
    public void Committed_seed_survey_matches_scipy_spearmanr()
    {
        string folder = Path.Combine(RepoPaths.Notebooks, "measured", "architecture-seeds");
        using var expected = JsonDocument.Parse(PythonScript.Run("measure_correlations_reference.py", folder));
        var keys = new[] { "d_B", "nu_nodes", "twonn_nodes", "twonn_samples", "weight_alpha" };
        var ours = MeasureCorrelations.OverSeeds(SurveySeeds.Load(folder));
        Assert.Equal(keys.Length, ours.Count);
        for (int i = 0; i < keys.Length; i++)
        {
            var want = expected.RootElement.GetProperty(keys[i]);
            foreach (var (seed, m) in ours[i].BySeed)
            {
                var w = want.GetProperty("perSeed").GetProperty(seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.Equal(w.GetProperty("layers").GetInt32(), m.Layers);
                Assert.Equal(w.GetProperty("rho").GetDouble(), m.Rho!.Value, 10);
            }
            Assert.Equal(want.GetProperty("mean").GetDouble(), ours[i].MeanRho.Value, 10);
            Assert.Equal(want.GetProperty("lower").GetDouble(), ours[i].MeanRho.Lower, 9);
            Assert.Equal(want.GetProperty("upper").GetDouble(), ours[i].MeanRho.Upper, 9);
        }
        // the committed survey has every new column: S is not near ±1 with any of them on any seed
        Assert.All(ours.SelectMany(c => c.BySeed.Values), m => Assert.InRange(Math.Abs(m.Rho!.Value), 0, 0.5));
    }
}

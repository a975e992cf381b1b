using System;
using System.Collections.Generic;
using System.Linq;
using SelfSim.Tests.Training;
using Xunit;

namespace SelfSim.Tests.Studies;

public class SurveySummaryTests
{
    static LayerMeasures L(string arch, int i, int n, double s, double dB) =>
        new(arch, $"l{i}", i, n, 16, 8, "float32", s, new Estimate(-1, 0.05, -1.1, -0.9), new Estimate(dB, 0.05, dB - 0.1, dB + 0.1), 0.99,
            new Estimate(dB, 0.1, dB - 0.2, dB + 0.2));

    static ArchitectureRun Run(string arch, double top1, params (double S, double DB)[] layers) =>
        new(arch, 1000, top1, 2.5, layers.Select((l, i) => L(arch, i, layers.Length, l.S / 2, l.DB)).ToList(),
            layers.Select((l, i) => L(arch, i, layers.Length, l.S, l.DB)).ToList());

    [Fact]
    public void Survey_trains_with_the_notebooks_per_step_recipe_and_the_one_mlp_floor()
    {
        var o = ArchitectureSurveyOptions.ForSize(RunSize.Default);
        var mlp = o.For("mlp");
        var recipe = TrainingOptions.PerStepRecipe;
        Assert.Equal((LrSchedule.PerStep, false, 0.2), (recipe.Schedule, recipe.ScaleLearningRate, recipe.WarmupEpochs));
        Assert.Equal((recipe.Schedule, recipe.ScaleLearningRate, recipe.WarmupEpochs), (mlp.Schedule, mlp.ScaleLearningRate, mlp.WarmupEpochs));
        Assert.Equal(1e-3, mlp.LearningRate);
        Assert.Equal(97.0, o.Floors["mlp"]);
        Assert.Equal(AccuracyFloor.MlpMnistTop1, o.Floors["mlp"]);
    }

    [Fact]
    public void Summary_has_per_architecture_S_statistics_and_skips_NaN()
    {
        var runs = new[]
        {
            Run("mlp", 97.5, (0.2, 1.0), (0.4, 2.0), (0.3, 3.0)),
            Run("vit", 95.0, (0.1, 1.5), (double.NaN, double.NaN)),
        };
        var df = ArchitectureSurvey.Summary(runs);
        Assert.Equal(2, df.Rows.Count);
        Assert.Equal("mlp", df["architecture"][0]);
        Assert.Equal(0.3, (double)df["S_mean"][0]!, 12);
        Assert.Equal(0.2, (double)df["S_min"][0]!, 12);
        Assert.Equal(0.4, (double)df["S_max"][0]!, 12);
        Assert.Equal(0.2, (double)df["S_spread"][0]!, 12);
        Assert.Equal(2.0, (double)df["dB_mean"][0]!, 12);
        Assert.Equal(0.15, (double)df["S_mean_at_init"][0]!, 12);
        Assert.Equal(3, df["layers"][0]);
        Assert.Equal(0.1, (double)df["S_mean"][1]!, 12);   // the NaN layer is left out
        Assert.Equal(0.0, (double)df["S_spread"][1]!, 12);
        Assert.Equal(97.5, (double)df["test_top1_pct"][0]!, 12);

        var rank = ArchitectureSurvey.RankByS(runs);
        Assert.Equal(new[] { "mlp", "vit" }, rank.Select(r => r.Architecture));
        Assert.Equal(5, ArchitectureSurvey.TrainedLayers(runs).Count);
    }

    [Fact]
    public void Survey_trains_and_measures_each_model_on_a_toy_set()
    {
        var (train, test) = TrainerTests.Toy();
        var options = new ArchitectureSurveyOptions
        {
            Models = new[] { "mlp" },
            ProbeSize = 24,
            Scales = 64,
            Training = new TrainingOptions { Epochs = 1, BatchSize = 32, Deterministic = true, Device = "cpu", Seed = 2 },
        };
        var lines = new List<string>();
        var runs = ArchitectureSurvey.Run(options, train, test, lines.Add);
        var r = Assert.Single(runs);
        Assert.Equal("mlp", r.Architecture);
        Assert.Equal(r.Initial.Count, r.Trained.Count);
        Assert.All(r.Trained, m => Assert.Equal(24, m.Samples));
        Assert.InRange(r.TestTop1, 0, 100);
        Assert.NotEqual(r.Initial.Select(m => m.S), r.Trained.Select(m => m.S));
        Assert.Single(lines);
        Assert.Contains("mlp", lines[0]);
        Assert.Throws<SelfSimException>(() => ArchitectureSurvey.Run(options with { Models = Array.Empty<string>() }, train, test));
    }

    [Fact]
    public void A_survey_saved_before_LayerMeasures_reads_upgraded_and_LoadOrRun_measures_it_again()
    {
        var (train, test) = TrainerTests.Toy();
        var options = new ArchitectureSurveyOptions
        {
            Models = new[] { "mlp" },
            ProbeSize = 24,
            Scales = 64,
            Training = new TrainingOptions { Epochs = 1, BatchSize = 32, Deterministic = true, Device = "cpu", Seed = 2 },
        };
        var key = System.Text.Json.JsonSerializer.Serialize(options, RunLog.Json);
        // the per-layer rows as the earlier record (LayerSelfSimilarity) wrote them: no precision, slope interval or Srate d_B
        const string row = "{\"architecture\":\"mlp\",\"layer\":\"stem\",\"index\":0,\"layers\":1,\"nodes\":16,\"samples\":24," +
            "\"s\":0.25,\"boxDimension\":1.5,\"boxDimensionLow\":1.2,\"boxDimensionHigh\":1.8,\"fitRSquared\":0.97," +
            "\"normalisedSlope\":-1.1,\"note\":null,\"depth\":0}";
        var saved = new System.Text.Json.Nodes.JsonObject
        {
            ["options"] = key,
            ["runs"] = System.Text.Json.Nodes.JsonNode.Parse("[{\"architecture\":\"mlp\",\"parameters\":1000,\"testTop1\":90.5," +
                $"\"trainSeconds\":1.5,\"initial\":[{row}],\"trained\":[{row}]}}]"),
        };
        var read = ArchitectureSurvey.ReadSaved(saved.ToJsonString())!;
        Assert.Equal(1, read.Format);
        var m = Assert.Single(Assert.Single(read.Runs).Trained);
        Assert.Equal((0.25, 1.5, 1.2, 1.8, 0.97), (m.S, m.BoxDimension.Value, m.BoxDimension.Lower, m.BoxDimension.Upper, m.FitRSquared));
        Assert.Equal("float32", m.Precision);
        Assert.True(double.IsNaN(m.SrateBoxDimension.Value));
        Assert.Null(m.NodeTwoNn);
        Assert.Contains("earlier version", m.Note);

        // a cache in the old format is measured again (chapter 09 needs the dimension columns), then loaded
        using var dir = new TempDir();
        var path = System.IO.Path.Combine(dir.Path, "survey.json");
        System.IO.File.WriteAllText(path, saved.ToJsonString());
        var lines = new List<string>();
        var runs = ArchitectureSurvey.LoadOrRun(path, options, train, test, lines.Add);
        Assert.Contains("earlier version (format 1", lines[0]);
        Assert.Contains("mlp", lines[1]);
        Assert.All(Assert.Single(runs).Trained, l => Assert.NotNull(l.NodeTwoNn));
        Assert.Equal(ArchitectureSurvey.SavedSurvey.CurrentFormat, ArchitectureSurvey.ReadSaved(System.IO.File.ReadAllText(path))!.Format);
        lines.Clear();
        ArchitectureSurvey.LoadOrRun(path, options, train, test, lines.Add);
        Assert.Contains("Loaded", Assert.Single(lines));
    }
}

public class ExperimentCurvesTests
{
    static EpochRecord E(int epoch, double top1, double s) => new() { Epoch = epoch, TestTop1 = top1, S = s };

    [Fact]
    public void Aggregate_gives_mean_and_sample_std_per_arm_and_epoch()
    {
        var curves = new[]
        {
            new ArmCurve("baseline", 0, new[] { E(0, 90, 0.2), E(1, 92, 0.25) }),
            new ArmCurve("baseline", 1, new[] { E(0, 94, 0.4), E(1, 96, double.NaN) }),
            new ArmCurve("constrained", 0, new[] { E(0, 91, 0.3), E(1, 93, 0.3) }),
        };
        var pts = ExperimentCurves.Aggregate(curves, e => e.TestTop1);
        var b0 = pts.Single(p => p.Arm == "baseline" && p.Epoch == 0);
        Assert.Equal(92, b0.Mean, 12);
        Assert.Equal(Math.Sqrt(8), b0.Std, 12);
        Assert.Equal(2, b0.Runs);
        var c1 = pts.Single(p => p.Arm == "constrained" && p.Epoch == 1);
        Assert.Equal(93, c1.Mean, 12);
        Assert.True(double.IsNaN(c1.Std));
        var s1 = ExperimentCurves.Aggregate(curves, e => e.S).Single(p => p.Arm == "baseline" && p.Epoch == 1);
        Assert.Equal(1, s1.Runs);       // the NaN run is left out
        Assert.Equal(0.25, s1.Mean, 12);
    }

    static List<ArmRun> Pairs(params (double B, double C)[] top1) =>
        top1.SelectMany((p, seed) => new[] { new ArmRun("baseline", seed, p.B, 99, 0.2, 2), new ArmRun("constrained", seed, p.C, 99, 0.3, 2) }).ToList();

    [Fact]
    public void Verdict_states_the_paired_difference_and_whether_its_interval_excludes_zero()
    {
        // differences 0.5, 0.2, 0.6: mean 0.433, 95 % CI [-0.084, 0.950] (see ExperimentSummaryTests)
        var v = ExperimentCurves.Verdict(Pairs((97, 97.5), (97.5, 97.7), (98, 98.6)));
        Assert.Contains("Over 3 paired seeds", v);
        Assert.Contains("+0.43 percentage points", v);
        Assert.Contains("[-0.08, +0.95]", v);
        Assert.Contains("no detectable difference", v);

        var up = ExperimentCurves.Verdict(Pairs((90, 92), (91, 93.1), (92, 93.9)));
        Assert.Contains("more accurate", up);
        var down = ExperimentCurves.Verdict(Pairs((92, 90), (93.1, 91), (93.9, 92)));
        Assert.Contains("less accurate", down);
        var one = ExperimentCurves.Verdict(Pairs((90, 91)));
        Assert.Contains("one pair gives no interval", one);
        Assert.Contains("No seed", ExperimentCurves.Verdict(new[] { new ArmRun("baseline", 0, 90, 99, 0.2, 1) }));
    }
}

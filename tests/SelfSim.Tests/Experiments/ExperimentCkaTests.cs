using System.IO;
using System.Linq;
using SelfSim.Tests.Training;
using Xunit;

namespace SelfSim.Tests.Experiments;

[Collection(TorchRngCollection.Name)]
public class ExperimentCkaTests
{
    [Fact]
    public void Each_arm_is_compared_with_its_seeds_baseline_and_the_baseline_with_the_next_seed()
    {
        var (train, test) = TrainerTests.Toy(128);
        using var dir = new TempDir();
        RunReport Train(TrainingOptions o, bool resume)
        {
            using var t = new ClassifierTrainer(o, train, test);
            return t.Run(resume);
        }
        var template = ExperimentRunnerTests.Template() with { Epochs = 1 };
        var result = ExperimentRunner.Run(template, new[] { 1, 2 }, dir.Path, Train);
        var rows = ExperimentCka.Measure(result, test, probeSamples: 24);

        var layers = rows.Select(r => r.Layer).Distinct().ToList();
        Assert.NotEmpty(layers);
        // per seed: the baseline against the next seed's baseline, and the constrained arm against its own baseline
        Assert.Equal(2 * 2 * layers.Count, rows.Count);
        Assert.Equal(new[] { (1, 2), (2, 1) }, rows.Where(r => r.Arm == ExperimentRunner.Baseline)
            .Select(r => (r.Seed, r.BaselineSeed)).Distinct().OrderBy(p => p.Item1).ToArray());
        Assert.All(rows.Where(r => r.Arm == ExperimentRunner.Constrained), r => Assert.Equal(r.Seed, r.BaselineSeed));
        Assert.All(rows, r => Assert.InRange(r.Cka, 0, 1 + 1e-9));

        // one row by hand: the checkpoints' layers on the same probe, through LinearCka directly
        var row = rows.First(r => r.Arm == ExperimentRunner.Constrained && r.Seed == 2);
        using var probe = NodeMatrix.ProbeBatch(test, 24);
        NodeMatrix Layer(string arm)
        {
            var path = Path.Combine(ExperimentRunner.RunFolder(dir.Path, "mlp", "mnist", arm, 2), TrainingCheckpoint.FileName);
            var o = TrainingCheckpoint.ReadState(path).Options;
            using var model = ModelZoo.Create(o.Model, o.Scale, test.Channels, o.EffectiveInputSize(test.ImageSize), test.Classes);
            TrainingCheckpoint.LoadWeights(path, model);
            var all = NodeMatrix.Capture(model, probe);
            foreach (var m in all.Where(m => m.Name != row.Layer)) m.Dispose();
            return all.Single(m => m.Name == row.Layer);
        }
        using var b = Layer(ExperimentRunner.Baseline);
        using var c = Layer(ExperimentRunner.Constrained);
        Assert.Equal(LinearCka.Of(b, c), row.Cka, 12);

        // the summary: per seed the mean over layers, then the t interval over the 2 seeds
        var summary = ExperimentCka.Summarize(rows);
        Assert.Equal(new[] { ExperimentRunner.Baseline, ExperimentRunner.Constrained }, summary.Select(a => a.Arm).ToArray());
        var perSeed = new[] { 1, 2 }.Select(s => rows.Where(r => r.Arm == ExperimentRunner.Constrained && r.Seed == s).Average(r => r.Cka)).ToList();
        var arm = summary.Single(a => a.Arm == ExperimentRunner.Constrained);
        Assert.Equal((2, perSeed.Average()), (arm.Seeds, arm.MeanCka.Value));
        Assert.Equal(MeanInterval.Of(perSeed).Lower, arm.MeanCka.Lower, 12);

        // cka.csv round trip, and a table that is not one is refused by name
        var csv = Path.Combine(dir.Path, ExperimentCka.FileName);
        ExperimentCka.Save(rows, csv);
        Assert.Equal(rows, ExperimentCka.Load(csv));
        File.WriteAllText(csv, "arm,seed\nbaseline,1\n");
        var e = Assert.Throws<SelfSimException>(() => ExperimentCka.Load(csv));
        Assert.Contains("is not a CKA table", e.Message);
        File.WriteAllText(csv, "arm,seed,baseline_seed,layer,cka,cka_unbiased\nbaseline,0,1,blocks.0,0.9,0.8\nbaseline,1,2,blocks.0,high,0.8\n");
        e = Assert.Throws<SelfSimException>(() => ExperimentCka.Load(csv));
        Assert.Contains("line 3: cka 'high' is not a number", e.Message);
        Assert.Contains("selfsim experiment --summarize-only --cka", e.Message);
    }

    [Fact]
    public void Runs_without_checkpoints_are_named_and_a_grid_without_baseline_weights_is_refused()
    {
        var runs = new[] { new ArmRun(ExperimentRunner.Baseline, 0, 90, 99, 0.2, 1, OutDir: "/nonexistent/seed0") };
        var result = new ExperimentResult(runs, ExperimentSummary.Summarize(runs, ExperimentRunner.Baseline, new string[0]),
            ExperimentSummary.Runs(runs), null);
        var e = Assert.Throws<SelfSimException>(() => ExperimentCka.Measure(result, (string?)null));
        Assert.Contains("no baseline run has a checkpoint.bin", e.Message);
    }
}

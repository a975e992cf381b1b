using System.IO;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Training;

[Collection(TorchRngCollection.Name)]
public class ExperimentRunnerTests
{
    [Fact]
    public void Experiment_runs_both_arms_per_seed_writes_tables_and_reuses_finished_runs()
    {
        var (train, test) = TrainerTests.Toy(128);
        using var dir = new TempDir();
        var template = new TrainingOptions
        {
            Model = "mlp", Epochs = 2, BatchSize = 32, LearningRate = 2e-3, WarmupEpochs = 0.5, SrateWeight = 1.0, SrateTarget = 0.5,
            SampleEvery = 1, SrateScales = 64, Device = "cpu", Deterministic = true,
        };
        int trained = 0;
        RunReport Train(TrainingOptions o, bool resume)
        {
            trained++;
            using var t = new ClassifierTrainer(o, train, test);
            return t.Run(resume);
        }
        var result = ExperimentRunner.Run(template, new[] { 1, 2 }, dir.Path, Train);
        Assert.Equal(4, trained);
        Assert.Equal(4, result.Runs.Count);
        Assert.Equal(new[] { "baseline", "constrained", "baseline", "constrained" }, result.Runs.Select(r => r.Arm));
        Assert.All(result.Runs, r => Assert.True(double.IsFinite(r.FinalS), $"{r.Arm} seed {r.Seed} has no final S"));
        Assert.Equal(SrateMode.Record, RunLog.Read(Path.Combine(dir.Path, "baseline-seed1")).Options.Srate);
        Assert.Equal(SrateMode.Constrain, RunLog.Read(Path.Combine(dir.Path, "constrained-seed2")).Options.Srate);

        Assert.Equal(3, result.Summary.Rows.Count);
        var csv = File.ReadAllLines(Path.Combine(dir.Path, "summary.csv"));
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("arm,runs,top1_mean,top1_std", csv[0]);
        Assert.StartsWith("constrained - baseline,2,", csv[3]);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(dir.Path, "runs.csv")).Length);

        // The paired difference in the table is the mean of per-seed differences.
        var b = result.Runs.Where(r => r.Arm == "baseline").OrderBy(r => r.Seed).Select(r => r.Top1).ToArray();
        var c = result.Runs.Where(r => r.Arm == "constrained").OrderBy(r => r.Seed).Select(r => r.Top1).ToArray();
        Assert.Equal((c[0] - b[0] + c[1] - b[1]) / 2, (double)result.Summary["top1_mean"][2]!, 10);

        // Re-running with the same settings reuses the finished runs.
        var again = ExperimentRunner.Run(template, new[] { 1, 2 }, dir.Path, Train);
        Assert.Equal(4, trained);
        Assert.Equal(result.Runs.Select(r => r.Top1), again.Runs.Select(r => r.Top1));
    }
}

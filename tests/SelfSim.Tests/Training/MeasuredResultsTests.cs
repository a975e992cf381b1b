using System.IO;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Training;

/// <summary>The committed measured results that notebook 06 shows by default: they load, and they obey the rules they claim.</summary>
public class MeasuredResultsTests
{
    static string Folder => Path.Combine(RepoPaths.Notebooks, "measured", "fashion-mnist-mlp");

    [Fact]
    public void Measured_fashion_mnist_runs_load_and_each_constrained_target_is_its_seeds_baseline_S()
    {
        var result = ExperimentRunner.Load(Folder);
        var baselines = result.Runs.Where(r => r.Arm == ExperimentRunner.Baseline).ToList();
        Assert.NotEmpty(baselines);
        Assert.Contains(result.Runs, r => r.Arm == "lambda5e-2");
        foreach (var run in result.Runs)
        {
            var report = RunLog.Read(run.OutDir!);
            var o = report.Options;
            Assert.Equal("completed", report.Status);
            Assert.Equal(("mlp", "fashion-mnist", 20, 64, 6000), (o.Model, o.Dataset, o.Epochs, o.BatchSize, o.TrainLimit));
            Assert.Equal((LrSchedule.PerEpoch, true, 5e-3), (o.Schedule, o.ScaleLearningRate, o.LearningRate));
            Assert.Equal(2_831_370, report.Parameters); // the reference block at width 256, no LayerNorm
            Assert.Equal(20, report.Epochs.Count);
            Assert.Equal(1e-6, report.Epochs[0].LearningRate, 12); // warm-up epoch
            Assert.Equal(report.Epochs.Max(e => e.TestTop1), run.BestTop1);
            if (run.Arm == ExperimentRunner.Baseline) { Assert.Equal(SrateMode.Record, o.Srate); continue; }
            Assert.Equal(SrateMode.Constrain, o.Srate);
            var baseline = baselines.Single(b => b.Seed == run.Seed);
            Assert.Equal(RunLog.FinalS(baseline.OutDir!), o.SrateTarget);
            Assert.Equal(run.Arm.StartsWith("c0.1") ? 0.1 : 0.05, o.ChangeLimit);
            Assert.Equal(0, report.Epochs[0].Z);                     // the gate is shut in epoch 0
            Assert.InRange(run.GateZ, 0, 1);
        }
        // Every treatment arm has a paired row with final and best intervals (when it has 2+ seeds).
        foreach (var arm in result.Runs.Select(r => r.Arm).Where(a => a != ExperimentRunner.Baseline).Distinct())
            Assert.Contains($"{arm} - baseline", result.Summary["arm"].Cast<string>());
    }
}

using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using SelfSim.Tests.Training;
using Xunit;

namespace SelfSim.Tests.Experiments;

[Collection(TorchRngCollection.Name)]
public class ExperimentRunnerTests
{
    internal static TrainingOptions Template() => new()
    {
        Model = "mlp",
        Epochs = 2,
        BatchSize = 32,
        LearningRate = 2e-3,
        WarmupEpochs = 0.5,
        Schedule = LrSchedule.PerStep,
        ScaleLearningRate = false,
        SrateWeight = 1.0,
        SampleEvery = 1,
        ChangeLimit = 0.5,
        SrateScales = 64,
        Device = "cpu",
        Deterministic = true,
    };

    [Fact]
    public void Experiment_runs_baseline_then_arms_per_seed_with_the_literal_target_or_that_seeds_baseline()
    {
        var (train, test) = TrainerTests.Toy(128);
        using var dir = new TempDir();
        var calls = new List<(string Dir, bool Resume)>();
        RunReport Train(TrainingOptions o, bool resume)
        {
            calls.Add((o.OutDir!, resume));
            using var t = new ClassifierTrainer(o, train, test);
            return t.Run(resume);
        }
        var arms = ExperimentArm.Parse("lambda=1; name=soft lambda=0.1 c=0.2 target=baseline");
        Assert.Equal(new[] { "lambda1", "soft" }, arms.Select(a => a.Name));
        var result = ExperimentRunner.Run(Template(), new[] { 1, 2 }, dir.Path, Train, default, arms);
        Assert.Equal(6, calls.Count);
        Assert.Equal(new[] { "baseline", "lambda1", "soft", "baseline", "lambda1", "soft" }, result.Runs.Select(r => r.Arm));
        Assert.All(calls, c => Assert.False(c.Resume));

        foreach (int seed in new[] { 1, 2 })
        {
            string Dir(string arm) => ExperimentRunner.RunFolder(dir.Path, "mlp", "mnist", arm, seed);
            Assert.Equal(Path.Combine(dir.Path, "mlp-mnist", "soft", $"seed{seed}"), Dir("soft"));
            Assert.True(RunLog.IsCompleted(Dir("baseline")));
            var baseline = RunLog.Read(Dir("baseline"));
            Assert.Equal(SrateMode.Record, baseline.Options.Srate);
            double converged = baseline.Epochs[^1].S; // the mean S over the baseline's last epoch
            var soft = RunLog.Read(Dir("soft")).Options;
            Assert.Equal(SrateMode.Constrain, soft.Srate);
            Assert.Equal(converged, soft.SrateTarget);
            Assert.Equal(0.1, soft.SrateWeight);
            Assert.Equal(0.2, soft.ChangeLimit);
            Assert.Equal(0.3, RunLog.Read(Dir("lambda1")).Options.SrateTarget); // the reference's literal target by default
        }
        Assert.NotEqual(result.Runs[0].FinalS, result.Runs[3].FinalS); // each seed has its own target

        // Gate activity and best epoch are recorded; the baseline has none.
        Assert.True(double.IsNaN(result.Runs[0].GateZ));
        Assert.All(result.Runs.Where(r => r.Arm != "baseline"), r => Assert.InRange(r.GateZ, 0, 1));
        Assert.All(result.Runs, r => Assert.True(r.BestTop1 >= r.Top1));
        var csv = File.ReadAllLines(Path.Combine(dir.Path, "mlp-mnist", "soft", "seed1", RunLog.CsvName));
        Assert.Contains("z_blocks.0", csv[0]);
        Assert.Contains("open_stem", csv[0]);

        // summary: 3 arm rows + 2 paired rows with final and best intervals.
        Assert.Equal(5, result.Summary.Rows.Count);
        var lines = File.ReadAllLines(Path.Combine(dir.Path, "summary.csv"));
        Assert.StartsWith("arm,runs,top1_mean,top1_std", lines[0]);
        Assert.Contains("diff_best_ci_low", lines[0]);
        Assert.StartsWith("lambda1 - baseline,2,", lines[4]);
        var b = result.Runs.Where(r => r.Arm == "baseline").Select(r => r.BestTop1).ToArray();
        var c = result.Runs.Where(r => r.Arm == "lambda1").Select(r => r.BestTop1).ToArray();
        Assert.Equal((c[0] - b[0] + c[1] - b[1]) / 2, (double)result.Summary["best_top1_mean"][3]!, 10);

        // Re-running trains nothing.
        var again = ExperimentRunner.Run(Template(), new[] { 1, 2 }, dir.Path, Train, default, arms);
        Assert.Equal(6, calls.Count);
        Assert.Equal(result.Runs.Select(r => r.Top1), again.Runs.Select(r => r.Top1));
    }

    [Fact]
    public void A_half_finished_grid_skips_finished_runs_resumes_the_interrupted_one_and_matches_an_uninterrupted_grid()
    {
        var (train, test) = TrainerTests.Toy(128);
        using var dir = new TempDir();
        using var whole = new TempDir();
        var calls = new List<(string Arm, int Seed, bool Resume)>();
        CancellationTokenSource? stopAfterFirstEpoch = null;
        RunReport Train(TrainingOptions o, bool resume)
        {
            calls.Add((Path.GetFileName(Path.GetDirectoryName(o.OutDir))!, o.Seed, resume));
            using var t = new ClassifierTrainer(o, train, test);
            var cts = stopAfterFirstEpoch;
            if (cts is not null) t.Progress = p => { if (p.Phase == "epoch" && p.Epoch == 0) cts.Cancel(); };
            return t.Run(resume, cts?.Token ?? default);
        }

        // Piece 1: seed 1 completely. Piece 2: seed 2's baseline is interrupted after its first epoch (session limit).
        ExperimentRunner.Run(Template(), new[] { 1 }, dir.Path, Train);
        stopAfterFirstEpoch = new CancellationTokenSource();
        var e = Assert.Throws<SelfSimException>(() => ExperimentRunner.Run(Template(), new[] { 2 }, dir.Path, Train));
        Assert.Contains("interrupted", e.Message);
        var half = ExperimentRunner.RunFolder(dir.Path, "mlp", "mnist", "baseline", 2);
        Assert.False(RunLog.IsCompleted(half));
        Assert.Single(RunLog.Read(half).Epochs);

        // Summarising now leaves the unfinished seed out without training.
        var partial = ExperimentRunner.Run(Template(), new[] { 1, 2 }, dir.Path, Train, default, null, summarizeOnly: true);
        Assert.Equal(2, partial.Runs.Count);
        Assert.Equal(3, calls.Count);

        // Piece 3: the whole grid again: seed 1 is skipped, seed 2's baseline resumes, its constrained arm trains.
        stopAfterFirstEpoch = null;
        calls.Clear();
        var result = ExperimentRunner.Run(Template(), new[] { 1, 2 }, dir.Path, Train);
        Assert.Equal(new[] { ("baseline", 2, true), ("constrained", 2, false) }, calls);
        Assert.Equal(4, result.Runs.Count);

        // The pieced-together grid equals one run straight through.
        var straight = ExperimentRunner.Run(Template(), new[] { 1, 2 }, whole.Path, Train);
        Assert.Equal(straight.Runs.Select(r => r.Top1), result.Runs.Select(r => r.Top1));
        Assert.Equal(straight.Runs.Select(r => r.FinalS), result.Runs.Select(r => r.FinalS));
    }
}

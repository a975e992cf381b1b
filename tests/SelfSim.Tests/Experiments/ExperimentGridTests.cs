using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Experiments;

/// <summary>Grid plan, one task at a time, resume/skip, summarize without double counting, and the Slurm script (the real Slurm run is .ci/slurm-test.sh).</summary>
public class ExperimentGridTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("selfsim-grid-").FullName;
    public void Dispose() => Directory.Delete(dir, recursive: true);

    static readonly TrainingOptions Template = new() { Epochs = 1, BatchSize = 32, Device = "cpu", TrainLimit = 64, TestLimit = 32 };

    /// <summary>A stand-in for training: writes a completed metrics.json whose accuracy encodes the seed and arm; counts calls.</summary>
    sealed class FakeTrainer
    {
        public List<(TrainingOptions Options, bool Resume)> Calls { get; } = new();
        public RunReport Train(TrainingOptions o, bool resume)
        {
            Calls.Add((o, resume));
            Directory.CreateDirectory(o.OutDir!);
            double top1 = 50 + o.Seed + (o.Srate == SrateMode.Constrain ? 10 : 0);
            var r = new RunReport { Status = "completed", Options = o, Epochs = new() { new EpochRecord { Epoch = 0, TestTop1 = top1, TestTop5 = 90, S = 0.3 } } };
            RunLog.Write(o.OutDir!, r);
            return r;
        }
    }

    [Fact]
    public void Plan_numbers_model_dataset_seed_arm_with_one_folder_each()
    {
        var plan = ExperimentGrid.Plan(Template, new[] { "mlp", "vit" }, new[] { "cifar10", "imagenette" }, new[] { 0, 1, 2 });
        Assert.Equal(2 * 2 * 3 * 2, plan.Entries.Count);
        Assert.Equal(Enumerable.Range(0, 24), plan.Entries.Select(e => e.Index));
        Assert.Equal(24, plan.Entries.Select(e => e.Folder).Distinct().Count());
        Assert.Equal(new GridEntry(3, "mlp", "cifar10", 1, "constrained", Path.Combine("mlp-cifar10", "constrained", "seed1")), plan.Entries[3]);
        Assert.Equal("vit", plan.Entries[^1].Model);
        ExperimentGrid.Save(plan, dir);
        var loaded = ExperimentGrid.Load(dir);
        Assert.Equal(plan.Entries, loaded.Entries);
        Assert.Equal(plan.Template, loaded.Template);
        Assert.Equal(25, File.ReadAllLines(Path.Combine(dir, ExperimentGrid.PlanTableName)).Length);
        var other = ExperimentGrid.Plan(Template, new[] { "mlp" }, new[] { "cifar10" }, new[] { 0 });
        Assert.Contains("different plan", Assert.Throws<SelfSimException>(() => ExperimentGrid.Save(other, dir)).Message);
        Assert.Contains("twice", Assert.Throws<SelfSimException>(() => ExperimentGrid.Plan(Template, new[] { "mlp" }, new[] { "mnist" }, new[] { 1, 1 })).Message);
        Assert.Contains("alexnet", Assert.Throws<SelfSimException>(() => ExperimentGrid.Plan(Template, new[] { "alexnet" }, new[] { "mnist" }, new[] { 1 })).Message);
    }

    [Fact]
    public void Task_runs_its_entry_resumes_from_a_checkpoint_and_skips_a_finished_run()
    {
        ExperimentGrid.Save(ExperimentGrid.Plan(Template, new[] { "mlp" }, new[] { "mnist" }, new[] { 0, 1 }), dir);
        var fake = new FakeTrainer();
        var r = ExperimentGrid.RunTask(dir, 1, fake.Train);
        Assert.Equal("completed", r.Status);
        var (o, resume) = Assert.Single(fake.Calls);
        Assert.Equal((SrateMode.Constrain, 0, false), (o.Srate, o.Seed, resume));
        Assert.Equal(Path.Combine(dir, "mlp-mnist", "constrained", "seed0"), o.OutDir);

        ExperimentGrid.RunTask(dir, 1, fake.Train); // finished with the same settings: not trained again
        Assert.Single(fake.Calls);

        var interrupted = Path.Combine(dir, "mlp-mnist", "baseline", "seed1");
        Directory.CreateDirectory(interrupted);
        File.WriteAllText(Path.Combine(interrupted, TrainingCheckpoint.FileName), "stand-in");
        ExperimentGrid.RunTask(dir, 2, fake.Train);
        Assert.True(fake.Calls[^1].Resume);
        Assert.Contains("tasks 0 to 3", Assert.Throws<SelfSimException>(() => ExperimentGrid.RunTask(dir, 4, fake.Train)).Message);
    }

    [Fact]
    public void Summarize_counts_each_finished_run_once_and_lists_the_missing()
    {
        ExperimentGrid.Save(ExperimentGrid.Plan(Template, new[] { "mlp" }, new[] { "mnist" }, new[] { 0, 1, 2 }), dir);
        var fake = new FakeTrainer();
        foreach (int i in new[] { 0, 1, 2, 3, 4 }) ExperimentGrid.RunTask(dir, i, fake.Train);
        ExperimentGrid.RunTask(dir, 0, fake.Train); // a re-run of a finished task adds nothing
        // A copy of a finished run in a folder that is not in the plan is not counted either.
        var stray = Path.Combine(dir, "mlp-mnist", "baseline", "seed0-copy");
        Directory.CreateDirectory(stray);
        File.Copy(Path.Combine(dir, "mlp-mnist", "baseline", "seed0", RunLog.JsonName), Path.Combine(stray, RunLog.JsonName));

        var s = ExperimentGrid.Summarize(dir);
        Assert.Equal(5, s.Finished.Count);
        var missing = Assert.Single(s.Missing);
        Assert.Equal(5, missing.Entry.Index);
        Assert.Equal("not started", missing.Why);
        Assert.Equal(6, File.ReadAllLines(s.RunsPath).Length); // header + 5 runs
        var summary = File.ReadAllLines(s.SummaryPath);
        Assert.StartsWith("model,dataset,", summary[0]);
        Assert.Contains(summary, l => l.StartsWith("mlp,mnist,baseline,3,", StringComparison.Ordinal));   // 3 baseline seeds
        Assert.Contains(summary, l => l.StartsWith("mlp,mnist,constrained,2,", StringComparison.Ordinal)); // 2 constrained seeds so far
    }

    [Fact]
    public void Sbatch_script_is_a_job_array_over_the_plan()
    {
        var plan = ExperimentGrid.Plan(Template, new[] { "mlp" }, new[] { "mnist" }, new[] { 0, 1 });
        var script = ExperimentGrid.SbatchScript(plan, dir, "/opt/selfsim", partition: "gpu", time: "12:00:00", cpus: 4, gpus: "1", memory: "32G", maxParallel: 2);
        Assert.StartsWith("#!/bin/bash\n", script);
        Assert.Contains("#SBATCH --array=0-3%2\n", script);
        Assert.Contains("#SBATCH --gres=gpu:1\n", script);
        Assert.Contains("#SBATCH --partition=gpu\n", script);
        Assert.Contains($"#SBATCH --output={Path.GetFullPath(dir)}/slurm/%A_%a.out\n", script);
        Assert.Contains("/opt/selfsim experiment --task \"$SLURM_ARRAY_TASK_ID\"", script);
        Assert.DoesNotContain("--gres", ExperimentGrid.SbatchScript(plan, dir, "selfsim", gpus: null));
    }
}

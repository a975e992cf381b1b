#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using Microsoft.Data.Analysis;

// Experiment grids for clusters: the plan (model × dataset × seed × arm) is a numbered job list in OUT/plan.json; one task
// runs one entry in its own run folder OUT/MODEL-DATASET/ARM/seedK (ExperimentRunner.RunFolder, the layout of one experiment:
// metrics.json with status "completed" marks a finished run, a checkpoint marks one to resume); a Slurm job array runs
// task i as array index i; summarize gathers whatever has finished.

/// <summary>One job of a grid: its index in the plan, what it trains and where.</summary>
public sealed record GridEntry(int Index, string Model, string Dataset, int Seed, string Arm, string Folder);

/// <summary>A saved plan: the shared training settings (each entry replaces model, dataset, seed, Srate mode and folder) and the entries.</summary>
public sealed record GridPlan(TrainingOptions Template, IReadOnlyList<GridEntry> Entries);

/// <summary>What summarize found: finished runs, the entries still missing (with why), and where the tables went.</summary>
public sealed record GridSummary(IReadOnlyList<(GridEntry Entry, ArmRun Run)> Finished, IReadOnlyList<(GridEntry Entry, string Why)> Missing,
                                 DataFrame Runs, string RunsPath, string SummaryPath);

public static class ExperimentGrid
{
    public const string PlanName = "plan.json", PlanTableName = "plan.tsv";
    static readonly (string Arm, SrateMode Mode)[] Arms = { (ExperimentRunner.Baseline, SrateMode.Record), (ExperimentRunner.Constrained, SrateMode.Constrain) };

    /// <summary>The grid in a fixed order (model, dataset, seed, arm), numbered from 0; folders are relative to the plan's folder.</summary>
    public static GridPlan Plan(TrainingOptions template, IReadOnlyList<string> models, IReadOnlyList<string> datasets, IReadOnlyList<int> seeds)
    {
        if (models.Count == 0 || datasets.Count == 0 || seeds.Count == 0)
            throw new SelfSimException("The grid needs at least one model (--models), dataset (--datasets) and seed (--seeds).");
        foreach (var m in models) ModelZoo.Describe(m); // throws the zoo's error for an unknown name
        var dup = models.Concat(datasets).GroupBy(x => x).FirstOrDefault(g => g.Count() > 1)?.Key ?? seeds.GroupBy(x => x).FirstOrDefault(g => g.Count() > 1)?.Key.ToString();
        if (dup is not null) throw new SelfSimException($"The grid lists '{dup}' twice; each model, dataset and seed once, so no run is counted twice.");
        var entries = new List<GridEntry>();
        foreach (var m in models) foreach (var d in datasets) foreach (var s in seeds) foreach (var (arm, _) in Arms)
            entries.Add(new GridEntry(entries.Count, m, d, s, arm, ExperimentRunner.RunFolder("", m, d, arm, s)));
        return new GridPlan(template with { OutDir = null }, entries);
    }

    /// <summary>Writes OUT/plan.json (read by --task and summarize) and OUT/plan.tsv (for people), atomically.</summary>
    public static void Save(GridPlan plan, string outDir)
    {
        Directory.CreateDirectory(outDir);
        var existing = Path.Combine(outDir, PlanName);
        if (File.Exists(existing) && JsonSerializer.Serialize(Load(outDir), RunLog.Json) != JsonSerializer.Serialize(plan, RunLog.Json))
            throw new SelfSimException($"{existing} already holds a different plan. Use a new --out folder, or delete plan.json if no task of the old plan has run.");
        AtomicFile.WriteAllText(existing, JsonSerializer.Serialize(plan, RunLog.Json));
        var tsv = new StringBuilder("index\tmodel\tdataset\tseed\tarm\tfolder\n");
        foreach (var e in plan.Entries) tsv.Append(CultureInfo.InvariantCulture, $"{e.Index}\t{e.Model}\t{e.Dataset}\t{e.Seed}\t{e.Arm}\t{e.Folder}\n");
        AtomicFile.WriteAllText(Path.Combine(outDir, PlanTableName), tsv.ToString());
    }

    public static GridPlan Load(string outDir)
    {
        var path = Path.Combine(outDir, PlanName);
        if (!File.Exists(path)) throw new SelfSimException($"No plan in {outDir}: write one first with `selfsim experiment --plan --out {outDir} ...`.");
        try { return JsonSerializer.Deserialize<GridPlan>(File.ReadAllText(path), RunLog.Json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new SelfSimException($"{path} is not a readable plan ({e.Message}). Write it again with --plan."); }
    }

    /// <summary>The training settings of one entry: the template with the entry's model, dataset, seed, arm and folder.</summary>
    public static TrainingOptions Options(GridPlan plan, GridEntry e, string outDir) => plan.Template with
    {
        Model = e.Model,
        Dataset = e.Dataset,
        Seed = e.Seed,
        OutDir = Path.Combine(outDir, e.Folder),
        Srate = Arms.First(a => a.Arm == e.Arm).Mode,
    };

    /// <summary>
    /// Runs entry <paramref name="index"/>: returns the finished run at once if it is complete with these settings, resumes it from its
    /// checkpoint when one exists, else starts it. <paramref name="train"/> defaults to <see cref="ClassifierTrainer.Train"/>.
    /// </summary>
    public static RunReport RunTask(string outDir, int index, Func<TrainingOptions, bool, RunReport>? train = null, CancellationToken cancel = default)
    {
        var plan = Load(outDir);
        if (index < 0 || index >= plan.Entries.Count)
            throw new SelfSimException($"Task {index} is not in the plan of {outDir}: it has tasks 0 to {plan.Entries.Count - 1}.");
        var o = Options(plan, plan.Entries[index], outDir);
        if (Finished(o) is RunReport done) return done;
        train ??= (opt, resume) => ClassifierTrainer.Train(opt, resume, null, cancel);
        return train(o, File.Exists(Path.Combine(o.OutDir!, TrainingCheckpoint.FileName)));
    }

    /// <summary>The completed run in the entry's folder, if its metrics.json says "completed" with the same settings.</summary>
    static RunReport? Finished(TrainingOptions o)
    {
        if (!File.Exists(Path.Combine(o.OutDir!, RunLog.JsonName))) return null;
        var r = RunLog.Read(o.OutDir!);
        return r.Status == "completed" && r.Options == o ? r : null;
    }

    /// <summary>
    /// Gathers every finished entry of the plan (one row per plan entry: a run is never counted twice), lists the missing ones, and writes
    /// OUT/runs.csv (model, dataset, arm, seed, accuracies, final S) and OUT/summary.csv (per model × dataset: both arms over seeds with the
    /// paired 95 % interval, as `experiment` reports for one model).
    /// </summary>
    public static GridSummary Summarize(string outDir)
    {
        var plan = Load(outDir);
        var finished = new List<(GridEntry, ArmRun)>();
        var missing = new List<(GridEntry, string)>();
        foreach (var e in plan.Entries)
        {
            var o = Options(plan, e, outDir);
            var metrics = Path.Combine(o.OutDir!, RunLog.JsonName);
            if (!File.Exists(metrics)) { missing.Add((e, File.Exists(Path.Combine(o.OutDir!, TrainingCheckpoint.FileName)) ? "interrupted (checkpoint, no metrics)" : "not started")); continue; }
            var r = RunLog.Read(o.OutDir!);
            if (r.Status != "completed") { missing.Add((e, $"{r.Status}: {r.Message}")); continue; }
            if (r.Options != o) { missing.Add((e, "finished with other settings than the plan's")); continue; }
            var last = r.Epochs[^1];
            finished.Add((e, new ArmRun(e.Arm, e.Seed, last.TestTop1, last.TestTop5, last.S, r.Epochs.Count, o.OutDir)));
        }
        var c = CultureInfo.InvariantCulture;
        var runs = new DataFrame(
            new StringDataFrameColumn("model", finished.Select(f => f.Item1.Model)),
            new StringDataFrameColumn("dataset", finished.Select(f => f.Item1.Dataset)),
            new StringDataFrameColumn("arm", finished.Select(f => f.Item1.Arm)),
            new PrimitiveDataFrameColumn<int>("seed", finished.Select(f => f.Item1.Seed)),
            new PrimitiveDataFrameColumn<double>("top1", finished.Select(f => f.Item2.Top1)),
            new PrimitiveDataFrameColumn<double>("top5", finished.Select(f => f.Item2.Top5)),
            new PrimitiveDataFrameColumn<double>("final_s", finished.Select(f => f.Item2.FinalS)),
            new PrimitiveDataFrameColumn<int>("epochs", finished.Select(f => f.Item2.Epochs)));
        var runsPath = Path.Combine(outDir, "runs.csv");
        ExperimentSummary.SaveCsv(runs, runsPath);
        var lines = new StringBuilder();
        foreach (var g in finished.GroupBy(f => (f.Item1.Model, f.Item1.Dataset)))
        {
            var groupRuns = g.Select(f => f.Item2).ToList();
            if (!groupRuns.Any(r => r.Arm == ExperimentRunner.Baseline) || !groupRuns.Any(r => r.Arm == ExperimentRunner.Constrained)) continue;
            var path = Path.Combine(outDir, $"{g.Key.Model}-{g.Key.Dataset}", "summary.csv");
            ExperimentSummary.SaveCsv(ExperimentSummary.Summarize(groupRuns), path);
            var csv = File.ReadAllLines(path);
            if (lines.Length == 0) lines.Append("model,dataset,").Append(csv[0]).Append('\n');
            foreach (var row in csv.Skip(1)) lines.Append(c, $"{g.Key.Model},{g.Key.Dataset},{row}\n");
        }
        var summaryPath = Path.Combine(outDir, "summary.csv");
        AtomicFile.WriteAllText(summaryPath, lines.ToString());
        return new GridSummary(finished, missing, runs, runsPath, summaryPath);
    }

    /// <summary>
    /// A Slurm job-array script: one array task per plan entry (%A_%a logs under OUT/slurm/), each running
    /// `selfsim experiment --task $SLURM_ARRAY_TASK_ID --out OUT`. A re-submitted array resumes interrupted tasks and skips finished ones.
    /// </summary>
    public static string SbatchScript(GridPlan plan, string outDir, string selfsimCommand, string? partition = null, string time = "48:00:00",
                                      int cpus = 8, string? gpus = "1", string memory = "64G", int? maxParallel = null)
    {
        var c = CultureInfo.InvariantCulture;
        string outAbs = Path.GetFullPath(outDir);
        var sb = new StringBuilder();
        sb.Append("#!/bin/bash\n");
        sb.Append(c, $"#SBATCH --job-name=selfsim-grid\n");
        sb.Append(c, $"#SBATCH --array=0-{plan.Entries.Count - 1}{(maxParallel is int p ? $"%{p}" : "")}\n");
        sb.Append(c, $"#SBATCH --output={outAbs}/slurm/%A_%a.out\n");
        sb.Append(c, $"#SBATCH --time={time}\n");
        sb.Append(c, $"#SBATCH --cpus-per-task={cpus}\n");
        sb.Append(c, $"#SBATCH --mem={memory}\n");
        if (!string.IsNullOrEmpty(gpus)) sb.Append(c, $"#SBATCH --gres=gpu:{gpus}\n");
        if (!string.IsNullOrEmpty(partition)) sb.Append(c, $"#SBATCH --partition={partition}\n");
        sb.Append("# Written by `selfsim experiment --sbatch`: one array task per line of plan.tsv. Re-submit to resume.\n");
        sb.Append("set -euo pipefail\n");
        sb.Append(c, $"exec {selfsimCommand} experiment --task \"$SLURM_ARRAY_TASK_ID\" --out '{outAbs}'\n");
        return sb.ToString();
    }
}

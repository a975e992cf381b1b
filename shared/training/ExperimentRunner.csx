#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.Data.Analysis;

/// <summary>The result of a baseline-vs-constrained experiment: per-run rows and the summary table, both also saved as CSV.</summary>
public sealed record ExperimentResult(IReadOnlyList<ArmRun> Runs, DataFrame Summary, DataFrame RunTable, string? SummaryPath);

/// <summary>
/// The paper's comparison (Ding et al. 2025, Sec. 5): for each seed, a baseline run that records S (cross-entropy only)
/// and a run under the Srate constraint, same seed and settings otherwise. Runs go to OUT/baseline-seedK and
/// OUT/constrained-seedK; finished runs are reused, unfinished ones resumed; OUT/runs.csv and OUT/summary.csv hold the tables.
/// </summary>
public static class ExperimentRunner
{
    public const string Baseline = "baseline", Constrained = "constrained";

    /// <param name="template">Settings shared by both arms; its Srate mode and OutDir are replaced per arm.</param>
    /// <param name="train">Runs one configuration (the CLI passes one with a progress bar); default: <see cref="ClassifierTrainer.Train"/>.</param>
    public static ExperimentResult Run(TrainingOptions template, IReadOnlyList<int> seeds, string outDir,
                                       Func<TrainingOptions, bool, RunReport>? train = null, CancellationToken cancel = default)
    {
        if (seeds.Count == 0) throw new SelfSimException("The experiment needs at least one seed (e.g. --seeds 0,1,2).");
        train ??= (o, resume) => ClassifierTrainer.Train(o, resume, null, cancel);
        var runs = new List<ArmRun>();
        foreach (int seed in seeds)
            foreach (var (arm, mode) in new[] { (Baseline, SrateMode.Record), (Constrained, SrateMode.Constrain) })
            {
                cancel.ThrowIfCancellationRequested();
                var dir = Path.Combine(outDir, $"{arm}-seed{seed}");
                var o = template with { Seed = seed, Srate = mode, OutDir = dir };
                var report = Existing(dir, o) ?? train(o, File.Exists(Path.Combine(dir, TrainingCheckpoint.FileName)));
                if (report.Status != "completed")
                    throw new SelfSimException($"The {arm} run for seed {seed} ended '{report.Status}' ({report.Message}). Re-run the experiment to resume it.");
                var last = report.Epochs[^1];
                runs.Add(new ArmRun(arm, seed, last.TestTop1, last.TestTop5, last.S, report.Epochs.Count, dir));
            }
        var summary = ExperimentSummary.Summarize(runs, Baseline, Constrained);
        var table = ExperimentSummary.Runs(runs);
        Directory.CreateDirectory(outDir);
        ExperimentSummary.SaveCsv(table, Path.Combine(outDir, "runs.csv"));
        var summaryPath = Path.Combine(outDir, "summary.csv");
        ExperimentSummary.SaveCsv(summary, summaryPath);
        return new ExperimentResult(runs, summary, table, summaryPath);
    }

    /// <summary>A completed run with the same settings in <paramref name="dir"/>, or null.</summary>
    static RunReport? Existing(string dir, TrainingOptions o)
    {
        if (!File.Exists(Path.Combine(dir, RunLog.JsonName))) return null;
        var r = RunLog.Read(dir);
        return r.Status == "completed" && r.Options == o ? r : null;
    }
}

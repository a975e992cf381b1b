#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.Data.Analysis;

/// <summary>The result of a baseline-vs-constrained experiment: per-run rows and the summary table, both also saved as CSV.</summary>
public sealed record ExperimentResult(IReadOnlyList<ArmRun> Runs, DataFrame Summary, DataFrame RunTable, string? SummaryPath);

/// <summary>How a constrained arm's target is chosen (recorded in each run's metrics.json as <see cref="TrainingOptions.SrateTargetRule"/>).</summary>
public enum TargetRule
{
    /// <summary>The literal --target-sfm-rate of the reference's run_training.sh (<see cref="TrainingOptions.ReferenceSrateTarget"/>): the default.</summary>
    Reference,
    /// <summary>A value the user gives (target=0.1).</summary>
    Fixed,
    /// <summary>The same seed's baseline S at convergence (its mean S over the last epoch): a labelled variant (target=baseline).</summary>
    Baseline,
}

/// <summary>
/// One constrained arm of an experiment. Null fields take the template's value (λ: the model's reference value).
/// <see cref="Rule"/> says where the target comes from; <see cref="Target"/> is its value for <see cref="TargetRule.Fixed"/>.
/// <see cref="Penalty"/> is the Srate term or the activation-scale control (<see cref="SratePenalty"/>).
/// </summary>
public sealed record ExperimentArm(string Name, double? Weight = null, double? ChangeLimit = null, double? Target = null,
    TargetRule Rule = TargetRule.Reference, SratePenalty Penalty = SratePenalty.Srate)
{
    /// <summary>
    /// Parses arms such as "lambda=5e-2; lambda=0.5 target=0.1; lambda=0.5 target=baseline; lambda=0.5 control=scale"
    /// (';' between arms, spaces between keys lambda, c, target, control and name). target is a number, "reference"
    /// (the default: the reference's literal value) or "baseline" (the paired baseline's converged S); control=scale
    /// makes the arm the activation-scale mechanism control. Each arm is named from its keys unless name= is given.
    /// </summary>
    public static IReadOnlyList<ExperimentArm> Parse(string spec)
    {
        var arms = new List<ExperimentArm>();
        foreach (var part in (spec ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            double? w = null, c = null, t = null;
            var rule = TargetRule.Reference;
            var penalty = SratePenalty.Srate;
            string? name = null;
            var auto = new List<string>();
            foreach (var kv in part.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var bits = kv.Split('=', 2);
                if (bits.Length != 2)
                    throw new SelfSimException($"--arms: '{kv}' is not key=value. Write arms like \"lambda=5e-2; lambda=0.5 target=0.1\".");
                string key = bits[0].Trim().ToLowerInvariant(), val = bits[1].Trim();
                if (key == "name") { name = val; continue; }
                if (key == "target" && val.ToLowerInvariant() is "baseline" or "reference")
                {
                    rule = val.ToLowerInvariant() == "baseline" ? TargetRule.Baseline : TargetRule.Reference;
                    t = null;
                    auto.Add("target" + (rule == TargetRule.Baseline ? "Base" : "Ref"));
                    continue;
                }
                if (key == "control")
                {
                    if (val.ToLowerInvariant() != "scale")
                        throw new SelfSimException($"--arms: control={val} is unknown. The one control is control=scale (the activation-scale penalty).");
                    penalty = SratePenalty.ActivationScale;
                    auto.Add("scaleControl");
                    continue;
                }
                if (!double.TryParse(val, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < 0)
                    throw new SelfSimException($"--arms: '{kv}' needs a non-negative number after '='" +
                                               (key == "target" ? " (or target=baseline, target=reference)." : "."));
                switch (key)
                {
                    case "lambda": case "weight": w = v; auto.Add("lambda" + val); break;
                    case "c": case "change-limit": c = v; auto.Add("c" + val); break;
                    case "target": t = v; rule = TargetRule.Fixed; auto.Add("target" + val); break;
                    default: throw new SelfSimException($"--arms: unknown key '{key}'. Use lambda, c, target, control or name.");
                }
            }
            name ??= auto.Count > 0 ? string.Join("-", auto) : ExperimentRunner.Constrained;
            if (name == ExperimentRunner.Baseline || arms.Any(a => a.Name == name))
                throw new SelfSimException($"--arms: the arm name '{name}' is used twice (or is 'baseline'). Give each arm its own name=.");
            arms.Add(new ExperimentArm(name, w, c, t, rule, penalty));
        }
        if (arms.Count == 0) throw new SelfSimException("--arms: no arm given. Example: \"lambda=5e-2; lambda=0.5 target=0.1\".");
        return arms;
    }

    /// <summary>The target this arm trains toward, and the rule's name for metrics.json.</summary>
    public (double Target, string Rule) ResolveTarget(TrainingOptions template, string baselineDir) => Rule switch
    {
        TargetRule.Fixed => (Target ?? throw new SelfSimException($"Arm '{Name}': a fixed target needs a value (target=0.3)."), "fixed"),
        TargetRule.Baseline => (RunLog.FinalS(baselineDir), "baseline"),
        _ => (TrainingOptions.ReferenceSrateTarget(template.Model, template.Dataset), "reference"),
    };
}

/// <summary>
/// The paper's comparison (Ding et al. 2025, Sec. 5): for each seed, a baseline run that records S (cross-entropy only),
/// then one run per constrained arm, same seed and settings otherwise. The constrained target defaults to the reference's
/// literal --target-sfm-rate (0.3; 0.2 for Mixer on CIFAR and ResMLP on Imagenette), as its run_training.sh runs it; the
/// paired baseline's converged S (<see cref="RunLog.FinalS"/>) is the labelled variant target=baseline. A run is identified by model × dataset × arm × seed and lives in
/// <see cref="RunFolder"/>; its metrics.json status "completed" marks it finished. Finished runs are skipped, unfinished
/// ones resumed from their checkpoint, so a grid can run in pieces (one seed or arm at a time, over days) and be
/// summarised at the end with <see cref="Summarize"/>. OUT/runs.csv and OUT/summary.csv hold the tables.
/// </summary>
public static class ExperimentRunner
{
    public const string Baseline = "baseline", Constrained = "constrained";

    /// <summary>The default arms: one constrained arm with the template's λ (or the model's reference λ) and the reference's literal target.</summary>
    public static IReadOnlyList<ExperimentArm> DefaultArms { get; } = new[] { new ExperimentArm(Constrained) };

    /// <summary>OUT/MODEL-DATASET/ARM/seedK: one folder per model × dataset × arm × seed.</summary>
    public static string RunFolder(string outDir, string model, string dataset, string arm, int seed) =>
        Path.Combine(outDir, $"{model}-{dataset}", arm, $"seed{seed}");

    /// <param name="template">Settings shared by all arms; Srate mode, weight, limit, target and OutDir are replaced per arm.</param>
    /// <param name="arms">The constrained arms (default <see cref="DefaultArms"/>); the baseline always runs first per seed.</param>
    /// <param name="train">Runs one configuration (the CLI passes one with a progress bar); default: <see cref="ClassifierTrainer.Train"/>.</param>
    /// <param name="summarizeOnly">Train nothing: summarise the finished runs found on disk (unfinished ones are listed and left out).</param>
    public static ExperimentResult Run(TrainingOptions template, IReadOnlyList<int> seeds, string outDir,
                                       Func<TrainingOptions, bool, RunReport>? train = null, CancellationToken cancel = default,
                                       IReadOnlyList<ExperimentArm>? arms = null, bool summarizeOnly = false, Action<string>? log = null)
    {
        if (seeds.Count == 0) throw new SelfSimException("The experiment needs at least one seed (e.g. --seeds 0,1,2).");
        arms ??= DefaultArms;
        log ??= _ => { };
        train ??= (o, resume) => ClassifierTrainer.Train(o, resume, null, cancel);
        var runs = new List<ArmRun>();
        foreach (int seed in seeds)
        {
            cancel.ThrowIfCancellationRequested();
            var baseOptions = template with { Seed = seed, Srate = SrateMode.Record, OutDir = RunFolder(outDir, template.Model, template.Dataset, Baseline, seed) };
            var baseReport = Obtain(baseOptions, Baseline, train, summarizeOnly, log);
            if (baseReport is null) continue;
            runs.Add(ArmRun.From(Baseline, seed, baseReport, baseOptions.OutDir));
            foreach (var arm in arms)
            {
                cancel.ThrowIfCancellationRequested();
                var (target, rule) = arm.ResolveTarget(template, baseOptions.OutDir!);
                var o = template with
                {
                    Seed = seed,
                    Srate = SrateMode.Constrain,
                    OutDir = RunFolder(outDir, template.Model, template.Dataset, arm.Name, seed),
                    SrateWeight = arm.Weight ?? template.SrateWeight,
                    ChangeLimit = arm.ChangeLimit ?? template.ChangeLimit,
                    SrateTarget = target,
                    SrateTargetRule = rule,
                    Penalty = arm.Penalty,
                };
                var report = Obtain(o, arm.Name, train, summarizeOnly, log);
                if (report is not null) runs.Add(ArmRun.From(arm.Name, seed, report, o.OutDir));
            }
        }
        return Summarize(runs, outDir, arms.Select(a => a.Name).ToList());
    }

    /// <summary>
    /// Collects every finished run under <paramref name="outDir"/> (MODEL-DATASET/ARM/seedK/metrics.json with status "completed"),
    /// without a template and without training: the summary of a grid that ran in pieces, or of committed measured results.
    /// Unfinished runs are reported through <paramref name="log"/> and left out. With <paramref name="write"/>, runs.csv and
    /// summary.csv are (re)written. Arms are ordered baseline first, then by name.
    /// </summary>
    public static ExperimentResult Load(string outDir, bool write = false, Action<string>? log = null)
    {
        if (!Directory.Exists(outDir)) throw new SelfSimException($"No experiment folder '{outDir}'. Point to the --out folder of `selfsim experiment`.");
        var runs = new List<ArmRun>();
        foreach (var grid in Directory.GetDirectories(outDir).OrderBy(d => d, StringComparer.Ordinal))
            foreach (var armDir in Directory.GetDirectories(grid).OrderBy(d => d, StringComparer.Ordinal))
                foreach (var seedDir in Directory.GetDirectories(armDir, "seed*"))
                {
                    if (!int.TryParse(Path.GetFileName(seedDir)[4..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int seed)) continue;
                    if (!RunLog.IsCompleted(seedDir)) { log?.Invoke($"{seedDir}: not finished, left out"); continue; }
                    runs.Add(ArmRun.From(Path.GetFileName(armDir), seed, RunLog.Read(seedDir), seedDir));
                }
        if (runs.Count == 0) throw new SelfSimException($"No finished run under '{outDir}' (expected MODEL-DATASET/ARM/seedK/metrics.json).");
        runs = runs.OrderBy(r => r.Seed).ThenBy(r => r.Arm == Baseline ? "" : r.Arm, StringComparer.Ordinal).ToList();
        var arms = runs.Select(r => r.Arm).Where(a => a != Baseline).Distinct().OrderBy(a => a, StringComparer.Ordinal).ToList();
        if (write) return Summarize(runs, outDir, arms);
        return new ExperimentResult(runs, ExperimentSummary.Summarize(runs, Baseline, arms), ExperimentSummary.Runs(runs), null);
    }

    /// <summary>Writes runs.csv and summary.csv (every arm against the baseline) for runs already collected.</summary>
    public static ExperimentResult Summarize(IReadOnlyList<ArmRun> runs, string outDir, IReadOnlyList<string> arms)
    {
        var summary = ExperimentSummary.Summarize(runs, Baseline, arms);
        var table = ExperimentSummary.Runs(runs);
        Directory.CreateDirectory(outDir);
        ExperimentSummary.SaveCsv(table, Path.Combine(outDir, "runs.csv"));
        var summaryPath = Path.Combine(outDir, "summary.csv");
        ExperimentSummary.SaveCsv(summary, summaryPath);
        ExperimentSummary.SaveCsv(ExperimentSummary.LayerShifts(runs), Path.Combine(outDir, "layers.csv"));
        return new ExperimentResult(runs, summary, table, summaryPath);
    }

    /// <summary>The finished run in o.OutDir, or trains (resuming from its checkpoint if there is one); null when only summarising and it is unfinished.</summary>
    static RunReport? Obtain(TrainingOptions o, string arm, Func<TrainingOptions, bool, RunReport> train, bool summarizeOnly, Action<string> log)
    {
        var dir = o.OutDir!;
        if (RunLog.IsCompleted(dir))
        {
            var done = RunLog.Read(dir);
            // Where the files live, the thread count and the device do not change what a run is.
            if (done.Options with { OutDir = o.OutDir, DataDir = o.DataDir, Threads = o.Threads, Device = o.Device } == o) { log($"{arm} seed {o.Seed}: finished, skipped ({dir})"); return done; }
            if (summarizeOnly) { log($"{arm} seed {o.Seed}: finished with other settings, left out ({dir})"); return null; }
            throw new SelfSimException($"{dir} holds a finished {arm} run with other settings than this experiment's. " +
                                       "Use another --out folder, or delete that run to retrain it.");
        }
        if (summarizeOnly) { log($"{arm} seed {o.Seed}: not finished, left out ({dir})"); return null; }
        if (File.Exists(Path.Combine(dir, RunLog.JsonName)) && RunLog.Read(dir) is { Status: "diverged" } gone
            && gone.Options with { OutDir = o.OutDir, DataDir = o.DataDir, Threads = o.Threads, Device = o.Device } == o)
        {
            // A diverged arm is a result, not a fault: resuming it would diverge again. Delete the folder to retry.
            log($"{arm} seed {o.Seed}: diverged earlier ({gone.Message}), left out; delete {dir} to retry");
            return null;
        }
        bool resume = File.Exists(Path.Combine(dir, TrainingCheckpoint.FileName));
        log($"{arm} seed {o.Seed}: {(resume ? "resuming" : "training")} ({dir})");
        RunReport report;
        try { report = train(o, resume); }
        catch (TrainingDivergedException e) when (arm != Baseline)
        {
            // The grid goes on: the other arms and seeds still answer the question; the summary lists this run as diverged.
            log($"{arm} seed {o.Seed}: diverged ({e.Message}); left out of the summary, the grid goes on");
            return null;
        }
        if (report.Status != "completed")
            throw new SelfSimException($"The {arm} run for seed {o.Seed} ended '{report.Status}' ({report.Message}). Re-run the experiment to resume it.");
        return report;
    }
}

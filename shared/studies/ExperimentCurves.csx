#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

// Per-epoch curves and a plain-language reading of a baseline-vs-constrained experiment (Ding et al. 2025, arXiv 2507.17785,
// Sec. 5: the Srate constraint against cross-entropy training, same seeds).

/// <summary>The per-epoch records of one run of an experiment arm.</summary>
public sealed record ArmCurve(string Arm, int Seed, IReadOnlyList<EpochRecord> Epochs);

/// <summary>Mean and sample standard deviation over seeds of one metric at one epoch of one arm.</summary>
public sealed record ArmPoint(string Arm, int Epoch, int Runs, double Mean, double Std);

/// <summary>Reads and aggregates the per-epoch metrics of an <see cref="ExperimentResult"/>.</summary>
public static class ExperimentCurves
{
    /// <summary>Each run's metrics.json (from its OutDir).</summary>
    public static IReadOnlyList<ArmCurve> Load(ExperimentResult result)
    {
        var curves = new List<ArmCurve>();
        foreach (var run in result.Runs)
        {
            if (string.IsNullOrEmpty(run.OutDir))
                throw new SelfSimException($"The {run.Arm} run of seed {run.Seed} has no output folder, so its per-epoch metrics cannot be read. Run the experiment with an output folder.");
            curves.Add(new ArmCurve(run.Arm, run.Seed, RunLog.Read(run.OutDir).Epochs));
        }
        return curves;
    }

    /// <summary>Mean ± std over seeds of <paramref name="metric"/> per arm and epoch (non-finite values are left out).</summary>
    public static IReadOnlyList<ArmPoint> Aggregate(IEnumerable<ArmCurve> curves, Func<EpochRecord, double> metric)
    {
        var points = new List<ArmPoint>();
        foreach (var arm in curves.GroupBy(c => c.Arm))
            foreach (var epoch in arm.SelectMany(c => c.Epochs).GroupBy(e => e.Epoch).OrderBy(g => g.Key))
            {
                var v = epoch.Select(metric).Where(double.IsFinite).ToList();
                var (m, sd) = ExperimentSummary.MeanStd(v);
                points.Add(new ArmPoint(arm.Key, epoch.Key, v.Count, m, sd));
            }
        return points;
    }

    /// <summary>
    /// What the experiment shows about top-1 accuracy, in one plain sentence built from the paired difference
    /// (treatment − baseline, same seeds): its mean, the 95 % interval and whether the interval excludes 0.
    /// </summary>
    public static string Verdict(IReadOnlyList<ArmRun> runs, string baseline = ExperimentRunner.Baseline,
        string treatment = ExperimentRunner.Constrained, double confidence = 0.95)
    {
        var inv = CultureInfo.InvariantCulture;
        var seeds = runs.Where(r => r.Arm == baseline).Select(r => r.Seed)
            .Intersect(runs.Where(r => r.Arm == treatment).Select(r => r.Seed)).OrderBy(s => s).ToList();
        if (seeds.Count == 0) return $"No seed has both a {baseline} and a {treatment} run, so there is nothing to compare.";
        var b = seeds.Select(s => runs.First(r => r.Arm == baseline && r.Seed == s).Top1).ToList();
        var t = seeds.Select(s => runs.First(r => r.Arm == treatment && r.Seed == s).Top1).ToList();
        var p = ExperimentSummary.Paired(b, t, confidence);
        string diff = string.Format(inv, "{0:+0.00;-0.00;0.00} percentage points", p.Difference.Value);
        if (seeds.Count < 2)
            return $"With 1 seed the {treatment} run differs from the {baseline} by {diff} in test top-1; one pair gives no interval, so this says nothing either way. Use at least 3 seeds.";
        string ci = string.Format(inv, "{0:P0} CI [{1:+0.00;-0.00;0.00}, {2:+0.00;-0.00;0.00}]", confidence, p.Difference.Lower, p.Difference.Upper);
        string what = p.Difference.Lower > 0 ? $"the {treatment} runs are more accurate: the interval lies above 0"
            : p.Difference.Upper < 0 ? $"the {treatment} runs are less accurate: the interval lies below 0"
            : "the interval includes 0, so these runs show no detectable difference in accuracy";
        return $"Over {seeds.Count} paired seeds, {treatment} − {baseline} test top-1 = {diff} ({ci}): {what}.";
    }

    /// <summary>
    /// One sentence per treatment arm on final and best-epoch top-1 (paired over seeds, 95 % t intervals), then whether the
    /// paper's claimed gain (an accuracy improvement of up to several points) appears in these runs.
    /// </summary>
    public static string VerdictAllArms(IReadOnlyList<ArmRun> runs, string baseline = ExperimentRunner.Baseline, double confidence = 0.95)
    {
        var inv = CultureInfo.InvariantCulture;
        var lines = new List<string>();
        bool anyGain = false, anyLoss = false;
        foreach (var arm in runs.Select(r => r.Arm).Where(a => a != baseline).Distinct())
        {
            var f = ExperimentSummary.Paired(runs, baseline, arm, r => r.Top1, confidence);
            var b = ExperimentSummary.Paired(runs, baseline, arm, r => r.BestTop1, confidence);
            if (f.Pairs == 0) continue;
            string D(PairedDifference p) => p.Pairs < 2
                ? string.Format(inv, "{0:+0.00;-0.00;0.00} (1 pair, no interval)", p.Difference.Value)
                : string.Format(inv, "{0:+0.00;-0.00;0.00} [{1:+0.00;-0.00;0.00}, {2:+0.00;-0.00;0.00}]", p.Difference.Value, p.Difference.Lower, p.Difference.Upper);
            anyGain |= f.Pairs >= 2 && (f.Difference.Lower > 0 || b.Difference.Lower > 0);
            anyLoss |= f.Pairs >= 2 && (f.Difference.Upper < 0 || b.Difference.Upper < 0);
            lines.Add($"{arm} − {baseline} over {f.Pairs} seed(s): final top-1 {D(f)}, best top-1 {D(b)} percentage points.");
        }
        if (lines.Count == 0) return $"No seed has both a {baseline} and a constrained run, so there is nothing to compare.";
        lines.Add(anyGain ? "At least one constrained arm beats the baseline with a 95 % interval above 0: a gain appears here."
            : anyLoss ? "No constrained arm beats the baseline; at least one is worse (interval below 0): the paper's gain does not appear here."
            : "Every interval includes 0: the paper's gain does not appear in these runs (nor does a loss).");
        return string.Join("\n", lines);
    }
}

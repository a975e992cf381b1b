#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Data.Analysis;

/// <summary>
/// The outcome of one run of an experiment arm. Top1 is the final epoch's test top-1; BestTop1 the best over epochs (the
/// reference's max_accuracy). GateZ is the mean gate z over the run's epochs after the first (z is 0 in epoch 0 by rule),
/// GateOpen the fraction of those epochs' steps with z &gt; 0.5; both NaN for runs that do not constrain.
/// </summary>
public sealed record ArmRun(string Arm, int Seed, double Top1, double Top5, double FinalS, int Epochs, string? OutDir = null,
                            double BestTop1 = double.NaN, int BestEpoch = -1, double GateZ = double.NaN, double GateOpen = double.NaN)
{
    /// <summary>How many final epochs <see cref="LateS"/> and <see cref="LateSByLayer"/> average (S of one epoch is noisy:
    /// each layer is drawn on about a sixth of the steps).</summary>
    public const int LateEpochs = 5;
    /// <summary>Mean S over the last <see cref="LateEpochs"/> epochs (NaN when S was not measured).</summary>
    public double LateS { get; init; } = double.NaN;
    /// <summary>Mean S per layer over the last <see cref="LateEpochs"/> epochs.</summary>
    public IReadOnlyDictionary<string, double> LateSByLayer { get; init; } = new Dictionary<string, double>();
    /// <summary>Mean ‖∇θ term‖ / ‖∇θ CE‖ over the epochs after the first (NaN for runs that do not constrain).</summary>
    public double GradRatio { get; init; } = double.NaN;
    /// <summary>Mean fraction of steps the term acted on, over the epochs after the first.</summary>
    public double TermSteps { get; init; } = double.NaN;
    /// <summary>Mean cos(dS/dx, x) over the epochs after the first.</summary>
    public double ScaleCosine { get; init; } = double.NaN;
    /// <summary>The target S and its rule (reference, fixed, baseline); NaN and null for runs that do not constrain.</summary>
    public double Target { get; init; } = double.NaN;
    public string? TargetRule { get; init; }

    /// <summary>The row of a finished run.</summary>
    public static ArmRun From(string arm, int seed, RunReport r, string? outDir)
    {
        var last = r.Epochs[^1];
        bool constrained = r.Options.Srate == SrateMode.Constrain;
        var gated = constrained ? r.Epochs.Where(e => e.Epoch > 0).ToList() : new List<EpochRecord>();
        var late = r.Epochs.Skip(Math.Max(0, r.Epochs.Count - LateEpochs)).ToList();
        double Mean(IEnumerable<double> xs) { var f = xs.Where(double.IsFinite).ToList(); return f.Count > 0 ? f.Average() : double.NaN; }
        var layers = late.SelectMany(e => e.SByLayer.Keys).Distinct().ToList();
        return new ArmRun(arm, seed, last.TestTop1, last.TestTop5, last.S, r.Epochs.Count, outDir, r.BestTop1, r.BestEpoch,
            gated.Count > 0 ? gated.Average(e => e.Z) : double.NaN, gated.Count > 0 ? gated.Average(e => e.GateOpenFraction) : double.NaN)
        {
            LateS = Mean(late.Select(e => e.S)),
            LateSByLayer = layers.ToDictionary(l => l, l => Mean(late.Select(e => e.SByLayer.TryGetValue(l, out var v) ? v : double.NaN))),
            GradRatio = Mean(gated.Select(e => e.GradRatio)),
            TermSteps = gated.Count > 0 ? gated.Average(e => e.TermStepFraction) : double.NaN,
            ScaleCosine = Mean(gated.Select(e => e.ScaleCosine)),
            Target = constrained ? r.Options.SrateTarget : double.NaN,
            TargetRule = constrained ? r.Options.SrateTargetRule : null,
        };
    }
}

/// <summary>A paired comparison of two arms over seeds: mean difference (treatment − baseline) with a two-sided t interval.</summary>
public sealed record PairedDifference(int Pairs, double Mean, double Std, double Low, double High, double Confidence);

/// <summary>
/// Baseline-vs-constrained summary over seeds: mean ± sample std of final and best top-1, top-5, final S and gate activity
/// per arm, and for each treatment arm the paired differences of final and best top-1 with Student-t intervals
/// (the pairs share a seed, hence the same initial weights and data order).
/// </summary>
public static class ExperimentSummary
{
    public static (double Mean, double Std) MeanStd(IReadOnlyList<double> xs)
    {
        if (xs.Count == 0) return (double.NaN, double.NaN);
        double m = xs.Average();
        double sd = xs.Count > 1 ? Math.Sqrt(xs.Sum(x => (x - m) * (x - m)) / (xs.Count - 1)) : double.NaN;
        return (m, sd);
    }

    /// <summary>Paired difference treatment[i] − baseline[i]; the interval needs at least 2 pairs (else NaN bounds).</summary>
    public static PairedDifference Paired(IReadOnlyList<double> baseline, IReadOnlyList<double> treatment, double confidence = 0.95)
    {
        if (baseline.Count != treatment.Count)
            throw new SelfSimException($"Paired difference: {baseline.Count} baseline runs but {treatment.Count} constrained runs. Every seed needs both arms.");
        var d = baseline.Zip(treatment, (b, t) => t - b).ToList();
        var (m, sd) = MeanStd(d);
        if (d.Count < 2) return new PairedDifference(d.Count, m, sd, double.NaN, double.NaN, confidence);
        double half = StudentT.Quantile(0.5 + confidence / 2, d.Count - 1) * sd / Math.Sqrt(d.Count);
        return new PairedDifference(d.Count, m, sd, m - half, m + half, confidence);
    }

    /// <summary>The paired difference of <paramref name="metric"/> between two arms over the seeds both have.</summary>
    public static PairedDifference Paired(IReadOnlyList<ArmRun> runs, string baseline, string treatment, Func<ArmRun, double> metric, double confidence = 0.95)
    {
        var seeds = runs.Where(r => r.Arm == baseline).Select(r => r.Seed)
            .Intersect(runs.Where(r => r.Arm == treatment).Select(r => r.Seed)).OrderBy(x => x).ToList();
        double Pick(string a, int seed) => metric(runs.First(r => r.Arm == a && r.Seed == seed));
        return Paired(seeds.Select(s => Pick(baseline, s)).ToList(), seeds.Select(s => Pick(treatment, s)).ToList(), confidence);
    }

    /// <summary>The summary's columns after "arm" and "runs".</summary>
    public static readonly string[] Columns =
    {
        "top1_mean", "top1_std", "top5_mean", "top5_std", "s_final_mean", "s_final_std", "diff_top1_ci_low", "diff_top1_ci_high",
        "best_top1_mean", "best_top1_std", "diff_best_ci_low", "diff_best_ci_high", "gate_z_mean", "gate_open_mean",
    };

    /// <summary>Summarize with the one treatment arm of a two-arm experiment.</summary>
    public static DataFrame Summarize(IReadOnlyList<ArmRun> runs, string baseline = "baseline", string treatment = "constrained", double confidence = 0.95) =>
        Summarize(runs, baseline, new[] { treatment }, confidence);

    /// <summary>
    /// One row per arm (baseline first), then one "ARM - baseline" row per treatment arm with paired seeds: the mean ± std of
    /// the per-seed differences (final top-1, top-5, final S, best top-1) and the t intervals of the final and best top-1
    /// differences. Columns: arm, runs, then <see cref="Columns"/>.
    /// </summary>
    public static DataFrame Summarize(IReadOnlyList<ArmRun> runs, string baseline, IReadOnlyList<string> treatments, double confidence = 0.95)
    {
        var arm = new StringDataFrameColumn("arm");
        var n = new Int32DataFrameColumn("runs");
        var cols = Columns.Select(c => new DoubleDataFrameColumn(c)).ToArray();
        void Row(string name, int count, params double[] v)
        {
            arm.Append(name); n.Append(count);
            for (int i = 0; i < cols.Length; i++) cols[i].Append(double.IsNaN(v[i]) ? null : v[i]);
        }
        (double, double) Stat(IEnumerable<ArmRun> g, Func<ArmRun, double> f) => MeanStd(g.Select(f).Where(double.IsFinite).ToList());
        var order = new[] { baseline }.Concat(treatments).ToList();
        foreach (var g in runs.GroupBy(r => r.Arm).OrderBy(g => order.IndexOf(g.Key) is var i && i >= 0 ? i : order.Count))
        {
            var t1 = Stat(g, r => r.Top1); var t5 = Stat(g, r => r.Top5); var s = Stat(g, r => r.FinalS); var b = Stat(g, r => r.BestTop1);
            Row(g.Key, g.Count(), t1.Item1, t1.Item2, t5.Item1, t5.Item2, s.Item1, s.Item2, double.NaN, double.NaN,
                b.Item1, b.Item2, double.NaN, double.NaN, Stat(g, r => r.GateZ).Item1, Stat(g, r => r.GateOpen).Item1);
        }
        foreach (var treatment in treatments)
        {
            var p1 = Paired(runs, baseline, treatment, r => r.Top1, confidence);
            if (p1.Pairs == 0) continue;
            var p5 = Paired(runs, baseline, treatment, r => r.Top5, confidence);
            var ps = Paired(runs, baseline, treatment, r => r.FinalS, confidence);
            var pb = Paired(runs, baseline, treatment, r => r.BestTop1, confidence);
            Row($"{treatment} - {baseline}", p1.Pairs, p1.Mean, p1.Std, p5.Mean, p5.Std, ps.Mean, ps.Std, p1.Low, p1.High,
                pb.Mean, pb.Std, pb.Low, pb.High, double.NaN, double.NaN);
        }
        return new DataFrame(new DataFrameColumn[] { arm, n }.Concat(cols));
    }

    /// <summary>The per-run table: arm, seed, epochs, top1 (final), best_top1, best_epoch, top5, s_final, gate_z, gate_open,
    /// s_late, target, target_rule, term_steps, grad_ratio, scale_cos, out_dir.</summary>
    public static DataFrame Runs(IReadOnlyList<ArmRun> runs)
    {
        double? N(double v) => double.IsFinite(v) ? v : null;
        return new(
            new StringDataFrameColumn("arm", runs.Select(r => r.Arm)),
            new Int32DataFrameColumn("seed", runs.Select(r => r.Seed)),
            new Int32DataFrameColumn("epochs", runs.Select(r => r.Epochs)),
            new DoubleDataFrameColumn("top1", runs.Select(r => r.Top1)),
            new DoubleDataFrameColumn("best_top1", runs.Select(r => N(r.BestTop1))),
            new Int32DataFrameColumn("best_epoch", runs.Select(r => r.BestEpoch)),
            new DoubleDataFrameColumn("top5", runs.Select(r => r.Top5)),
            new DoubleDataFrameColumn("s_final", runs.Select(r => N(r.FinalS))),
            new DoubleDataFrameColumn("gate_z", runs.Select(r => N(r.GateZ))),
            new DoubleDataFrameColumn("gate_open", runs.Select(r => N(r.GateOpen))),
            new DoubleDataFrameColumn("s_late", runs.Select(r => N(r.LateS))),
            new DoubleDataFrameColumn("target", runs.Select(r => N(r.Target))),
            new StringDataFrameColumn("target_rule", runs.Select(r => r.TargetRule ?? "")),
            new DoubleDataFrameColumn("term_steps", runs.Select(r => N(r.TermSteps))),
            new DoubleDataFrameColumn("grad_ratio", runs.Select(r => N(r.GradRatio))),
            new DoubleDataFrameColumn("scale_cos", runs.Select(r => N(r.ScaleCosine))),
            new StringDataFrameColumn("out_dir", runs.Select(r => r.OutDir ?? "")));
    }

    /// <summary>
    /// Did S move? Per arm and layer: the baseline's and the arm's late S (<see cref="ArmRun.LateSByLayer"/>) and the paired
    /// difference arm − baseline with its t interval, plus an "all" row on <see cref="ArmRun.LateS"/>. Columns: arm, layer,
    /// pairs, s_baseline, s_arm, diff, diff_ci_low, diff_ci_high.
    /// </summary>
    public static DataFrame LayerShifts(IReadOnlyList<ArmRun> runs, string baseline = "baseline", double confidence = 0.95)
    {
        var arm = new StringDataFrameColumn("arm"); var layer = new StringDataFrameColumn("layer");
        var pairs = new Int32DataFrameColumn("pairs");
        var cols = new[] { "s_baseline", "s_arm", "diff", "diff_ci_low", "diff_ci_high" }.Select(c => new DoubleDataFrameColumn(c)).ToArray();
        double? N(double v) => double.IsFinite(v) ? v : null;
        var baseRuns = runs.Where(r => r.Arm == baseline).ToDictionary(r => r.Seed);
        foreach (var a in runs.Select(r => r.Arm).Where(a => a != baseline).Distinct())
        {
            var mine = runs.Where(r => r.Arm == a && baseRuns.ContainsKey(r.Seed)).OrderBy(r => r.Seed).ToList();
            if (mine.Count == 0) continue;
            var names = new[] { "all" }.Concat(baseRuns.Values.SelectMany(r => r.LateSByLayer.Keys).Distinct()).ToList();
            foreach (var name in names)
            {
                double Of(ArmRun r) => name == "all" ? r.LateS : r.LateSByLayer.TryGetValue(name, out var v) ? v : double.NaN;
                var ok = mine.Where(r => double.IsFinite(Of(r)) && double.IsFinite(Of(baseRuns[r.Seed]))).ToList();
                if (ok.Count == 0) continue;
                var b = ok.Select(r => Of(baseRuns[r.Seed])).ToList();
                var t = ok.Select(Of).ToList();
                var d = Paired(b, t, confidence);
                arm.Append(a); layer.Append(name); pairs.Append(d.Pairs);
                cols[0].Append(b.Average()); cols[1].Append(t.Average()); cols[2].Append(d.Mean); cols[3].Append(N(d.Low)); cols[4].Append(N(d.High));
            }
        }
        return new DataFrame(new DataFrameColumn[] { arm, layer, pairs }.Concat(cols));
    }

    /// <summary>Writes a DataFrame as CSV atomically (invariant culture).</summary>
    public static void SaveCsv(DataFrame df, string path) =>
        AtomicFile.Write(path, s => DataFrame.SaveCsv(df, s, cultureInfo: System.Globalization.CultureInfo.InvariantCulture));
}

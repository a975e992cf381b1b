#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Data.Analysis;

/// <summary>The outcome of one run of an experiment arm.</summary>
public sealed record ArmRun(string Arm, int Seed, double Top1, double Top5, double FinalS, int Epochs, string? OutDir = null);

/// <summary>A paired comparison of two arms over seeds: mean difference (treatment − baseline) with a two-sided t interval.</summary>
public sealed record PairedDifference(int Pairs, double Mean, double Std, double Low, double High, double Confidence);

/// <summary>
/// Baseline-vs-constrained summary over seeds: mean ± sample std of top-1/top-5 per arm, the final S per arm, and the
/// paired top-1 difference with a Student-t interval (the pairs share a seed, hence the same initial weights and data order).
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

    /// <summary>
    /// One row per arm and a final "difference" row (treatment − baseline, paired by seed). Columns: arm, runs,
    /// top1_mean, top1_std, top5_mean, top5_std, s_final_mean, s_final_std, diff_top1_ci_low, diff_top1_ci_high.
    /// </summary>
    public static DataFrame Summarize(IReadOnlyList<ArmRun> runs, string baseline = "baseline", string treatment = "constrained", double confidence = 0.95)
    {
        var arm = new StringDataFrameColumn("arm");
        var n = new Int32DataFrameColumn("runs");
        var cols = new[] { "top1_mean", "top1_std", "top5_mean", "top5_std", "s_final_mean", "s_final_std", "diff_top1_ci_low", "diff_top1_ci_high" }
            .Select(c => new DoubleDataFrameColumn(c)).ToArray();
        void Row(string name, int count, params double[] v)
        {
            arm.Append(name); n.Append(count);
            for (int i = 0; i < cols.Length; i++) cols[i].Append(double.IsNaN(v[i]) ? null : v[i]);
        }
        foreach (var g in runs.GroupBy(r => r.Arm).OrderBy(g => g.Key == baseline ? 0 : g.Key == treatment ? 1 : 2))
        {
            var t1 = MeanStd(g.Select(r => r.Top1).ToList());
            var t5 = MeanStd(g.Select(r => r.Top5).ToList());
            var s = MeanStd(g.Select(r => r.FinalS).Where(double.IsFinite).ToList());
            Row(g.Key, g.Count(), t1.Mean, t1.Std, t5.Mean, t5.Std, s.Mean, s.Std, double.NaN, double.NaN);
        }
        var seeds = runs.Where(r => r.Arm == baseline).Select(r => r.Seed).Intersect(runs.Where(r => r.Arm == treatment).Select(r => r.Seed)).OrderBy(x => x).ToList();
        if (seeds.Count > 0)
        {
            double Pick(string a, int seed, Func<ArmRun, double> f) => f(runs.First(r => r.Arm == a && r.Seed == seed));
            var p1 = Paired(seeds.Select(sd => Pick(baseline, sd, r => r.Top1)).ToList(), seeds.Select(sd => Pick(treatment, sd, r => r.Top1)).ToList(), confidence);
            var p5 = MeanStd(seeds.Select(sd => Pick(treatment, sd, r => r.Top5) - Pick(baseline, sd, r => r.Top5)).ToList());
            var ps = MeanStd(seeds.Select(sd => Pick(treatment, sd, r => r.FinalS) - Pick(baseline, sd, r => r.FinalS)).Where(double.IsFinite).ToList());
            Row($"{treatment} - {baseline}", seeds.Count, p1.Mean, p1.Std, p5.Mean, p5.Std, ps.Mean, ps.Std, p1.Low, p1.High);
        }
        var df = new DataFrame(new DataFrameColumn[] { arm, n }.Concat(cols));
        return df;
    }

    /// <summary>The per-run table: arm, seed, epochs, top1, top5, s_final, out_dir.</summary>
    public static DataFrame Runs(IReadOnlyList<ArmRun> runs) => new(
        new StringDataFrameColumn("arm", runs.Select(r => r.Arm)),
        new Int32DataFrameColumn("seed", runs.Select(r => r.Seed)),
        new Int32DataFrameColumn("epochs", runs.Select(r => r.Epochs)),
        new DoubleDataFrameColumn("top1", runs.Select(r => r.Top1)),
        new DoubleDataFrameColumn("top5", runs.Select(r => r.Top5)),
        new DoubleDataFrameColumn("s_final", runs.Select(r => double.IsFinite(r.FinalS) ? r.FinalS : (double?)null)),
        new StringDataFrameColumn("out_dir", runs.Select(r => r.OutDir ?? "")));

    /// <summary>Writes a DataFrame as CSV atomically (invariant culture).</summary>
    public static void SaveCsv(DataFrame df, string path) =>
        AtomicFile.Write(path, s => DataFrame.SaveCsv(df, s, cultureInfo: System.Globalization.CultureInfo.InvariantCulture));
}

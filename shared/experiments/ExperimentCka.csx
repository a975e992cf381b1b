#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.Data.Analysis;
using static TorchSharp.torch;

// Linear CKA (Kornblith et al. 2019) between the same layer of two finished runs of an experiment, read from their
// checkpoints and probed on the same test images: every arm against the baseline of its seed, and the baseline against
// the baseline of the next seed, the yardstick of how far a new seed alone moves a representation.

/// <summary>One layer of one comparison: run (<see cref="Arm"/>, <see cref="Seed"/>) against the baseline of
/// <see cref="BaselineSeed"/>. A baseline row (<see cref="Arm"/> = "baseline") compares two seeds.</summary>
public sealed record RunCka(string Arm, int Seed, int BaselineSeed, string Layer, double Cka, double CkaUnbiased);

/// <summary>One arm over seeds: the mean over layers of <see cref="RunCka.Cka"/> per seed, then its mean and t interval
/// over seeds.</summary>
public sealed record ArmCka(string Arm, int Seeds, Estimate MeanCka);

/// <summary>CKA across the runs of an experiment (<see cref="Measure"/>), saved as cka.csv beside its summary.</summary>
public static class ExperimentCka
{
    /// <summary>The file <see cref="Save"/> writes into an experiment folder.</summary>
    public const string FileName = "cka.csv";

    /// <summary>
    /// The CKA rows of every finished run of <paramref name="result"/> that has a checkpoint, probed on the first
    /// <paramref name="probeSamples"/> images of <paramref name="test"/> (<see cref="NodeMatrix.ProbeBatch"/>). A seed
    /// without a baseline checkpoint is left out with a line through <paramref name="log"/>.
    /// </summary>
    public static IReadOnlyList<RunCka> Measure(ExperimentResult result, ImageDataset test, int probeSamples = 256,
        Action<string>? log = null)
    {
        if (result is null) throw new SelfSimException("ExperimentCka.Measure: the experiment result is null.");
        using var probe = NodeMatrix.ProbeBatch(test, probeSamples);
        var rows = new List<RunCka>();
        foreach (var r in result.Runs.Where(r => !HasCheckpoint(r)))
            log?.Invoke($"{r.Arm} seed {r.Seed}: no {TrainingCheckpoint.FileName} in {r.OutDir ?? "(no folder)"}, left out");
        // every baseline is captured once: it is the reference of its seed and the next seed of the one before
        var baselines = result.Runs.Where(r => r.Arm == ExperimentRunner.Baseline && HasCheckpoint(r))
            .OrderBy(r => r.Seed).Select(r => (Run: r, Layers: Capture(r, test, probe))).ToList();
        try
        {
            for (int k = 0; k < baselines.Count; k++)
            {
                var (b, reference) = baselines[k];
                var next = baselines[(k + 1) % baselines.Count];
                if (baselines.Count > 1) rows.AddRange(Compare(b, next.Run, reference, next.Layers));
                foreach (var other in result.Runs.Where(r => r.Arm != ExperimentRunner.Baseline && r.Seed == b.Seed && HasCheckpoint(r)))
                {
                    var layers = Capture(other, test, probe);
                    try { rows.AddRange(Compare(b, other, reference, layers)); }
                    finally { foreach (var m in layers) m.Dispose(); }
                }
                log?.Invoke($"seed {b.Seed}: CKA of {reference.Count} layers measured");
            }
        }
        finally { foreach (var m in baselines.SelectMany(x => x.Layers)) m.Dispose(); }
        return rows;
    }

    /// <summary><see cref="Measure"/> on the test split of the dataset the first baseline checkpoint names, read from
    /// <paramref name="dataDir"/> (default <see cref="DataPaths.Default"/>).</summary>
    public static IReadOnlyList<RunCka> Measure(ExperimentResult result, string? dataDir, int probeSamples = 256,
        Action<string>? log = null)
    {
        var first = result.Runs.FirstOrDefault(r => r.Arm == ExperimentRunner.Baseline && HasCheckpoint(r))
            ?? throw new SelfSimException($"ExperimentCka: no baseline run has a {TrainingCheckpoint.FileName}; CKA needs the trained weights.");
        var dataset = TrainingCheckpoint.ReadState(Path.Combine(first.OutDir!, TrainingCheckpoint.FileName)).Options.Dataset;
        var (_, test) = TrainingData.Load(dataset, dataDir);
        return Measure(result, test, probeSamples, log);
    }

    static bool HasCheckpoint(ArmRun r) => r.OutDir is not null && File.Exists(Path.Combine(r.OutDir, TrainingCheckpoint.FileName));

    static IEnumerable<RunCka> Compare(ArmRun baseline, ArmRun other, IReadOnlyList<NodeMatrix> a, IReadOnlyList<NodeMatrix> b)
    {
        if (!a.Select(m => m.Name).SequenceEqual(b.Select(m => m.Name)))
            throw new SelfSimException($"ExperimentCka: {other.Arm} seed {other.Seed} hooks other layers than the baseline of seed {baseline.Seed}; compare runs of one model.");
        for (int i = 0; i < a.Count; i++)
            yield return new RunCka(other.Arm, other.Seed, baseline.Seed, a[i].Name, LinearCka.Of(a[i], b[i]),
                LinearCka.Of(a[i], b[i], unbiased: true));
    }

    /// <summary>The layers of <paramref name="run"/> on <paramref name="probe"/>: its model rebuilt from the options its
    /// checkpoint carries, with the checkpoint's weights. The caller disposes the matrices.</summary>
    public static IReadOnlyList<NodeMatrix> Capture(ArmRun run, ImageDataset test, Tensor probe)
    {
        var path = Path.Combine(run.OutDir!, TrainingCheckpoint.FileName);
        var o = TrainingCheckpoint.ReadState(path).Options;
        using var model = ModelZoo.Create(o.Model, o.Scale, test.Channels, o.EffectiveInputSize(test.ImageSize), test.Classes);
        TrainingCheckpoint.LoadWeights(path, model);
        return NodeMatrix.Capture(model, probe);
    }

    /// <summary>Per arm (the baseline's seed-to-seed rows included), the mean CKA over layers per seed, and its mean and
    /// 95 % t interval over seeds (<see cref="MeanInterval.Of"/>).</summary>
    public static IReadOnlyList<ArmCka> Summarize(IReadOnlyList<RunCka> rows, double level = 0.95) =>
        rows.GroupBy(r => r.Arm)
            .OrderBy(g => g.Key == ExperimentRunner.Baseline ? "" : g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var perSeed = g.GroupBy(r => r.Seed).Select(s => s.Average(r => r.Cka)).ToList();
                return new ArmCka(g.Key, perSeed.Count, MeanInterval.Of(perSeed, level));
            }).ToList();

    /// <summary>Writes the rows as <paramref name="path"/> (CSV, invariant culture), atomically.</summary>
    public static void Save(IReadOnlyList<RunCka> rows, string path)
    {
        var df = new DataFrame(
            new StringDataFrameColumn("arm", rows.Select(r => r.Arm)),
            new Int32DataFrameColumn("seed", rows.Select(r => r.Seed)),
            new Int32DataFrameColumn("baseline_seed", rows.Select(r => r.BaselineSeed)),
            new StringDataFrameColumn("layer", rows.Select(r => r.Layer)),
            new DoubleDataFrameColumn("cka", rows.Select(r => r.Cka)),
            new DoubleDataFrameColumn("cka_unbiased", rows.Select(r => r.CkaUnbiased)));
        ExperimentSummary.SaveCsv(df, path);
    }

    /// <summary>Reads rows written by <see cref="Save"/>.</summary>
    public static IReadOnlyList<RunCka> Load(string path)
    {
        if (!File.Exists(path))
            throw new SelfSimException($"No {Path.GetFileName(path)} at '{path}'. Write one with `selfsim experiment --summarize-only --cka --out DIR`.");
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0 || lines[0] != "arm,seed,baseline_seed,layer,cka,cka_unbiased")
            throw new SelfSimException($"{path} is not a CKA table (its header must be arm,seed,baseline_seed,layer,cka,cka_unbiased).");
        var c = CultureInfo.InvariantCulture;
        var names = lines[0].Split(',');
        return lines.Skip(1).Select((l, i) =>
        {
            var f = l.Split(',');
            if (f.Length != 6) throw new SelfSimException($"{path}, line {i + 2}: expected 6 fields, found {f.Length}.");
            SelfSimException Bad(int k) => new($"{path}, line {i + 2}: {names[k]} '{f[k]}' is not a number. " +
                "Write the table again with `selfsim experiment --summarize-only --cka --out DIR`.");
            int Int(int k) => int.TryParse(f[k], NumberStyles.Integer, c, out var v) ? v : throw Bad(k);
            double Real(int k) => double.TryParse(f[k], NumberStyles.Float, c, out var v) ? v : throw Bad(k);
            return new RunCka(f[0], Int(1), Int(2), f[3], Real(4), Real(5));
        }).ToList();
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

/// <summary>The state of a run as written to metrics.json.</summary>
public sealed record RunReport
{
    /// <summary>"running", "completed", "interrupted", "diverged" or "failed" (a save failed; <see cref="Message"/> says why).</summary>
    public string Status { get; init; } = "running";
    public string? Message { get; init; }
    public TrainingOptions Options { get; init; } = new();
    public string ModelDescription { get; init; } = "";
    public long Parameters { get; init; }
    public IReadOnlyList<string> HookPoints { get; init; } = Array.Empty<string>();
    public string Device { get; init; } = "";
    public List<EpochRecord> Epochs { get; init; } = new();
    /// <summary>Test top-1 (%) of the last epoch (NaN before one finished).</summary>
    public double FinalTop1 => Epochs.Count > 0 ? Epochs[^1].TestTop1 : double.NaN;
    /// <summary>The best test top-1 (%) over epochs, the reference's max_accuracy.</summary>
    public double BestTop1 => Epochs.Count > 0 ? Epochs.Max(e => e.TestTop1) : double.NaN;
    /// <summary>The (first) epoch that reached <see cref="BestTop1"/>, -1 before one finished.</summary>
    public int BestEpoch => Epochs.Count > 0 ? Epochs.First(e => e.TestTop1 == BestTop1).Epoch : -1;
}

/// <summary>Per-epoch metrics of a run, written atomically as metrics.csv and metrics.json after every epoch.</summary>
public static class RunLog
{
    public const string CsvName = "metrics.csv";
    public const string JsonName = "metrics.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static void Write(string dir, RunReport report)
    {
        AtomicFile.WriteAllText(Path.Combine(dir, JsonName), JsonSerializer.Serialize(report, Json));
        AtomicFile.WriteAllText(Path.Combine(dir, CsvName), ToCsv(report.Epochs, report.HookPoints));
    }

    /// <summary>Reads a run's metrics.json; a clear error when it is missing or unreadable.</summary>
    public static RunReport Read(string dir)
    {
        var path = Directory.Exists(dir) ? Path.Combine(dir, JsonName) : dir;
        if (!File.Exists(path))
            throw new SelfSimException($"No {JsonName} in '{dir}'. Point to the --out folder of a `selfsim train` run.");
        try
        {
            return JsonSerializer.Deserialize<RunReport>(File.ReadAllText(path), Json)
                   ?? throw new SelfSimException($"{path} is empty. Re-run the training that wrote it.");
        }
        catch (JsonException e)
        {
            throw new SelfSimException($"{path} is not a metrics file ({e.Message}). Re-run the training that wrote it.", e);
        }
    }

    /// <summary>True when <paramref name="dir"/> holds a run whose metrics.json says "completed" (the finished-run marker).</summary>
    public static bool IsCompleted(string dir)
    {
        if (!File.Exists(Path.Combine(dir, JsonName))) return false;
        try { return Read(dir).Status == "completed"; }
        catch (SelfSimException) { return false; }
    }

    /// <summary>
    /// The S a run converged to: the mean S of its last epoch. Use it as the constraint's target
    /// (--srate-target-from). The run must have measured S (record or constrain mode).
    /// </summary>
    public static double FinalS(string dir)
    {
        var r = Read(dir);
        var last = r.Epochs.LastOrDefault();
        if (last is null) throw new SelfSimException($"The run in '{dir}' has no finished epoch. Let it train at least one epoch.");
        if (!double.IsFinite(last.S))
            throw new SelfSimException($"The run in '{dir}' did not measure S (Srate mode {r.Options.Srate}). Train the baseline with --record-srate.");
        return last.S;
    }

    public static string ToCsv(IReadOnlyList<EpochRecord> epochs, IReadOnlyList<string> layers)
    {
        var inv = CultureInfo.InvariantCulture;
        string F(double v) => double.IsNaN(v) ? "" : v.ToString("R", inv);
        var sb = new StringBuilder();
        sb.Append("epoch,train_loss,train_ce,srate_loss,s,z,gate_open,s_old,train_top1,test_top1,test_top5,test_loss,lr,seconds,samples_per_s,srate_skipped,s_minus_target,term_steps,grad_ratio,grad_cos,scale_cos");
        foreach (var l in layers) sb.Append(",s_").Append(l);
        foreach (var l in layers) sb.Append(",z_").Append(l);
        foreach (var l in layers) sb.Append(",open_").Append(l);
        sb.Append('\n');
        foreach (var e in epochs)
        {
            sb.Append(string.Join(",", new[] { e.Epoch.ToString(inv), F(e.TrainLoss), F(e.TrainCe), F(e.SrateLoss), F(e.S), F(e.Z), F(e.GateOpenFraction), F(e.OldS),
                F(e.TrainTop1), F(e.TestTop1), F(e.TestTop5), F(e.TestLoss), F(e.LearningRate), F(e.Seconds), F(e.SamplesPerSecond), e.SrateSkipped.ToString(inv),
                F(e.SMinusTarget), F(e.TermStepFraction), F(e.GradRatio), F(e.GradCosine), F(e.ScaleCosine) }));
            foreach (var l in layers) sb.Append(',').Append(F(e.SByLayer.TryGetValue(l, out var s) ? s : double.NaN));
            foreach (var l in layers) sb.Append(',').Append(F(e.ZByLayer is { } zl && zl.TryGetValue(l, out var z) ? z : double.NaN));
            foreach (var l in layers) sb.Append(',').Append(F(e.GateOpenByLayer is { } ol && ol.TryGetValue(l, out var g) ? g : double.NaN));
            sb.Append('\n');
        }
        return sb.ToString();
    }
}

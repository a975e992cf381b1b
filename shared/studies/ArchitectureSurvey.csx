using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.Data.Analysis;
using TorchSharp;
using static TorchSharp.torch;

// The paper's architecture comparison (Ding et al. 2025, arXiv 2507.17785, Sec. 4): train each architecture briefly on
// the same data, then measure S and d_B per layer on one probe batch. Untrained (epoch 0) values are kept as a control.

/// <summary>Settings of an architecture survey. <see cref="Training"/> is the template for every model (its Model is replaced).</summary>
public sealed record ArchitectureSurveyOptions
{
    public IReadOnlyList<string> Models { get; init; } = ModelZoo.Names;
    public TrainingOptions Training { get; init; } = new() { Epochs = 1, Srate = SrateMode.Off };
    /// <summary>Probe images (the node matrices' columns), taken from the start of the test split.</summary>
    public int ProbeSize { get; init; } = 256;
    public int Scales { get; init; } = Srate.DefaultScales;

    /// <summary>The settings notebooks 04 and 07 share (so 07 reuses 04's saved survey): every zoo model, CPU scale, MNIST,
    /// one epoch on 10,000 training images (warm-up over its first fifth, so most of the epoch runs at the peak learning rate;
    /// smoke: 128 images, one libtorch thread) with a 256-image probe (smoke: 32).</summary>
    public static ArchitectureSurveyOptions ForMode(bool smoke) => new()
    {
        ProbeSize = smoke ? 32 : 256,
        Training = new TrainingOptions
        {
            Epochs = 1, WarmupEpochs = 0.2, Schedule = LrSchedule.PerStep, LearningRate = 1e-3, ScaleLearningRate = false, BatchSize = 64, Seed = 0, Srate = SrateMode.Off, Device = "cpu", Threads = smoke ? 1 : 0,
            TrainLimit = smoke ? 128 : 10_000, TestLimit = smoke ? 128 : 2_000,
        },
    };
}

/// <summary>One architecture of a survey: its size, accuracy and the per-layer measures at initialisation and after training.</summary>
public sealed record ArchitectureRun(string Architecture, long Parameters, double TestTop1, double TrainSeconds,
    IReadOnlyList<LayerSelfSimilarity> Initial, IReadOnlyList<LayerSelfSimilarity> Trained);

/// <summary>Runs and summarises an architecture survey.</summary>
public static class ArchitectureSurvey
{
    /// <summary>Trains every model of <paramref name="options"/> on <paramref name="train"/> and measures it on a probe
    /// batch from <paramref name="test"/>, before and after training. <paramref name="log"/> gets one line per model.</summary>
    public static IReadOnlyList<ArchitectureRun> Run(ArchitectureSurveyOptions options, ImageDataset train, ImageDataset test,
        Action<string>? log = null)
    {
        if (options.Models.Count == 0) throw new SelfSimException("The architecture survey needs at least one model; pick from " + string.Join(", ", ModelZoo.Names) + ".");
        using var probe = LayerSurvey.ProbeBatch(test, Math.Min(options.ProbeSize, test.Count));
        var runs = new List<ArchitectureRun>();
        foreach (var name in options.Models)
        {
            var o = options.Training with { Model = name };
            using var trainer = new ClassifierTrainer(o, train, test);
            var initial = LayerSurvey.Measure(trainer.Model, probe, null, options.Scales);
            var sw = Stopwatch.StartNew();
            var report = trainer.Run();
            double seconds = sw.Elapsed.TotalSeconds;
            var trained = LayerSurvey.Measure(trainer.Model, probe, null, options.Scales);
            var top1 = report.Epochs.Count > 0 ? report.Epochs[^1].TestTop1 : double.NaN;
            runs.Add(new ArchitectureRun(name, report.Parameters, top1, seconds, initial, trained));
            log?.Invoke($"{name,-10} {report.Parameters,10:N0} parameters  top-1 {top1,6:F2} %  trained in {seconds,6:F1} s");
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return runs;
    }

    /// <summary>Runs the survey, or loads it from <paramref name="path"/> (JSON) when a survey with the same options was saved
    /// there; a new survey is saved to <paramref name="path"/> atomically.</summary>
    public static IReadOnlyList<ArchitectureRun> LoadOrRun(string path, ArchitectureSurveyOptions options, ImageDataset train, ImageDataset test,
        Action<string>? log = null)
    {
        var key = System.Text.Json.JsonSerializer.Serialize(options, RunLog.Json);
        if (System.IO.File.Exists(path))
        {
            try
            {
                var saved = System.Text.Json.JsonSerializer.Deserialize<SavedSurvey>(System.IO.File.ReadAllText(path), RunLog.Json);
                if (saved is not null && saved.Options == key)
                {
                    log?.Invoke($"Loaded the survey saved in {path}.");
                    return saved.Runs;
                }
            }
            catch (System.Text.Json.JsonException) { /* unreadable: run again and overwrite */ }
        }
        var runs = Run(options, train, test, log);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        AtomicFile.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(new SavedSurvey(key, runs.ToList()), RunLog.Json));
        return runs;
    }

    /// <summary>A survey as saved by <see cref="LoadOrRun"/>: the options' JSON and the runs.</summary>
    public sealed record SavedSurvey(string Options, List<ArchitectureRun> Runs);

    /// <summary>
    /// One row per architecture: parameters, test top-1 (%), hooked layers, mean/min/max S over the trained layers, the
    /// spread of S (max − min), mean d_B of the trained layers, and mean S at initialisation for comparison.
    /// </summary>
    public static DataFrame Summary(IReadOnlyList<ArchitectureRun> runs)
    {
        static double Mean(IEnumerable<double> v) { var f = v.Where(double.IsFinite).ToList(); return f.Count == 0 ? double.NaN : f.Average(); }
        static double Min(IEnumerable<double> v) { var f = v.Where(double.IsFinite).ToList(); return f.Count == 0 ? double.NaN : f.Min(); }
        static double Max(IEnumerable<double> v) { var f = v.Where(double.IsFinite).ToList(); return f.Count == 0 ? double.NaN : f.Max(); }
        static double? N(double v) => double.IsFinite(v) ? v : null;
        var trainedS = runs.Select(r => r.Trained.Select(m => m.S).ToList()).ToList();
        return new DataFrame(
            new StringDataFrameColumn("architecture", runs.Select(r => r.Architecture)),
            new Int64DataFrameColumn("parameters", runs.Select(r => r.Parameters)),
            new DoubleDataFrameColumn("test_top1_pct", runs.Select(r => N(r.TestTop1))),
            new Int32DataFrameColumn("layers", runs.Select(r => r.Trained.Count)),
            new DoubleDataFrameColumn("S_mean", trainedS.Select(s => N(Mean(s)))),
            new DoubleDataFrameColumn("S_min", trainedS.Select(s => N(Min(s)))),
            new DoubleDataFrameColumn("S_max", trainedS.Select(s => N(Max(s)))),
            new DoubleDataFrameColumn("S_spread", trainedS.Select(s => N(Max(s) - Min(s)))),
            new DoubleDataFrameColumn("dB_mean", runs.Select(r => N(Mean(r.Trained.Select(m => m.BoxDimension))))),
            new DoubleDataFrameColumn("S_mean_at_init", runs.Select(r => N(Mean(r.Initial.Select(m => m.S))))),
            new DoubleDataFrameColumn("train_seconds", runs.Select(r => N(r.TrainSeconds))));
    }

    /// <summary>Every trained layer of every run, in order (for charts and tables).</summary>
    public static IReadOnlyList<LayerSelfSimilarity> TrainedLayers(IReadOnlyList<ArchitectureRun> runs) => runs.SelectMany(r => r.Trained).ToList();

    /// <summary>The architectures ordered by mean S of their trained layers, highest first (NaN last).</summary>
    public static IReadOnlyList<(string Architecture, double MeanS)> RankByS(IReadOnlyList<ArchitectureRun> runs) =>
        runs.Select(r =>
            {
                var f = r.Trained.Select(m => m.S).Where(double.IsFinite).ToList();
                return (r.Architecture, f.Count == 0 ? double.NaN : f.Average());
            })
            .OrderByDescending(t => double.IsFinite(t.Item2) ? t.Item2 : double.NegativeInfinity).ToList();
}

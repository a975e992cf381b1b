#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// Train the CPU-scale residual MLP briefly and capture its layers' node matrices, as the reference's main.py then
// model/to_sfm.py do (Ding et al. 2025, arXiv 2507.17785): one call for the notebooks' "train, then look" steps.

/// <summary>What <see cref="MlpFeatureLab.TrainAndCapture"/> produced: the training report and one
/// <see cref="NodeMatrix"/> per hook point (rows are neurons, columns the probe images). Disposing it disposes them.</summary>
public sealed record TrainedMlpFeatures(RunReport Report, IReadOnlyList<NodeMatrix> Layers, double TestTop1, double TrainSeconds,
    int Epochs, int TrainSamples, int ProbeSamples) : IDisposable
{
    /// <summary>The node matrix of the layer named <paramref name="name"/> (e.g. "blocks.2").</summary>
    public NodeMatrix this[string name] => Layers.FirstOrDefault(l => l.Name == name)
        ?? throw new SelfSimException($"No captured layer '{name}'. Captured: {string.Join(", ", Layers.Select(l => l.Name))}.");
    public override string ToString() =>
        $"mlp, {Epochs} epoch(s) on {TrainSamples} images in {TrainSeconds:F1} s: test top-1 {TestTop1:F1}%; {Layers.Count} layers captured on {ProbeSamples} probe images";

    public void Dispose() { foreach (var l in Layers) l.Dispose(); }
}

/// <summary>
/// Trains the zoo's CPU-scale residual MLP on MNIST with <see cref="ClassifierTrainer"/> and captures every hook point's
/// node matrix (<see cref="NodeMatrix.Capture(HookedModel, ImageDataset, int, IEnumerable{string}?)"/>) on the first
/// <c>probeSamples</c> test images (default <see cref="NodeMatrix.DefaultProbeSamples"/>; the model in eval mode, no dropout).
/// <code>var lab = MlpFeatureLab.TrainAndCapture(epochs: RunMode.Pick(3, 1), trainSamples: RunMode.Pick(60000, 2000));</code>
/// </summary>
public static class MlpFeatureLab
{
    public static TrainedMlpFeatures TrainAndCapture(int epochs, int trainSamples, int probeSamples = NodeMatrix.DefaultProbeSamples, int seed = 0,
        string device = "auto", string? dataDir = null, string dataset = "mnist", int threads = 0, int batchSize = 64)
    {
        if (probeSamples < 2) throw new SelfSimException($"MlpFeatureLab: probeSamples must be at least 2 (each node needs 2 coordinates); got {probeSamples}.");
        if (trainSamples < batchSize) throw new SelfSimException($"MlpFeatureLab: trainSamples ({trainSamples}) is below one batch ({batchSize}); train on more images.");
        var (train, test) = TrainingData.Load(dataset, dataDir);
        if (probeSamples > test.Count) throw new SelfSimException($"MlpFeatureLab: probeSamples ({probeSamples}) exceeds the {test.Count} test images.");
        var options = TrainingOptions.PerStepRecipe with
        {
            Model = "mlp",
            Scale = ModelScale.Cpu,
            Dataset = dataset,
            Epochs = epochs,
            TrainLimit = trainSamples,
            TestLimit = Math.Min(test.Count, Math.Max(RunMode.Smoke ? 500 : 10_000, probeSamples)),
            Seed = seed,
            Device = device,
            Threads = threads,
            BatchSize = batchSize,
            DataDir = dataDir,
        };
        var sw = Stopwatch.StartNew();
        using var trainer = new ClassifierTrainer(options, train, test);
        var report = trainer.Run();
        double seconds = sw.Elapsed.TotalSeconds;
        var model = trainer.Model;
        var layers = NodeMatrix.Capture(model, test, probeSamples);
        model.eval();
        return new TrainedMlpFeatures(report, layers, report.Epochs.Count > 0 ? report.Epochs[^1].TestTop1 : double.NaN, seconds,
            epochs, Math.Min(trainSamples, train.Count), probeSamples);
    }
}

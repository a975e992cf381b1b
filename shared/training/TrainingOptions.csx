#nullable enable
using System;
using System.Text.Json.Serialization;

/// <summary>What the Srate term does during training.</summary>
[JsonConverter(typeof(JsonStringEnumConverter))]
public enum SrateMode
{
    /// <summary>No Srate at all: plain classification training.</summary>
    Off,
    /// <summary>Measure S at a random hooked layer every step, train on cross-entropy only (the reference's --only-record-sfm-rate).</summary>
    Record,
    /// <summary>Add z·λ·½(S − target)² to the loss (the reference's --use-sfm-loss).</summary>
    Constrain,
}

/// <summary>
/// Everything that defines a training run. Defaults follow the reference's main.py (Ding et al. 2025):
/// AdamW with weight decay 0.05, cosine schedule with linear warm-up, label smoothing 0.1, sfm weight and
/// target, gate refresh every 3 epochs with change limit 0.05.
/// </summary>
public sealed record TrainingOptions
{
    public string Model { get; init; } = "mlp";
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public ModelScale Scale { get; init; } = ModelScale.Cpu;
    /// <summary>"mnist", "fashion-mnist", "cifar10" or "cifar100".</summary>
    public string Dataset { get; init; } = "mnist";
    public int Epochs { get; init; } = 5;
    public int BatchSize { get; init; } = 64;
    /// <summary>Peak learning rate (reached at the end of warm-up). Not rescaled by batch size.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>The cosine schedule's floor (the reference's --min-lr).</summary>
    public double MinLearningRate { get; init; } = 1e-5;
    /// <summary>The learning rate warm-up starts from (the reference's --warmup-lr).</summary>
    public double WarmupStartLearningRate { get; init; } = 1e-6;
    /// <summary>Warm-up length in epochs (fractions allowed); the schedule is updated every step.</summary>
    public double WarmupEpochs { get; init; } = 1;
    public double WeightDecay { get; init; } = 0.05;
    public double LabelSmoothing { get; init; } = 0.1;
    /// <summary>Random crop (4-px padding) and horizontal flip. Null: on for CIFAR, off for MNIST-like data.</summary>
    public bool? Augment { get; init; }
    public int Seed { get; init; } = 0;
    /// <summary>One intra-op thread on CPU so that repeated runs give bit-identical numbers.</summary>
    public bool Deterministic { get; init; }
    /// <summary>CPU threads for libtorch (0 = its default). On a shared or busy machine 1 is often much faster than oversubscribing.</summary>
    public int Threads { get; init; }

    public SrateMode Srate { get; init; } = SrateMode.Off;
    /// <summary>λ, the weight of the Srate term (the reference's --sfm-weight).</summary>
    public double SrateWeight { get; init; } = 0.1;
    /// <summary>The S the constraint pulls toward (the reference's --target-sfm-rate).</summary>
    public double SrateTarget { get; init; } = 0.3;
    /// <summary>Refresh S_old every this many epochs (the reference's --sample-epoch-fre).</summary>
    public int SampleEvery { get; init; } = 3;
    /// <summary>c in the gate z = 1 − min(|S − S_old|/S_old, c)/c (the reference's --Change-amplitude-limit).</summary>
    public double ChangeLimit { get; init; } = 0.05;
    /// <summary>Number of log-spaced scales Srate samples.</summary>
    public int SrateScales { get; init; } = 256;
    /// <summary>k of the reference's multi-GPU Srate term: k random layers on k equal chunks of the batch, each gated, averaged (1 = one layer on the whole batch).</summary>
    public int SrateChunks { get; init; } = 1;

    /// <summary>"auto", "cpu", "cuda", "cuda:N".</summary>
    public string Device { get; init; } = "auto";
    /// <summary>Use only the first N training images (0 = all). For smoke runs.</summary>
    public int TrainLimit { get; init; }
    /// <summary>Use only the first N test images (0 = all).</summary>
    public int TestLimit { get; init; }
    public int EvalBatchSize { get; init; } = 1000;
    /// <summary>Folder for metrics.csv, metrics.json and checkpoint.bin; null keeps everything in memory.</summary>
    public string? OutDir { get; init; }
    /// <summary>The data folder (null: DataPaths.Default).</summary>
    public string? DataDir { get; init; }

    /// <summary>Throws a clear error for settings that cannot train.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new SelfSimException($"--epochs must be at least 1 (got {Epochs}).");
        if (BatchSize < 2) throw new SelfSimException($"--batch-size must be at least 2 so a layer has 2 samples per node (got {BatchSize}).");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new SelfSimException($"--lr must be a positive number (got {LearningRate}).");
        if (WarmupEpochs < 0 || WarmupEpochs > Epochs) throw new SelfSimException($"--warmup-epochs must be between 0 and --epochs ({Epochs}); got {WarmupEpochs}.");
        if (WeightDecay < 0) throw new SelfSimException($"--weight-decay must be ≥ 0 (got {WeightDecay}).");
        if (LabelSmoothing < 0 || LabelSmoothing >= 1) throw new SelfSimException($"--label-smoothing must be in [0, 1) (got {LabelSmoothing}).");
        if (Threads < 0) throw new SelfSimException($"--threads must be ≥ 0 (got {Threads}); 0 keeps libtorch's default.");
        if (SampleEvery < 1) throw new SelfSimException($"--sample-every must be at least 1 epoch (got {SampleEvery}).");
        if (!(ChangeLimit > 0)) throw new SelfSimException($"--change-limit must be > 0 (got {ChangeLimit}).");
        if (SrateWeight < 0 || double.IsNaN(SrateWeight)) throw new SelfSimException($"--srate-weight must be ≥ 0 (got {SrateWeight}).");
        if (double.IsNaN(SrateTarget) || SrateTarget < 0) throw new SelfSimException($"--srate-target must be ≥ 0 (got {SrateTarget}).");
        if (SrateScales < 2) throw new SelfSimException($"SrateScales must be at least 2 (got {SrateScales}); the reference uses 256. (No CLI flag sets it.)");
        if (SrateChunks < 1 || BatchSize % SrateChunks != 0 || BatchSize / SrateChunks < 2)
            throw new SelfSimException($"--srate-chunks must be ≥ 1 and split --batch-size {BatchSize} into equal chunks of at least 2 samples (got {SrateChunks}).");
        if (Array.IndexOf(new[] { "mnist", "fashion-mnist", "cifar10", "cifar100", "imagenette", "cinic10" }, Dataset) < 0)
            throw new SelfSimException($"Unknown dataset '{Dataset}'. Use mnist, fashion-mnist, cifar10, cifar100, imagenette or cinic10.");
        ModelZoo.Describe(Model);
    }
}

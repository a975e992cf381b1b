#nullable enable
using System;
using System.Collections.Generic;
using System.IO;

// Where the study notebooks keep results, and the settings notebooks 06 and 07 share so 07 reuses 06's runs.

/// <summary>Folders and shared settings of the study notebooks (04-07).</summary>
public static class StudySettings
{
    public const string ResultsVariable = "SELFSIM_RESULTS";

    /// <summary>Where study results (surveys, experiment runs) are saved: $SELFSIM_RESULTS, else a "results" folder beside
    /// the figures folder (notebooks/results in the kernel, OUT/results under `selfsim run --figures OUT/figures`).</summary>
    public static string Results
    {
        get
        {
            var env = Environment.GetEnvironmentVariable(ResultsVariable);
            if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
            var figures = Path.GetFullPath(Figures.Folder);
            return Path.Combine(Path.GetDirectoryName(figures.TrimEnd(Path.DirectorySeparatorChar)) ?? figures, "results");
        }
    }

    /// <summary>A path inside <see cref="Results"/> whose name says the run mode, e.g. "04-survey-smoke.json".</summary>
    public static string ResultPath(string stem, string extension = "") => Path.Combine(Results, $"{stem}-{RunMode.Name}{extension}");

    /// <summary>The baseline-vs-constrained settings of notebook 06's pipeline check and notebook 07: the CPU residual MLP
    /// (reference block) on MNIST, batch 64, λ = 0.1; `ExperimentRunner` sets each seed's target to its baseline's S.
    /// Full: 6 epochs on 10,000 images, gate refresh every 3 epochs with change limit 0.05 (hours over 5 seeds on 2
    /// cores). Default: 2 epochs on 6,000 images with the gate refreshed every epoch (the least that lets the term act at
    /// all: the gate is closed in epoch 0), 2 seeds, a few minutes; too few seeds for a verdict, so the notebooks show the
    /// measured results (<see cref="MeasuredTemplate"/>). Smoke: 2 epochs on 128 images, one libtorch thread, change
    /// limit 0.5, the least that opens the gate at all (with 0.05 a tiny run's S moves too far from S_old and z stays 0).</summary>
    public static TrainingOptions ConstraintTemplate(RunSize size) => new()
    {
        Model = "mlp",
        Dataset = "mnist",
        BatchSize = 64,
        Device = "cpu",
        Epochs = size == RunSize.Full ? 6 : 2,
        TrainLimit = RunMode.Pick(smoke: 128, @default: 6_000, full: 10_000, size),
        TestLimit = size == RunSize.Smoke ? 128 : 10_000,
        Threads = size == RunSize.Smoke ? 1 : 0,
        SampleEvery = size == RunSize.Full ? 3 : 1,
        SrateWeight = 0.1,
        SrateTarget = SrateObjective.DefaultTarget,
        ChangeLimit = size == RunSize.Smoke ? 0.5 : 0.05,
    };

    /// <summary>The seeds of notebook 06: full 5, default and smoke 2 (the fewest that give an interval).</summary>
    public static IReadOnlyList<int> ConstraintSeeds(RunSize size) => size == RunSize.Full ? new[] { 0, 1, 2, 3, 4 } : new[] { 0, 1 };

    /// <summary>
    /// A committed measured-results folder, notebooks/measured/NAME of the checkout above the working directory
    /// (the notebooks' folder in the kernel and under `selfsim run`).
    /// </summary>
    public static string Measured(string name)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "notebooks", "measured", name);
            if (File.Exists(Path.Combine(dir.FullName, "global.json")) && Directory.Exists(candidate)) return candidate;
        }
        throw new SelfSimException($"No notebooks/measured/{name} above {Directory.GetCurrentDirectory()}. Run from the checkout, or re-run the grid (its README gives the command).");
    }

    /// <summary>
    /// The settings of the measured Fashion-MNIST experiment (notebooks/measured/fashion-mnist-mlp60/README.md): the reference
    /// MLP block at width 256 (hidden 1024), 60 epochs, batch 64, base LR 5e-3 (× 64/512), 6,000 training images, full test
    /// set, one libtorch thread; everything else the reference's defaults. <paramref name="model"/> "vit" gives the attention run.
    /// </summary>
    public static TrainingOptions MeasuredTemplate(string model = "mlp", int epochs = 60) => new()
    {
        Model = model,
        Dataset = "fashion-mnist",
        Epochs = epochs,
        BatchSize = 64,
        LearningRate = 5e-3,
        TrainLimit = 6000,
        Threads = 1,
    };

    /// <summary>The measured MLP grid's folder under notebooks/measured/.</summary>
    public const string MeasuredFolder = "fashion-mnist-mlp60";

    /// <summary>
    /// The arms of the measured MLP grid (issue 20): the reference's literal target 0.3 at λ = 5e-2, 0.5 and 5 (a dose-response),
    /// target 0.1 (S pushed the other way), the baseline-S target at λ = 0.5, and the activation-scale control matched to ref-l0.5.
    /// </summary>
    public const string MeasuredArms = "name=ref-l5e-2 lambda=5e-2; name=ref-l0.5 lambda=0.5; name=ref-l5 lambda=5; " +
        "name=t0.1-l0.5 lambda=0.5 target=0.1; name=tbase-l0.5 lambda=0.5 target=baseline; name=scale-l0.5 lambda=0.5 control=scale";

    /// <summary>The λ of each reference-target arm of <see cref="MeasuredArms"/>, in increasing order.</summary>
    public static IReadOnlyList<(string Arm, double Lambda)> MeasuredDose { get; } =
        new[] { ("ref-l5e-2", 5e-2), ("ref-l0.5", 0.5), ("ref-l5", 5.0) };

    /// <summary>How the pre-registered decision rule reads <see cref="MeasuredArms"/>.</summary>
    public static DecisionArms MeasuredDecision { get; } =
        new(new[] { "ref-l5e-2", "ref-l0.5", "ref-l5" }, Opposite: "t0.1-l0.5", Control: "scale-l0.5", Controlled: "ref-l0.5");

    /// <summary>The attention-model slice (notebooks/measured/fashion-mnist-vit30): the ViT's reference λ and a tenfold
    /// dose, both toward the literal target 0.3, 30 epochs, 3 seeds, no control arms.</summary>
    public const string VitSliceArms = "name=ref-l5e-2 lambda=5e-2; name=ref-l0.5 lambda=0.5";

    /// <summary>How the ViT slice's pre-registered rule reads <see cref="VitSliceArms"/> (condition 4 untested).</summary>
    public static DecisionArms VitSliceDecision { get; } = new(new[] { "ref-l5e-2", "ref-l0.5" });

    /// <summary>Every committed grid with a pre-registered rule: its folder under notebooks/measured and the rule.</summary>
    public static IReadOnlyList<(string Folder, DecisionArms Rule)> MeasuredDecisions { get; } =
        new[] { (MeasuredFolder, MeasuredDecision), ("fashion-mnist-vit30", VitSliceDecision) };
}

using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Threading;
using Spectre.Console;

namespace SelfSim.Cli;

/// <summary>The options `selfsim train` and `selfsim experiment` share, and the progress display.</summary>
public sealed class TrainingCliOptions
{
    // Every default comes from TrainingOptions, the one place training defaults live (a test checks each one).
    static readonly TrainingOptions D = new();
    static readonly CultureInfo C = CultureInfo.InvariantCulture;
    static string ScheduleName(LrSchedule s) => s == LrSchedule.PerEpoch ? "per-epoch" : "per-step";

    public readonly Option<string> Model = new("--model") { Description = "model: " + string.Join(", ", ModelZoo.Names.Concat(ModelZoo.Variants)), DefaultValueFactory = _ => D.Model };
    public readonly Option<string> Scale = new("--scale") { Description = "cpu (28/32 px, small widths) or paper (the reference's sizes, 224 px)", DefaultValueFactory = _ => D.Scale.ToString().ToLowerInvariant() };
    public readonly Option<string> Dataset = new("--dataset") { Description = string.Join(", ", TrainingOptions.Datasets), DefaultValueFactory = _ => D.Dataset };
    public readonly Option<int> Epochs = new("--epochs") { Description = "training epochs", DefaultValueFactory = _ => D.Epochs };
    public readonly Option<int> BatchSize = new("--batch-size") { Description = "batch size (also the number of samples per node in the Srate network)", DefaultValueFactory = _ => D.BatchSize };
    public readonly Option<double> Lr = new("--lr") { Description = "base learning rate (the reference's --lr); the peak is lr × batch / 512 unless --no-lr-scaling", DefaultValueFactory = _ => D.LearningRate };
    public readonly Option<bool> NoLrScaling = new("--no-lr-scaling") { Description = "use --lr as the peak itself, without the reference's × batch / 512", DefaultValueFactory = _ => !D.ScaleLearningRate };
    public readonly Option<string> Schedule = new("--schedule") { Description = "per-epoch (the reference: timm's cosine stepped once per epoch) or per-step", DefaultValueFactory = _ => ScheduleName(D.Schedule) };
    public readonly Option<double?> WarmupEpochs = new("--warmup-epochs") { Description = $"linear warm-up from {D.WarmupStartLearningRate.ToString(C)} in epochs (default: the reference's 5 of {TrainingOptions.ReferenceEpochs} scaled to --epochs, at least 1)" };
    public readonly Option<double> WeightDecay = new("--weight-decay") { Description = "AdamW weight decay", DefaultValueFactory = _ => D.WeightDecay };
    public readonly Option<double> LabelSmoothing = new("--label-smoothing") { Description = "label smoothing of the cross-entropy", DefaultValueFactory = _ => D.LabelSmoothing };
    public readonly Option<bool?> Augment = new("--augment") { Description = "random crop + flip (default: on for CIFAR, off for MNIST)" };
    public readonly Option<int?> InputSize = new("--input-size") { Description = $"side of the images the model is built for and sees (default: {TrainingOptions.PaperInputSize} at --scale paper, else the dataset's own size)", DefaultValueFactory = _ => D.InputSize };
    public readonly Option<bool?> DeitAugment = new("--deit-augment") { Description = "the reference's DeiT recipe: random-resized crop, RandAugment m9 mstd0.5, random erasing 0.25, mixup 0.8/cutmix 1.0 with soft targets; eval resize + centre crop (default: on at --scale paper, off at cpu)", DefaultValueFactory = _ => D.DeitAugment };
    public readonly Option<bool> Deterministic = new("--deterministic") { Description = "one CPU thread: bit-identical repeat runs", DefaultValueFactory = _ => D.Deterministic };
    public readonly Option<int> Threads = new("--threads") { Description = "CPU threads for libtorch (0 = default; 1 is often fastest on a busy machine)", DefaultValueFactory = _ => D.Threads };
    public readonly Option<double?> SrateWeight = new("--srate-weight") { Description = "λ of the Srate term z·λ·½(S − target)² (default: the reference's value for the model: 5e-2 ViT/ResMLP/MLP, 1e-4 PoolFormer, Mixer 5e-7 CIFAR / 1e-2 otherwise)" };
    public readonly Option<double?> SrateTarget = new("--srate-target") { Description = $"the S the constraint pulls toward (train default {D.SrateTarget.ToString(C)}; experiment default: the reference's literal value for the model and dataset)" };
    public readonly Option<string?> SrateTargetFrom = new("--srate-target-from") { Description = "take the target from a baseline run's converged S (its --out folder)" };
    public readonly Option<int?> SampleEvery = new("--sample-every") { Description = $"refresh the gate's S_old every N epochs (default: the reference's 5 of {TrainingOptions.ReferenceEpochs} scaled to --epochs, at least 1)" };
    public readonly Option<int> SrateChunks = new("--srate-chunks") { Description = "k random layers on k equal chunks of the batch, each gated, averaged (the reference's k-GPU step; 1 = one layer)", DefaultValueFactory = _ => D.SrateChunks };
    public readonly Option<double> ChangeLimit = new("--change-limit") { Description = "c in the gate z = 1 − min(|S − S_old|/S_old, c)/c", DefaultValueFactory = _ => D.ChangeLimit };
    public readonly Option<int> TrainLimit = new("--train-limit") { Description = "use only the first N training images (0 = all)", DefaultValueFactory = _ => D.TrainLimit };
    public readonly Option<int> TestLimit = new("--test-limit") { Description = "use only the first N test images (0 = all)", DefaultValueFactory = _ => D.TestLimit };
    public readonly Option<string> Device = new("--device") { Description = "auto, cpu, cuda or cuda:N", DefaultValueFactory = _ => D.Device };
    public readonly Option<string?> DataDir = new("--data") { Description = $"data folder (default: ${DataPaths.EnvironmentVariable}, else the checkout's data/)" };
    public readonly Option<bool> Plain = new("--plain") { Description = "one line per epoch instead of a progress bar" };

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { Model, Scale, Dataset, Epochs, BatchSize, Lr, NoLrScaling, Schedule, WarmupEpochs, WeightDecay, LabelSmoothing, Augment,
                                         InputSize, DeitAugment, Deterministic, Threads, SrateWeight, SrateTarget, SrateTargetFrom, SrateChunks, SampleEvery, ChangeLimit, TrainLimit, TestLimit, Device, DataDir, Plain })
            cmd.Options.Add(o);
    }

    public TrainingOptions Build(ParseResult p, int seed, SrateMode mode, string? outDir)
    {
        var scale = (p.GetValue(Scale) ?? D.Scale.ToString()).ToLowerInvariant() switch
        {
            "cpu" => ModelScale.Cpu,
            "paper" => ModelScale.Paper,
            var s => throw new SelfSimException($"--scale '{s}' is not a scale. Use cpu or paper."),
        };
        var schedule = (p.GetValue(Schedule) ?? ScheduleName(D.Schedule)).ToLowerInvariant() switch
        {
            "per-epoch" or "epoch" => LrSchedule.PerEpoch,
            "per-step" or "step" => LrSchedule.PerStep,
            var s => throw new SelfSimException($"--schedule '{s}' is not a schedule. Use per-epoch or per-step."),
        };
        double target = p.GetValue(SrateTarget) ?? D.SrateTarget;
        var from = p.GetValue(SrateTargetFrom);
        if (from is not null)
        {
            if (p.GetValue(SrateTarget) is not null) throw new SelfSimException("Give either --srate-target or --srate-target-from, not both.");
            target = RunLog.FinalS(from);
        }
        var o = new TrainingOptions
        {
            Model = p.GetValue(Model)!,
            Scale = scale,
            Dataset = p.GetValue(Dataset)!,
            Epochs = p.GetValue(Epochs),
            BatchSize = p.GetValue(BatchSize),
            LearningRate = p.GetValue(Lr),
            ScaleLearningRate = !p.GetValue(NoLrScaling),
            Schedule = schedule,
            WarmupEpochs = p.GetValue(WarmupEpochs),
            WeightDecay = p.GetValue(WeightDecay),
            LabelSmoothing = p.GetValue(LabelSmoothing),
            Augment = p.GetValue(Augment),
            InputSize = p.GetValue(InputSize),
            DeitAugment = p.GetValue(DeitAugment),
            Deterministic = p.GetValue(Deterministic),
            Threads = p.GetValue(Threads),
            Seed = seed,
            Srate = mode,
            SrateWeight = p.GetValue(SrateWeight),
            SrateTarget = target,
            SampleEvery = p.GetValue(SampleEvery),
            SrateChunks = p.GetValue(SrateChunks),
            ChangeLimit = p.GetValue(ChangeLimit),
            TrainLimit = p.GetValue(TrainLimit),
            TestLimit = p.GetValue(TestLimit),
            Device = p.GetValue(Device)!,
            OutDir = outDir,
            DataDir = p.GetValue(DataDir),
        };
        o.Validate();
        return o;
    }

    /// <summary>Trains with a Spectre.Console progress bar (or plain lines when output is redirected or --plain).</summary>
    /// <remarks>The --out folder is guarded first (<see cref="RunFolder.Open"/>): writable, locked, and a run already there kept unless --overwrite.</remarks>
    public static RunReport TrainWithProgress(TrainingOptions o, bool resume, bool plain, string title, CancellationToken cancel, bool overwrite = false)
    {
        using var held = o.OutDir is null ? null : RunFolder.Open(o.OutDir, resume, overwrite, $"selfsim {title}");
        var (train, test) = TrainingData.Load(o.Dataset, o.DataDir);
        using var trainer = new ClassifierTrainer(o, train, test);
        Console.WriteLine($"{title}: {o.Model} ({trainer.Report.ModelDescription}), {trainer.Report.Parameters:N0} parameters, {train} -> {trainer.Report.Device}");
        if (plain || Console.IsOutputRedirected)
        {
            trainer.Progress = pr => { if (pr.Phase == "epoch" && pr.Completed is { } e) Console.WriteLine(EpochLine(e, pr.Epochs)); };
            return trainer.Run(resume, cancel);
        }
        RunReport? report = null;
        AnsiConsole.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(title, maxValue: (double)o.Epochs * trainer.StepsPerEpoch);
                trainer.Progress = pr =>
                {
                    task.Value = (double)pr.Epoch * pr.Steps + pr.Step;
                    string s = double.IsNaN(pr.S) ? "" : $" S {pr.S:F3} z {pr.Z:F2}";
                    task.Description = pr.Phase switch
                    {
                        "eval" => $"epoch {pr.Epoch + 1}/{pr.Epochs} evaluating",
                        "epoch" => $"epoch {pr.Epoch + 1}/{pr.Epochs} top-1 {pr.Completed!.TestTop1:F2}%",
                        _ => $"epoch {pr.Epoch + 1}/{pr.Epochs} loss {pr.Loss:F3}{s}",
                    };
                    if (pr.Phase == "epoch" && pr.Completed is { } e) AnsiConsole.MarkupLine(Markup.Escape(EpochLine(e, pr.Epochs)));
                };
                report = trainer.Run(resume, cancel);
            });
        return report!;
    }

    public static string EpochLine(EpochRecord e, int epochs)
    {
        var c = CultureInfo.InvariantCulture;
        string s = double.IsNaN(e.S) ? "" : string.Format(c, "  S {0:F4}  z {1:F2}  open {2:P0}", e.S, e.Z, e.GateOpenFraction);
        return string.Format(c, "epoch {0}/{1}  loss {2:F4}  ce {3:F4}  test top-1 {4:F2}%  top-5 {5:F2}%  lr {6:G3}  {7:F1}s  {8:F0} samples/s{9}",
            e.Epoch + 1, epochs, e.TrainLoss, e.TrainCe, e.TestTop1, e.TestTop5, e.LearningRate, e.Seconds, e.SamplesPerSecond, s);
    }
}

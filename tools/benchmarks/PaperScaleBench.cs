using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace SelfSim.Benchmarks;

/// <summary>
/// `paper`: training throughput (images/s, forward + backward + AdamW step) of the paper-scale models at 224 px on this CPU,
/// beside the CPU-scale ViT in the same run, and the analytic FLOPs per image that turn images/s into GPU-hour estimates
/// (notebooks/measured/paper-scale/README.md). Args: [--threads N] [--batch B] [--steps N] [--models vit,resmlp,...].
/// </summary>
public sealed class PaperScaleBench : IBenchSuite
{
    public string Name => "paper";
    public string Description => "images/s of ViT-S/16 (and other paper-scale models) at 224 px, forward + backward, on CPU";

    public void Run(string[] args)
    {
        int threads = Arg(args, "--threads", Environment.ProcessorCount), batch = Arg(args, "--batch", 8), steps = Arg(args, "--steps", 5);
        var models = (Value(args, "--models") ?? "vit").Split(',', StringSplitOptions.RemoveEmptyEntries);
        torch.set_num_threads(threads);
        Console.WriteLine($"CPU threads: {threads}, batch {batch}, {steps} timed steps (median) after 1 warm-up step; load average at start: {LoadAverage()}");
        Console.WriteLine();
        Console.WriteLine("| model (3x224x224 unless noted)        | params      | fwd+bwd+step ms/batch | images/s | vs CPU-scale ViT (32 px) |");
        Console.WriteLine("|---------------------------------------|------------:|----------------------:|---------:|-------------------------:|");
        torch.manual_seed(0);
        double deitAlone = DeitImagesPerSecond(batch: 64, steps);
        double cpuVit, vitRate = double.NaN;
        using (var small = ModelZoo.Create("vit", ModelScale.Cpu, 3, 32, 10)) cpuVit = ImagesPerSecond(small, 32, batch, steps, out _);
        Console.WriteLine($"| vit, CPU scale (3x32x32)              | {Params("vit", ModelScale.Cpu, 32),11:N0} | {batch / cpuVit * 1000,21:F1} | {cpuVit,8:F2} |                    1.00x |");
        foreach (var name in models)
        {
            using var model = ModelZoo.Create(name, ModelScale.Paper, 3, 224, 10);
            double ips = ImagesPerSecond(model, 224, batch, steps, out double ms);
            if (name == "vit") vitRate = ips;
            Console.WriteLine($"| {name + " (" + ModelZoo.TimmName(name) + ")",-37} | {model.ParameterCount(),11:N0} | {ms,21:F1} | {ips,8:F2} | {ips / cpuVit,23:F4}x |");
        }
        Console.WriteLine();
        double macs = VitSmallMacs();
        Console.WriteLine($"ViT-S/16 forward at 224 px: {macs / 1e9:F2} GMACs per image (analytic: patch embedding, 12 blocks of qkv, attention, proj, MLP; timm lists 4.6)");
        Console.WriteLine($"training FLOPs per image ≈ 3 × 2 × MACs = {6 * macs / 1e9:F1} GFLOP (forward + backward ≈ 3 forwards)");
        double deitAfter = DeitImagesPerSecond(batch: 64, steps);
        Console.WriteLine($"DeiT input pipeline (32-px CIFAR-like images -> 224 px: random-resized crop, RandAugment m9, erasing, " +
                          $"mixup/cutmix), batch 64 on the same threads: {deitAlone:F1} images/s before the model steps, {deitAfter:F1} images/s " +
                          $"after them; {deitAlone / vitRate:F0}x / {deitAfter / vitRate:F0}x the ViT-S/16 training rate here");
        Console.WriteLine($"load average at end: {LoadAverage()} (a shared machine: absolute times vary with load)");
    }

    /// <summary>Images per second through the trainer's DeiT recipe (<see cref="TrainingInput.TrainBatch"/>) at 224 px:
    /// the CPU cost a GPU run must hide behind its steps.</summary>
    static double DeitImagesPerSecond(int batch, int steps)
    {
        var g = new Generator(5);
        using var raw = rand(new long[] { batch, 3, 32, 32 }, generator: g);
        using var labels = randint(0, 10, new long[] { batch }, generator: g);
        var data = new ImageDataset("bench/cifar-like", raw, labels, 10, new[] { 0.49f, 0.48f, 0.45f }, new[] { 0.25f, 0.24f, 0.26f });
        var input = new TrainingInput(new TrainingOptions { Dataset = "cifar10", Scale = ModelScale.Paper }, data);
        var rng = new Random(5);
        var times = new List<double>();
        for (int i = 0; i < steps + 1; i++)
        {
            var sw = Stopwatch.StartNew();
            using (NewDisposeScope()) input.TrainBatch(raw, labels, rng);
            if (i >= 1) times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return batch / (times[times.Count / 2] / 1000);
    }

    /// <summary>Multiply-accumulates of one ViT-S/16 forward at 224 px with 197 tokens.</summary>
    public static double VitSmallMacs()
    {
        const double t = 197, d = 384, patches = 196;
        double block = t * d * 3 * d + 2 * t * t * d + t * d * d + 2 * t * d * 4 * d;
        return patches * 16 * 16 * 3 * d + 12 * block + d * 1000;
    }

    static long Params(string name, ModelScale scale, int size) { using var m = ModelZoo.Create(name, scale, 3, size, 10); return m.ParameterCount(); }

    static double ImagesPerSecond(HookedModel model, int size, int batch, int steps, out double medianMs)
    {
        model.train();
        var opt = optim.AdamW(model.parameters(), 1e-4);
        using var x = randn(batch, 3, size, size);
        using var y = randint(0, 10, new long[] { batch });
        var times = new List<double>();
        for (int i = 0; i < steps + 1; i++)
        {
            var sw = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                opt.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(x), y);
                loss.backward();
                opt.step();
            }
            if (i >= 1) times.Add(sw.Elapsed.TotalMilliseconds);
            GC.Collect();
        }
        opt.Dispose();
        times.Sort();
        medianMs = times[times.Count / 2];
        return batch / (medianMs / 1000);
    }

    static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; } catch (IOException) { return "n/a"; } catch (UnauthorizedAccessException) { return "n/a"; }
    }

    static int Arg(string[] args, string name, int fallback) => Value(args, name) is string v && int.TryParse(v, out var n) ? n : fallback;
    static string? Value(string[] args, string name) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
}

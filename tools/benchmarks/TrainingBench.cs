using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace SelfSim.Benchmarks;

/// <summary>
/// `training`: the per-step cost of the Srate constraint against a plain step (MLP, C = 512, B = 64; goal ≤ 15 %),
/// and training samples/s of every zoo model at CPU scale. Args: [--threads N] [--steps N].
/// </summary>
public sealed class TrainingBench : IBenchSuite
{
    public string Name => "training";
    public string Description => "Srate-constrained vs plain training step (MLP C=512, B=64) and samples/s per model at CPU scale";

    public void Run(string[] args)
    {
        int threads = Arg(args, "--threads", 1), steps = Arg(args, "--steps", 20);
        torch.set_num_threads(threads);
        Console.WriteLine($"CPU threads: {threads}, timed steps: {steps} per mode (median), after 3 warm-up steps; modes interleaved step by step");
        Console.WriteLine($"load average at start: {LoadAverage()}");

        // 1. Constraint overhead on the reference's mlp_512 width (C = 512 nodes, B = 64 samples per node).
        torch.manual_seed(0);
        using (var mlp = new ResidualMlp(ResidualMlpConfig.Paper, 1, 28, 10))
        {
            var t = Interleaved(mlp, 1, 28, 64, steps, null, SrateMode.Record, SrateMode.Constrain);
            double plain = t["Plain"], record = t["Record"], constrained = t["Constrain"];
            Console.WriteLine();
            Console.WriteLine("| step (mlp, width 512, 28x28, B = 64)   | median ms | vs plain |");
            Console.WriteLine("|-----------------------------------------|----------:|---------:|");
            Console.WriteLine($"| plain (CE)                              | {plain,9:F2} |    1.00x |");
            Console.WriteLine($"| record S (no grad through Srate)        | {record,9:F2} | {record / plain,7:F2}x |");
            Console.WriteLine($"| constrained (CE + z·λ·Srate, backward)  | {constrained,9:F2} | {constrained / plain,7:F2}x |");
            double overhead = (constrained / plain - 1) * 100;
            Console.WriteLine($"constraint overhead: {overhead:F1} % (goal <= 15 %: {(overhead <= 15 ? "met" : "NOT met")})");
        }

        // Srate alone on the same node matrix size.
        using (var nodes = randn(512, 64).requires_grad_(true))
        {
            var srate = new List<double>();
            for (int i = 0; i < steps + 3; i++)
            {
                var sw = Stopwatch.StartNew();
                using (var scope = NewDisposeScope()) SrateObjective.Loss(Srate.Measure(nodes).Rate, SrateObjective.DefaultTarget).backward();
                if (i >= 3) srate.Add(sw.Elapsed.TotalMilliseconds);
            }
            srate.Sort();
            Console.WriteLine($"Srate alone on [512, 64] (forward + backward): {srate[srate.Count / 2]:F2} ms median");
        }

        // 2. Samples/s per model at CPU scale, plain and constrained, on CIFAR-shaped input.
        Console.WriteLine();
        Console.WriteLine("| model (CPU scale, 3x32x32, B = 64) | params    | plain samples/s | constrained samples/s | overhead |");
        Console.WriteLine("|------------------------------------|----------:|----------------:|----------------------:|---------:|");
        foreach (var name in ModelZoo.Names)
        {
            torch.manual_seed(0);
            using var model = ModelZoo.Create(name, ModelScale.Cpu, 3, 32, 10);
            int n = Math.Max(5, steps / 2);
            var t = Interleaved(model, 3, 32, 64, n, null, SrateMode.Constrain);
            double p = t["Plain"], c = t["Constrain"];
            Console.WriteLine($"| {name,-34} | {model.ParameterCount(),9:N0} | {64000 / p,15:F0} | {64000 / c,21:F0} | {(c / p - 1) * 100,7:F1}% |");
        }
        Console.WriteLine();
        Console.WriteLine($"load average at end: {LoadAverage()} (on a shared machine absolute times vary; the ratios come from interleaved steps)");
        Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
    }

    /// <summary>
    /// Median milliseconds of full training steps (forward, loss, backward, AdamW) on random data, for each mode, with the
    /// modes interleaved step by step so that load from other processes hits them alike.
    /// </summary>
    static Dictionary<string, double> Interleaved(HookedModel model, int channels, int size, int batch, int steps, params SrateMode?[] modes)
    {
        model.train();
        using var opt = optim.AdamW(model.parameters(), 1e-4, weight_decay: 0.05);
        using var x = rand(batch, channels, size, size);
        using var y = randint(0, 10, new long[] { batch });
        var rng = new Random(1);
        var times = modes.ToDictionary(m => Key(m), _ => new List<double>());
        for (int i = 0; i < steps + 3; i++)
            foreach (var mode in modes)
            {
                var sw = Stopwatch.StartNew();
                using (var capture = mode is null ? null : FeatureCapture.Attach(model, model.HookPoints, keepGraph: mode == SrateMode.Constrain))
                using (var scope = NewDisposeScope())
                {
                    var logits = model.call(x);
                    var loss = nn.functional.cross_entropy(logits, y, label_smoothing: 0.1);
                    if (capture is not null)
                    {
                        var nodes = capture[model.HookPoints[rng.Next(model.HookPoints.Count)]];
                        if (mode == SrateMode.Constrain) loss = loss + 0.1 * SrateObjective.Loss(Srate.Measure(nodes).Rate, SrateObjective.DefaultTarget); // z = 1: the full cost
                        else using (no_grad()) _ = Srate.Measure(nodes).S;
                    }
                    _ = loss.item<float>();
                    opt.zero_grad();
                    loss.backward();
                    opt.step();
                }
                GC.Collect(); GC.WaitForPendingFinalizers(); // as the trainer does (TorchSharp grad wrappers)
                if (i >= 3) times[Key(mode)].Add(sw.Elapsed.TotalMilliseconds);
            }
        return times.ToDictionary(kv => kv.Key, kv => { kv.Value.Sort(); return kv.Value[kv.Value.Count / 2]; });
    }

    static string Key(SrateMode? m) => m?.ToString() ?? "Plain";

    static string LoadAverage()
    {
        try { return System.IO.File.ReadAllText("/proc/loadavg").Split(' ')[0]; } catch { return "n/a"; }
    }

    static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}

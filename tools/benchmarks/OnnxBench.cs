using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace SelfSim.Benchmarks;

/// <summary>
/// `onnx`: `selfsim analyze`'s path (OnnxAnalysis.Run) on a ResNet-50-sized model: torchvision's resnet50 with random
/// seeded weights, exported to a temp folder by /usr/bin/python3 (python3-torch, python3-torchvision; skipped with a
/// message when absent), its 16 bottleneck blocks measured on 256 seeded random images at 224 px. Prints the time per
/// layer and the share spent in ONNX Runtime versus our measures, with the load average beside the times.
/// Args: [--samples N] [--size PX] [--model resnet50|resnet18] [--batch B].
/// </summary>
public sealed class OnnxBench : IBenchSuite
{
    public string Name => "onnx";
    public string Description => "selfsim analyze on torchvision resnet50 (random weights, 256 images at 224 px): time per layer, ONNX Runtime vs measures";

    public void Run(string[] args)
    {
        int samples = Arg(args, "--samples", 256), size = Arg(args, "--size", 224), batch = Arg(args, "--batch", 32);
        var arch = Value(args, "--model") ?? "resnet50";
        var dir = Directory.CreateTempSubdirectory("selfsim-onnx-bench-").FullName;
        try
        {
            var path = Path.Combine(dir, arch + ".onnx");
            var clock = Stopwatch.StartNew();
            if (Export(arch, size, path) is string why) { Console.WriteLine($"skipped: {why}"); return; }
            Console.WriteLine($"exported torchvision {arch} (seed 0) to {path} ({new FileInfo(path).Length / 1e6:F0} MB) in {clock.Elapsed.TotalSeconds:F0} s");
            var model = OnnxModel.Load(path);
            var rng = new Random(0);
            var data = new float[(long)samples * 3 * size * size];
            for (int i = 0; i < data.Length; i++) data[i] = (float)(rng.NextDouble() * 2 - 1);
            var probe = new OnnxProbe($"{samples} seeded uniform(-1, 1) images", data, new[] { samples, 3, size, size });
            Console.WriteLine($"probe {samples}×3×{size}×{size}, batches of {batch}; {Environment.ProcessorCount} cores; load average at start: {LoadAverage()}");
            clock.Restart();
            var result = OnnxAnalysis.Run(model, probe, batchSize: batch);
            double total = clock.Elapsed.TotalSeconds;
            Console.WriteLine();
            Console.WriteLine("| layer      | shape (per sample) | nodes | measures s |      S |    d_B |");
            Console.WriteLine("|------------|--------------------|------:|-----------:|-------:|-------:|");
            foreach (var l in result.Layers)
                Console.WriteLine($"| {l.Layer.Name,-10} | {string.Join("×", l.Layer.Shape.Skip(1)),-18} | {l.Measures.Row.Nodes,5} | {l.Seconds,10:F2} | {l.Measures.Row.S,6:F4} | {l.Measures.Row.BoxDimension,6:F3} |");
            double other = total - result.RuntimeSeconds - result.ReduceSeconds - result.MeasureSeconds;
            Console.WriteLine();
            Console.WriteLine($"total {total:F1} s for {result.Layers.Count} layers: ONNX Runtime {result.RuntimeSeconds:F1} s ({100 * result.RuntimeSeconds / total:F0}%, " +
                              $"{result.Provider}), reducing to node matrices {result.ReduceSeconds:F1} s ({100 * result.ReduceSeconds / total:F0}%), " +
                              $"our measures {result.MeasureSeconds:F1} s ({100 * result.MeasureSeconds / total:F0}%), layer discovery and the rest {other:F1} s");
            Console.WriteLine($"load average at end: {LoadAverage()} (a shared machine: absolute times vary with load)");
        }
        finally { try { Directory.Delete(dir, true); } catch (IOException) { } }
    }

    /// <summary>Exports torchvision's <paramref name="arch"/> with seeded random weights; null when done, else why not.</summary>
    static string? Export(string arch, int size, string path)
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) return $"{python} is missing (install python3-torch and python3-torchvision)";
        var script = "import sys, torch, torchvision\n" +
                     "torch.manual_seed(0)\n" +
                     $"m = torchvision.models.{arch}().eval()\n" +
                     $"torch.onnx.export(m, torch.randn(1, 3, {size}, {size}), sys.argv[1], input_names=['input'], " +
                     "dynamic_axes={'input': {0: 'batch'}}, opset_version=13)\n";
        var psi = new ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c"); psi.ArgumentList.Add(script); psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode == 0 && File.Exists(path)) return null;
        var last = err.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        return last.Contains("No module named") ? $"{python} lacks torch or torchvision ({last.Trim()})" : $"the export failed: {last.Trim()}";
    }

    static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; } catch (IOException) { return "n/a"; } catch (UnauthorizedAccessException) { return "n/a"; }
    }

    static int Arg(string[] args, string name, int fallback) => Value(args, name) is string v && int.TryParse(v, out var n) ? n : fallback;
    static string? Value(string[] args, string name) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }
}

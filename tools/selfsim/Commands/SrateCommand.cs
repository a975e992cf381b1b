using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using static TorchSharp.torch;

namespace SelfSim.Cli;

/// <summary>`selfsim srate`: Srate (S), TZ, TV and the loss of a feature file, optionally its gradient and timing.</summary>
public sealed class SrateCommand : ICliCommand
{
    public Command Create()
    {
        var features = new Option<string>("--features") { Description = "2-D .npy (float32/float64) or .csv; rows are nodes, columns samples", Required = true };
        var target = new Option<double>("--target") { Description = "the S the loss pulls towards", DefaultValueFactory = _ => SrateObjective.DefaultTarget };
        var scales = new Option<int>("--scales") { Description = "number of box sizes (the reference uses 256)", DefaultValueFactory = _ => Srate.DefaultScales };
        var gradient = new Option<string?>("--gradient") { Description = "write d loss/d features here as a float32 .npy of the input's shape" };
        var repeat = new Option<int>("--repeat") { Description = "time K calls after one warm-up and report the median as msPerCall", DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda or cuda:N", DefaultValueFactory = _ => "cpu" };
        var json = new Option<bool>("--json") { Description = "print one JSON object (fields: docs/cli-json.md)" };
        var header = CliInputs.HeaderOption();
        var samplesInRows = new Option<bool>("--samples-in-rows") { Description = "the file is [samples, neurons], as a PyTorch hook gives: transpose it" };
        var cmd = new Command("srate", "Srate (the reference's approximate box-covering self-similarity rate) of a feature matrix, with its loss and gradient.")
            { features, samplesInRows, header, target, scales, gradient, repeat, device, json };
        cmd.SetAction(parse =>
        {
            OpenMpWaitPolicy.PreferPassive();   // before the first torch call loads libgomp
            var path = parse.GetValue(features)!;
            double t = parse.GetValue(target);
            int k = parse.GetValue(scales);
            var gradPath = parse.GetValue(gradient);
            int reps = parse.GetValue(repeat);
            if (reps < 0) throw new SelfSimException($"--repeat must be 0 or more; got {reps}.");
            if (!double.IsFinite(t)) throw new SelfSimException($"--target must be a finite number (the S the loss pulls towards, e.g. 0.3); got {t}.");
            if (k < 2) throw new SelfSimException($"--scales must be at least 2; got {k}. The reference uses 256.");
            if (gradPath is not null) gradPath = OutputGuard.File(gradPath, "--gradient", "gradient.npy", path);
            var dev = Devices.Pick(parse.GetValue(device));
            // S is computed in float32, as the reference computes it (a float64 file is rounded to float32 first).
            using var m = NodeMatrix.Load(path, parse.GetValue(samplesInRows), CsvHeader.Parse(parse.GetValue(header)));
            foreach (var w in m.Warnings) Console.Error.WriteLine("warning: " + w);
            int rows = m.Nodes, cols = m.Samples;
            MeasureLimits.CheckSrate(rows, cols, k, dev.type == TorchSharp.DeviceType.CPU);
            // ... unless float32 cannot hold its distances (a float64 file of values near 1e20): then in float64, said.
            bool wide = m.Precision == "float64" && Srate.Float32CannotHold(m.Features);
            if (wide) Console.Error.WriteLine("warning: the features are too large for float32 distances (the reference's precision); S is measured in float64.");
            var x = (wide ? m.Features : m.Features.to(ScalarType.Float32)).to(dev);

            float[]? grad = null;
            // The measure S, and on it the training objective ½(S − target)² whose gradient --gradient writes.
            (SrateResult, double) Call()
            {
                using var scope = NewDisposeScope();
                if (gradPath is null)
                {
                    using var _ = no_grad();
                    var m = Srate.Measure(x, k);
                    return (m, SrateObjective.Loss(m.Rate, t).to(ScalarType.Float64).item<double>());
                }
                var xg = x.detach().clone().requires_grad_(true);
                var r = Srate.Measure(xg, k);
                var loss = SrateObjective.Loss(r.Rate, t);
                loss.backward();
                grad = xg.grad!.detach().to(ScalarType.Float32).cpu().data<float>().ToArray();
                return (r, loss.to(ScalarType.Float64).item<double>());
            }

            var (result, lossValue) = Call();
            double? ms = null;
            if (reps > 0)
            {
                var times = new List<double>();
                for (int i = 0; i < reps; i++)
                {
                    var sw = Stopwatch.StartNew();
                    Call();
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                ms = reps % 2 == 1 ? times[reps / 2] : 0.5 * (times[reps / 2 - 1] + times[reps / 2]);
            }
            if (gradPath is not null) NpyFile.Write(gradPath, grad!, rows, cols);

            if (parse.GetValue(json))
            {
                var o = new Dictionary<string, object?>
                {
                    ["srate"] = result.S,
                    ["minDistance"] = result.MinDistance,
                    ["maxDistance"] = result.MaxDistance,
                    ["loss"] = lossValue,
                    ["target"] = t,
                    ["nodes"] = rows,
                    ["samples"] = cols,
                    ["scales"] = k,
                    ["precision"] = wide ? "float64" : "float32",
                    ["inputPrecision"] = m.Precision,
                    ["zeroRows"] = m.ZeroRows,
                    ["warnings"] = m.Warnings,
                    ["curve"] = new Dictionary<string, object>
                    {
                        ["scales"] = result.Scales,
                        ["pairFraction"] = result.PairFraction,
                        ["boxCount"] = result.BoxCount,
                    },
                };
                if (ms is not null) o["msPerCall"] = ms;
                if (gradPath is not null) o["gradient"] = Path.GetFullPath(gradPath);
                Console.WriteLine(JsonSerializer.Serialize(o));
            }
            else
            {
                Console.WriteLine($"features:     {path} ({rows} nodes × {cols} samples; S in float32 as the reference{(m.Precision == "float64" ? ", from a float64 file" : "")})");
                Console.WriteLine($"Srate S:      {result.S:F6}");
                Console.WriteLine($"distances:    min (TZ) {result.MinDistance:G6}, max (TV) {result.MaxDistance:G6}");
                Console.WriteLine($"loss:         {lossValue:G6} (target {t})");
                if (ms is not null) Console.WriteLine($"time:         {ms:F2} ms per call (median of {reps}{(gradPath is null ? "" : ", with gradient")})");
                if (gradPath is not null) Console.WriteLine($"gradient:     {gradPath}");
            }
            return 0;
        });
        return cmd;
    }
}

using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using static TorchSharp.torch;

namespace SelfSim.Cli;

/// <summary>`selfsim weights`: the weight spectrum of every layer of a checkpoint, or of one matrix: power-law α of the
/// ESD of WᵀW (Martin &amp; Mahoney), xmin, KS distance and stable rank.</summary>
public sealed class WeightsCommand : ICliCommand
{
    public Command Create()
    {
        var weights = new Option<string?>("--weights") { Description = "a state dict (.pt/.pth: torch.save of model.state_dict(); .safetensors) or an ONNX model's initializers (.onnx); every tensor of ≥ 2 dimensions is a layer" };
        var matrix = new Option<string?>("--matrix") { Description = "one matrix as a 2-D .npy or .csv" };
        var json = new Option<bool>("--json") { Description = "print one JSON object (fields: docs/cli-json.md)" };
        var cmd = new Command("weights", "Heavy-tailed weight spectra: per layer, the power-law tail α of the eigenvalues of WᵀW (convolutions: one matrix per kernel position, pooled, as WeightWatcher), its xmin and KS distance, and the stable rank.")
            { weights, matrix, json };
        cmd.SetAction(parse =>
        {
            OpenMpWaitPolicy.PreferPassive();
            string? w = parse.GetValue(weights), mx = parse.GetValue(matrix);
            if ((w is null) == (mx is null))
                throw new SelfSimException("Pass exactly one of --weights MODEL.pt|.safetensors (every layer) and --matrix W.npy (one matrix).");
            List<WeightSpectrum> spectra;
            if (mx is not null)
            {
                var (data, rows, cols) = FeatureFile.ReadDouble(mx);
                using var t = tensor(data, new long[] { rows, cols });
                spectra = new() { WeightSpectra.Of(Path.GetFileName(mx), t) };
            }
            else
            {
                var state = w!.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? OnnxWeights.Read(w) : CheckpointFile.Read(w);
                try { spectra = WeightSpectra.OfStateDict(state).ToList(); }
                finally { foreach (var t in state.Values) t.Dispose(); }
                if (spectra.Count == 0) throw new SelfSimException($"{w} holds no tensor of 2 or more dimensions: nothing has a spectrum.");
            }
            if (parse.GetValue(json))
            {
                var layers = spectra.Select(s => new Dictionary<string, object?>
                {
                    ["name"] = s.Name,
                    ["shape"] = s.Shape,
                    ["matrices"] = s.Matrices,
                    ["eigenvalues"] = s.Eigenvalues.Length,
                    ["alpha"] = s.Alpha,
                    ["alphaStdError"] = s.AlphaStdError,
                    ["xmin"] = s.Xmin,
                    ["ks"] = s.Ks,
                    ["tailCount"] = s.TailCount,
                    ["stableRank"] = s.StableRank,
                    ["lambdaMax"] = s.Eigenvalues[^1],
                    ["note"] = s.Note,
                }).ToList();
                object o = mx is not null ? layers[0] : new Dictionary<string, object?> { ["weights"] = w, ["layers"] = layers };
                Console.WriteLine(JsonSerializer.Serialize(o, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
            }
            else
            {
                Console.WriteLine("layer                                    shape          alpha      xmin     ks  tail  stable rank");
                foreach (var s in spectra)
                    Console.WriteLine(FormattableString.Invariant(
                        $"{s.Name,-40} {string.Join("×", s.Shape),-12} {s.Alpha,7:F3} {s.Xmin,9:G4} {s.Ks,6:F3} {s.TailCount,5} {s.StableRank,12:F2}{(s.Note is null ? "" : "  " + s.Note)}"));
            }
            return 0;
        });
        return cmd;
    }
}

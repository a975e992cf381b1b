using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SelfSim.Cli;

/// <summary>`selfsim analyze`: S, d_B and their intervals for the layers of any network exported to ONNX, on a probe batch
/// (the one path of <see cref="OnnxAnalysis"/>, which notebooks call too).</summary>
public sealed class AnalyzeCommand : ICliCommand
{
    public sealed record AnalyzeArgs(string Model, string? Probe, string Layers = OnnxLayers.Auto, int? ChannelAxis = null,
        int Samples = NodeMatrix.DefaultProbeSamples, string? Mean = null, string? Std = null, string? Out = null, bool Json = false,
        bool ListLayers = false, int MaxNodes = ResourceLimits.MaxDistanceMatrixNodes, int Draws = SubsampledLayer.DefaultDraws,
        int Seed = 0, int BatchSize = OnnxFeatures.DefaultBatchSize, string? Data = null);

    public Command Create()
    {
        var model = new Argument<string>("model") { Description = "the network as an .onnx file (torch.onnx.export(model, example, \"model.onnx\"))" };
        var probe = new Option<string?>("--probe") { Description = "probe samples: mnist, fashion-mnist (embedded test split), FILE.npy (a batch in the model's exact input layout) or a folder of images" };
        var layers = new Option<string>("--layers") { Description = "auto (the output of each residual block or stage) or names, comma-separated (see --list-layers)", DefaultValueFactory = _ => OnnxLayers.Auto };
        var axis = new Option<int?>("--channel-axis") { Description = "the axis that holds the channels when the shape is ambiguous (default: [N,C] as is, [N,T,C] axis 2, [N,C,H,W] axis 1); the mean runs over the other axes" };
        var samples = new Option<int>("--samples") { Description = "probe samples (a node's vector has one coordinate per sample)", DefaultValueFactory = _ => NodeMatrix.DefaultProbeSamples };
        var mean = new Option<string?>("--mean") { Description = "image normalisation mean, one value or one per channel (default: ImageNet's for image folders, the dataset's for mnist)" };
        var std = new Option<string?>("--std") { Description = "image normalisation std, as --mean" };
        var output = new Option<string?>("--out") { Description = "folder for analyze.json, layers.csv and the figures (HTML)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object (fields: docs/cli-json.md)" };
        var list = new Option<bool>("--list-layers") { Description = "print every candidate layer with its shape (and which ones auto picks), then stop" };
        var maxNodes = new Option<int>("--max-nodes") { Description = "wider layers are measured on seeded subsamples of this many nodes", DefaultValueFactory = _ => ResourceLimits.MaxDistanceMatrixNodes };
        var draws = new Option<int>("--draws") { Description = "subsamples of a layer wider than --max-nodes (their spread is reported)", DefaultValueFactory = _ => SubsampledLayer.DefaultDraws };
        var seed = new Option<int>("--seed") { Description = "seed of the node subsamples", DefaultValueFactory = _ => 0 };
        var batch = new Option<int>("--batch-size") { Description = "probe samples per forward pass (memory only; the model's fixed batch wins)", DefaultValueFactory = _ => OnnxFeatures.DefaultBatchSize };
        var data = new Option<string?>("--data") { Description = "data folder (for mnist, fashion-mnist)" };
        var cmd = new Command("analyze", "Measure S and d_B (with intervals) of the layers of a network exported to ONNX, on a probe batch run by ONNX Runtime.")
            { model, probe, layers, axis, samples, mean, std, output, json, list, maxNodes, draws, seed, batch, data };
        cmd.SetAction(parse => Run(new AnalyzeArgs(parse.GetValue(model)!, parse.GetValue(probe), parse.GetValue(layers)!, parse.GetValue(axis),
            parse.GetValue(samples), parse.GetValue(mean), parse.GetValue(std), parse.GetValue(output), parse.GetValue(json), parse.GetValue(list),
            parse.GetValue(maxNodes), parse.GetValue(draws), parse.GetValue(seed), parse.GetValue(batch), parse.GetValue(data)), Console.Out));
        return cmd;
    }

    public static int Run(AnalyzeArgs a, TextWriter output)
    {
        var outDir = a.Out is null ? null : OutputGuard.Folder(a.Out, "--out", a.Model, a.Probe);
        var model = OnnxModel.Load(a.Model);
        var c = CultureInfo.InvariantCulture;
        if (a.ListLayers && a.Probe is null)
        {
            PrintCandidates(model, OnnxLayers.Candidates(model), a.ChannelAxis, output);
            return 0;
        }
        if (a.Probe is null)
            throw new SelfSimException($"--probe is missing. Give mnist, fashion-mnist, a .npy batch or an image folder for the model's input {model.Input}.");
        var probe = OnnxProbe.Open(a.Probe, model.Input, a.Samples, Floats(a.Mean, "--mean"), Floats(a.Std, "--std"), a.Data);
        if (a.ListLayers)
        {
            probe.CheckFits(model.Input);
            int n = (int)(model.Input.FixedBatch ?? Math.Min(2, probe.Count));
            PrintCandidates(model, OnnxLayers.Candidates(model, probe.Batch(0, n)), a.ChannelAxis, output);
            return 0;
        }
        var result = OnnxAnalysis.Run(model, probe, a.Layers, a.ChannelAxis, a.MaxNodes, a.Draws, a.Seed, a.BatchSize,
            progress: a.Json ? null : m => Console.Error.WriteLine(m));
        var doc = ToJson(result, a);
        if (outDir is not null)
        {
            Directory.CreateDirectory(outDir);
            AtomicFile.WriteAllText(Path.Combine(outDir, "analyze.json"), doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            AtomicFile.WriteAllText(Path.Combine(outDir, "layers.csv"), Csv(result));
            var name = Path.GetFileNameWithoutExtension(a.Model);
            foreach (var (metric, file) in new[] { (LayerMetric.S, "s-per-layer"), (LayerMetric.BoxDimension, "dB-per-layer") })
            {
                var title = $"{(metric == LayerMetric.S ? "Srate S" : "Box dimension d_B (95 % CI)")} per layer of {name}";
                var chart = StudyCharts.PerLayer(result.Rows, metric, title);
                AtomicFile.WriteAllText(Path.Combine(outDir, file + ".html"), Figures.ToHtml(chart, title));
            }
        }
        if (a.Json)
        {
            output.WriteLine(doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        output.WriteLine($"{Path.GetFileName(a.Model)}: input {model.Input}; {result.Provider}");
        output.WriteLine($"probe: {result.Probe}");
        output.WriteLine("layer                              shape                rule                       nodes        S      d_B  d_B 95% CI");
        foreach (var l in result.Layers)
        {
            var r = l.Measures.Row;
            output.WriteLine(string.Format(c, "{0,-34} {1,-20} {2,-26} {3,6} {4,8:F4} {5,8:F3}  [{6:F3}, {7:F3}]", Clip(l.Layer.Name, 34),
                "[" + string.Join(",", l.Layer.Shape.Skip(1)) + "]", Clip(l.Rule, 26), r.Nodes, r.S, r.BoxDimension.Value, r.BoxDimension.Lower, r.BoxDimension.Upper));
            if (r.Note is not null) output.WriteLine("    note: " + r.Note);
            foreach (var w in l.Warnings) output.WriteLine("    warning: " + w);
        }
        if (result.Layers.Any(l => l.Measures.Subsampled))
            output.WriteLine($"subsampled: layers wider than {a.MaxNodes} nodes were measured on {a.Draws} seeded subsamples (seed {a.Seed}); " +
                             "the row is the first draw, the note gives the range over all draws.");
        output.WriteLine(string.Format(c, "time: {0:F1} s in ONNX Runtime, {1:F1} s reducing, {2:F1} s measuring", result.RuntimeSeconds, result.ReduceSeconds, result.MeasureSeconds));
        if (outDir is not null) output.WriteLine($"wrote {Path.Combine(outDir, "analyze.json")}, layers.csv, s-per-layer.html, dB-per-layer.html");
        return 0;
    }

    static void PrintCandidates(OnnxModel model, IReadOnlyList<OnnxLayer> candidates, int? axis, TextWriter output)
    {
        var auto = OnnxLayers.Blocks(model, candidates).ToDictionary(b => b.Tensor, b => b.Name, StringComparer.Ordinal);
        output.WriteLine($"{Path.GetFileName(model.Path)}: input {model.Input}; {candidates.Count} candidate layers, {auto.Count} picked by --layers auto (marked *)");
        output.WriteLine("  layer                                          op             shape                 rule");
        foreach (var l in candidates)
        {
            var name = auto.TryGetValue(l.Tensor, out var block) ? $"{block} = {l.Name}" : l.Name;
            output.WriteLine($"{(auto.ContainsKey(l.Tensor) ? "*" : " ")} {name,-46} {l.Op,-14} {l.ShapeText,-21} {OnnxFeatures.Rule(l.Shape, axis)}");
        }
    }

    static JsonObject ToJson(OnnxAnalysisResult r, AnalyzeArgs a) => new()
    {
        ["model"] = Path.GetFullPath(r.Model),
        ["input"] = new JsonObject { ["name"] = r.Input.Name, ["shape"] = new JsonArray(r.Input.Shape.Select(d => (JsonNode)d).ToArray()), ["dtype"] = r.Input.DType },
        ["probe"] = new JsonObject { ["source"] = r.Probe, ["shape"] = new JsonArray(r.ProbeShape.Select(d => (JsonNode)d).ToArray()) },
        ["provider"] = r.Provider,
        ["layersSpec"] = a.Layers,
        ["channelAxis"] = a.ChannelAxis,
        ["maxNodes"] = a.MaxNodes,
        ["layers"] = new JsonArray(r.Layers.Select(l => (JsonNode)new JsonObject
        {
            ["layer"] = l.Layer.Name,
            ["tensor"] = l.Layer.Tensor,
            ["node"] = l.Layer.Node,
            ["op"] = l.Layer.Op,
            ["shape"] = new JsonArray(l.Layer.Shape.Skip(1).Select(d => (JsonNode)d).ToArray()),
            ["rule"] = l.Rule,
            ["measures"] = JsonSerializer.SerializeToNode(l.Measures.Row, RunLog.Json),
            ["subsampled"] = l.Measures.Subsampled,
            ["subsample"] = !l.Measures.Subsampled ? null : new JsonObject
            {
                ["totalNodes"] = l.Measures.TotalNodes,
                ["measuredNodes"] = l.Measures.MeasuredNodes,
                ["draws"] = l.Measures.Draws,
                ["seed"] = l.Measures.Seed,
                ["s"] = JsonSerializer.SerializeToNode(l.Measures.S, RunLog.Json),
                ["boxDimension"] = JsonSerializer.SerializeToNode(l.Measures.BoxDimension, RunLog.Json),
            },
            ["warnings"] = new JsonArray(l.Warnings.Select(w => (JsonNode)w).ToArray()),
            ["measureSeconds"] = Math.Round(l.Seconds, 3),
        }).ToArray()),
        ["timing"] = new JsonObject
        {
            ["onnxRuntimeSeconds"] = Math.Round(r.RuntimeSeconds, 3),
            ["reduceSeconds"] = Math.Round(r.ReduceSeconds, 3),
            ["measureSeconds"] = Math.Round(r.MeasureSeconds, 3),
        },
    };

    static string Csv(OnnxAnalysisResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("layer,tensor,shape,rule,nodes,measured_nodes,samples,s,box_dimension,box_dimension_low,box_dimension_high,srate_box_dimension,note\n");
        foreach (var l in r.Layers)
        {
            var m = l.Measures.Row;
            sb.AppendLine(string.Join(",", new[] { l.Layer.Name, l.Layer.Tensor, string.Join("x", l.Layer.Shape.Skip(1)), l.Rule }.Select(Quote)
                .Concat(new object[] { m.Nodes, l.Measures.MeasuredNodes, m.Samples, m.S, m.BoxDimension.Value, m.BoxDimension.Lower, m.BoxDimension.Upper, m.SrateBoxDimension.Value }
                    .Select(v => Convert.ToString(v, c)!)).Append(Quote(m.Note ?? ""))));
        }
        return sb.ToString();
    }

    static string Quote(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    static string Clip(string s, int n) => s.Length <= n ? s : "…" + s[^(n - 1)..];

    static float[]? Floats(string? text, string option)
    {
        if (text is null) return null;
        try { return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray(); }
        catch (FormatException) { throw new SelfSimException($"{option} '{text}' is not a list of numbers; give e.g. 0.485,0.456,0.406."); }
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

/// <summary>One measured layer of an ONNX model: the layer, how its tensor became a node matrix, its measures
/// (subsampled when wider than the node limit), the node matrix's warnings, and the seconds its measures took.</summary>
public sealed record OnnxLayerResult(OnnxLayer Layer, string Rule, SubsampledLayer Measures, IReadOnlyList<string> Warnings, double Seconds);

/// <summary>What `selfsim analyze` reports: the model, its input, the probe, the provider, every layer, and where the time went.</summary>
public sealed record OnnxAnalysisResult(string Model, OnnxInput Input, string Probe, int[] ProbeShape, string Provider,
    IReadOnlyList<OnnxLayerResult> Layers, double RuntimeSeconds, double ReduceSeconds, double MeasureSeconds)
{
    /// <summary>The per-layer records alone (e.g. for <see cref="StudyCharts.PerLayer"/>).</summary>
    public IReadOnlyList<LayerMeasures> Rows => Layers.Select(l => l.Measures.Row).ToList();
}

/// <summary>
/// The self-similarity of an ONNX model's layers in one call: <see cref="OnnxFeatures.Capture(OnnxModel, OnnxProbe,
/// IReadOnlyList{OnnxLayer}, int?, int, OnnxCaptureStats?)"/> then <see cref="SubsampledLayer.Measure"/> (i.e.
/// <see cref="LayerMeasures.Of"/>, on seeded subsamples of a layer wider than <c>maxNodes</c>) per layer.
/// </summary>
public static class OnnxAnalysis
{
    public static OnnxAnalysisResult Run(OnnxModel model, OnnxProbe probe, string? layers = OnnxLayers.Auto, int? channelAxis = null,
        int maxNodes = ResourceLimits.MaxDistanceMatrixNodes, int draws = SubsampledLayer.DefaultDraws, int seed = 0,
        int batchSize = OnnxFeatures.DefaultBatchSize, int scales = Srate.DefaultScales, Action<string>? progress = null)
    {
        var chosen = OnnxFeatures.Layers(model, probe, layers);
        var stats = new OnnxCaptureStats();
        progress?.Invoke($"running {probe.Count} probe samples through {Path.GetFileName(model.Path)} for {chosen.Count} layers");
        var matrices = OnnxFeatures.Capture(model, probe, chosen, channelAxis, batchSize, stats);
        var arch = Path.GetFileNameWithoutExtension(model.Path);
        var results = new List<OnnxLayerResult>();
        try
        {
            for (int i = 0; i < matrices.Count; i++)
            {
                progress?.Invoke($"measuring {chosen[i].Name} ({matrices[i].Nodes} nodes)");
                var clock = Stopwatch.StartNew();
                var measured = SubsampledLayer.Measure(matrices[i], arch, i, matrices.Count, maxNodes, draws, seed, scales);
                results.Add(new OnnxLayerResult(chosen[i], OnnxFeatures.Rule(chosen[i].Shape, channelAxis), measured,
                    matrices[i].Warnings, clock.Elapsed.TotalSeconds));
            }
        }
        finally { foreach (var m in matrices) m.Dispose(); }
        return new OnnxAnalysisResult(model.Path, model.Input, probe.Source, probe.Shape, stats.Provider, results,
            stats.RuntimeSeconds, stats.ReduceSeconds, results.Sum(r => r.Seconds));
    }
}

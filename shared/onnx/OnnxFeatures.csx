#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>Where the time of one <see cref="OnnxFeatures.Capture(OnnxModel, OnnxProbe, IReadOnlyList{OnnxLayer}, int?, int, OnnxCaptureStats?)"/>
/// went: ONNX Runtime's session and forward passes, and the reduction to node matrices.</summary>
public sealed class OnnxCaptureStats
{
    /// <summary>Seconds in ONNX Runtime: building the session and running the probe batches.</summary>
    public double RuntimeSeconds { get; set; }
    /// <summary>Seconds turning the returned tensors into node matrices (copies and means).</summary>
    public double ReduceSeconds { get; set; }
    /// <summary>"CPU" or "CUDA".</summary>
    public string Provider { get; set; } = "CPU";
    /// <summary>Forward passes run (the probe in batches).</summary>
    public int Batches { get; set; }
}

/// <summary>
/// The node matrices of an ONNX model's layers on a probe batch (Ding et al. 2025, arXiv 2507.17785): the chosen tensors
/// become extra graph outputs, ONNX Runtime runs the probe through the model in batches, and each tensor becomes a node
/// matrix [C, N] by the paper's rule — [N, C] as is, [N, C, H, W] the mean over H and W, [N, T, C] the mean over the
/// tokens (the rule of <see cref="NodeFeatures.Reduce"/>), or the mean over every axis but batch and <c>channelAxis</c>
/// (<see cref="NodeFeatures.ReduceAt"/>) when that is given, computed on ONNX Runtime's buffers by
/// <see cref="NodeFeatures.ReduceInto"/> without copying them. The one path of `selfsim analyze` and the notebooks.
/// <code>var layers = OnnxFeatures.Capture("model.onnx", OnnxProbe.Open("mnist", OnnxModel.Load("model.onnx").Input));</code>
/// </summary>
public static class OnnxFeatures
{
    /// <summary>Samples per forward pass (the reductions are per sample, so batching changes nothing but memory).</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>The node matrices of <paramref name="layers"/> ("auto": each block's output; or names, comma-separated).</summary>
    public static IReadOnlyList<NodeMatrix> Capture(string modelPath, OnnxProbe probe, string layers = OnnxLayers.Auto,
        int? channelAxis = null, int batchSize = DefaultBatchSize)
    {
        var model = OnnxModel.Load(modelPath);
        return Capture(model, probe, Layers(model, probe, layers), channelAxis, batchSize);
    }

    /// <summary>The node matrices of the named layers (block, readable, tensor or node names).</summary>
    public static IReadOnlyList<NodeMatrix> Capture(string modelPath, OnnxProbe probe, IEnumerable<string> layers,
        int? channelAxis = null, int batchSize = DefaultBatchSize) =>
        Capture(modelPath, probe, string.Join(",", layers), channelAxis, batchSize);

    /// <summary>The layers <paramref name="spec"/> names, their shapes found on the probe's first samples.</summary>
    public static IReadOnlyList<OnnxLayer> Layers(OnnxModel model, OnnxProbe probe, string? spec = OnnxLayers.Auto)
    {
        probe.CheckFits(model.Input);
        int n = (int)(model.Input.FixedBatch ?? Math.Min(2, probe.Count));
        return OnnxLayers.Select(model, OnnxLayers.Candidates(model, probe.Batch(0, n)), spec);
    }

    /// <summary>
    /// Runs <paramref name="probe"/> through <paramref name="model"/> in batches of <paramref name="batchSize"/> (the model's
    /// fixed batch, if it has one) and returns one node matrix [C, N] (float32, rows = channels, columns = samples) per layer,
    /// named by the layer. Dispose them when done.
    /// </summary>
    public static IReadOnlyList<NodeMatrix> Capture(OnnxModel model, OnnxProbe probe, IReadOnlyList<OnnxLayer> layers,
        int? channelAxis = null, int batchSize = DefaultBatchSize, OnnxCaptureStats? stats = null)
    {
        if (layers.Count == 0) throw new SelfSimException("OnnxFeatures.Capture: no layers chosen. Pass --layers auto or layer names.");
        probe.CheckFits(model.Input);
        stats ??= new OnnxCaptureStats();
        int step = (int)(model.Input.FixedBatch ?? Math.Max(1, batchSize));
        var clock = Stopwatch.StartNew();
        using var session = model.Session(layers.Select(l => l.Tensor));
        stats.Provider = model.Provider;
        stats.RuntimeSeconds += clock.Elapsed.TotalSeconds;
        var names = layers.Select(l => l.Tensor).Distinct().ToList();
        var columns = new float[layers.Count][];
        for (int start = 0; start < probe.Count; start += step)
        {
            int count = Math.Min(step, probe.Count - start);
            clock.Restart();
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(model.Input.Name, probe.Batch(start, count)) }, names);
            stats.RuntimeSeconds += clock.Elapsed.TotalSeconds;
            stats.Batches++;
            clock.Restart();
            var byName = results.ToDictionary(r => r.Name, r => r, StringComparer.Ordinal);
            for (int i = 0; i < layers.Count; i++)
            {
                var t = byName[layers[i].Tensor].Value as Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>
                        ?? throw new SelfSimException($"layer {layers[i].Name} ({layers[i].Tensor}) is not a float32 tensor; pick a float layer (--list-layers).");
                var shape = t.Dimensions.ToArray().Select(d => (long)d).ToArray();
                int axis = channelAxis ?? NodeFeatures.DefaultChannelAxis(shape.Length);
                int a = axis < 0 ? shape.Length + axis : axis;
                if (shape.Length < 2 || a < 1 || a >= shape.Length)
                    throw new SelfSimException($"layer {layers[i].Name} has shape [{string.Join(", ", shape)}]; channel axis {axis} does not fit it: " +
                                               $"pick --channel-axis from 1 to {shape.Length - 1} (axis 0 is the batch).");
                columns[i] ??= new float[shape[a] * probe.Count];
                if (columns[i].Length != shape[a] * probe.Count)
                    throw new SelfSimException($"layer {layers[i].Name} changed its channel count between batches ({shape[a]} now); use a fixed-shape layer.");
                NodeFeatures.ReduceInto(t.Buffer.Span, shape, axis, columns[i], probe.Count, start);
            }
            stats.ReduceSeconds += clock.Elapsed.TotalSeconds;
        }
        clock.Restart();
        var result = layers.Select((l, i) => NodeMatrix.FromTensor(l.Name,
            tensor(columns[i], new long[] { columns[i].Length / probe.Count, probe.Count }))).ToList();
        stats.ReduceSeconds += clock.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>How a layer of this shape becomes a node matrix, in words (for --list-layers and the tables).</summary>
    public static string Rule(long[] shape, int? channelAxis = null)
    {
        int rank = shape.Length;
        if (channelAxis is int a)
        {
            int axis = a < 0 ? rank + a : a;
            var rest = Enumerable.Range(1, rank - 1).Where(i => i != axis).ToList();
            return rest.Count == 0 ? $"channels on axis {axis}" : $"channels on axis {axis}, mean over axes {string.Join(",", rest)}";
        }
        return rank switch
        {
            2 => "as is",
            3 => "mean over tokens (axis 1)",
            4 => "mean over H, W",
            _ => $"mean over axes {string.Join(",", Enumerable.Range(2, rank - 2))}",
        };
    }
}

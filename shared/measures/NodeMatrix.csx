#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

// The feature network's nodes (Ding et al. 2025, arXiv 2507.17785): one row per neuron or channel, one column per
// probe sample; node distance = Euclidean over √samples. The one currency every measure, graph and study takes.

/// <summary>
/// A layer's node matrix: its name, the [n, d] tensor (rows are nodes, columns probe samples) in the caller's
/// precision (float32 or float64), and its n×n float64 distance matrix ‖x_i − x_j‖/√d, computed once on first use.
/// Loading checks the orientation and dead (all-zero) rows and keeps the findings as <see cref="Warnings"/>.
/// </summary>
public sealed class NodeMatrix : IDisposable
{
    Tensor? _distances;
    double[]? _distanceArray;

    /// <summary>The layer's name (or the file it came from).</summary>
    public string Name { get; }
    /// <summary>[n, d]: rows are nodes, columns probe samples; float32 or float64 as given.</summary>
    public Tensor Features { get; }
    /// <summary>Number of nodes n (rows).</summary>
    public int Nodes => (int)Features.shape[0];
    /// <summary>Number of probe samples d (columns).</summary>
    public int Samples => (int)Features.shape[1];
    /// <summary>Rows that are exactly zero (dead units, e.g. ReLUs that never fire on the probe batch).</summary>
    public int ZeroRows { get; }
    /// <summary>What looked suspicious about the matrix (dead rows, a shape that looks transposed), in words.</summary>
    public IReadOnlyList<string> Warnings { get; }

    NodeMatrix(string name, Tensor features)
    {
        Name = name;
        Features = features;
        var w = new List<string>();
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            var x = features.detach();
            var zeroRow = x.eq(0).all(1);
            ZeroRows = (int)zeroRow.sum().item<long>();
            int zeroCols = (int)x.eq(0).all(0).sum().item<long>();
            if (ZeroRows > 0)
                w.Add($"{ZeroRows} of {Nodes} nodes are all zero (dead units, e.g. ReLUs that never fire on these probes): " +
                      "they sit at one point, at distance 0 from each other, and merge into one box first.");
            if (zeroCols > 0 && ZeroRows == 0)
                w.Add($"{zeroCols} of {Samples} columns are all zero but no row is: the matrix looks transposed " +
                      "(a PyTorch hook gives [samples, neurons]). If rows are samples, pass --samples-in-rows (or transpose it).");
            else if (Nodes > 4 * Samples && Samples < 32)
                w.Add($"{Nodes} nodes with only {Samples} samples each: if rows are samples and columns neurons, " +
                      "pass --samples-in-rows (or transpose it).");
        }
        Warnings = w;
    }

    /// <summary>A node matrix from a 2-D tensor; with <paramref name="samplesInRows"/> the tensor is [samples, nodes]
    /// (a PyTorch hook's [batch, features]) and is transposed. The tensor keeps its precision (float32 or float64).</summary>
    public static NodeMatrix FromTensor(string name, Tensor x, bool samplesInRows = false)
    {
        Srate.ValidateFeatures(x, $"NodeMatrix '{name}'", 2);
        var t = samplesInRows ? x.transpose(0, 1).contiguous() : x;
        return new NodeMatrix(name, t);
    }

    /// <summary>The probe size every study uses unless told otherwise: the first 256 test images (a node's vector has
    /// 256 coordinates). Smoke runs, which only check the pipeline, use <see cref="SmokeProbeSamples"/>.</summary>
    public const int DefaultProbeSamples = 256;
    /// <summary>The probe size of a smoke run (32 images).</summary>
    public const int SmokeProbeSamples = 32;

    /// <summary>The probe size for a run size: <see cref="SmokeProbeSamples"/> at smoke size, else
    /// <see cref="DefaultProbeSamples"/> (the one default of the notebooks, the surveys and the CLI).</summary>
    public static int ProbeSamplesFor(RunSize size) => size == RunSize.Smoke ? SmokeProbeSamples : DefaultProbeSamples;

    /// <summary>The first <paramref name="samples"/> images of <paramref name="data"/>, normalised: the probe batch whose
    /// images become the node matrices' columns (pass it to <see cref="Capture(HookedModel, Tensor, IEnumerable{string}?)"/>).</summary>
    public static Tensor ProbeBatch(ImageDataset data, int samples = DefaultProbeSamples)
    {
        if (data is null) throw new SelfSimException("NodeMatrix.ProbeBatch: the dataset is null.");
        if (samples < 2 || samples > data.Count)
            throw new SelfSimException($"NodeMatrix.ProbeBatch: asked for {samples} probe images from {data}; pick between 2 and {data.Count}.");
        using var raw = data.Images.narrow(0, 0, samples);
        return data.Normalize(raw);
    }

    /// <summary><see cref="Capture(HookedModel, Tensor, IEnumerable{string}?)"/> on the first <paramref name="samples"/>
    /// images of <paramref name="data"/> (normalised; default <see cref="DefaultProbeSamples"/>).</summary>
    public static IReadOnlyList<NodeMatrix> Capture(HookedModel model, ImageDataset data, int samples = DefaultProbeSamples,
        IEnumerable<string>? layers = null)
    {
        using var probe = ProbeBatch(data, samples);
        return Capture(model, probe, layers);
    }

    /// <summary>
    /// The one probe-capture entry point: runs <paramref name="probe"/> through <paramref name="model"/> once (eval
    /// mode, no gradients; the model's mode is restored) and returns each hooked layer's node matrix [C, B] on the CPU,
    /// in the model's precision, named by its layer (default: every hook point). Dispose them when done.
    /// </summary>
    public static IReadOnlyList<NodeMatrix> Capture(HookedModel model, Tensor probe, IEnumerable<string>? layers = null)
    {
        if (model is null) throw new SelfSimException("NodeMatrix.Capture: the model is null.");
        if (probe is null) throw new SelfSimException("NodeMatrix.Capture: the probe batch is null. Pass the inputs whose samples become the columns.");
        var names = (layers ?? model.HookPoints).ToList();
        bool wasTraining = model.training;
        var device = model.parameters().FirstOrDefault()?.device ?? CPU;
        var result = new List<NodeMatrix>();
        using var capture = FeatureCapture.Attach(model, names);
        model.eval();
        try
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            model.call(probe.to(device));
            foreach (var name in names)
            {
                var t = capture[name].detach().cpu().contiguous().clone().MoveToOuterDisposeScope();
                result.Add(new NodeMatrix(name, t));
            }
        }
        finally
        {
            if (wasTraining) model.train();
        }
        return result;
    }

    /// <summary>A node matrix from a layer output ([B, C], [B, T, C] or [B, C, H, W]), reduced by
    /// <see cref="NodeFeatures.Reduce"/> to [C, B].</summary>
    public static NodeMatrix FromLayerOutput(string name, Tensor layerOutput, LayerLayout layout = LayerLayout.Auto) =>
        new NodeMatrix(name, NodeFeatures.Reduce(layerOutput, layout));

    /// <summary>
    /// Reads a .npy (float32 or float64) or .csv feature file. float64 .npy and text files load as float64, float32
    /// .npy as float32, so the box cover and the fits work in the file's precision. Rows are nodes unless
    /// <paramref name="samplesInRows"/>.
    /// </summary>
    public static NodeMatrix Load(string path, bool samplesInRows = false, CsvHeaderMode header = CsvHeaderMode.Auto)
    {
        var (data, rows, cols) = FeatureFile.ReadDouble(path, header);
        // float32 stays float32; float64 and integer arrays (int64 holds more digits than float32) load as float64
        bool single = Path.GetExtension(path).Equals(".npy", StringComparison.OrdinalIgnoreCase) && NpyFile.DType(path) is [_, 'f', '4'];
        var t = single
            ? tensor(data.Select(v => (float)v).ToArray(), new long[] { rows, cols })
            : tensor(data, new long[] { rows, cols });
        return FromTensor(Path.GetFileName(path), t, samplesInRows);
    }

    /// <summary>"float32" or "float64".</summary>
    public string Precision => Features.dtype == ScalarType.Float64 ? "float64" : "float32";

    /// <summary>The n×n float64 distances ‖x_i − x_j‖/√d (computed once; the diagonal is 0).</summary>
    public Tensor Distances => _distances ??= PairDistances.UpperCpuTensor(Features, mirror: true);

    /// <summary><see cref="Distances"/> as a row-major array (what the feature graphs take).</summary>
    public double[] DistanceArray() => _distanceArray ??= Distances.data<double>().ToArray();

    /// <summary>The threshold graph: an edge where d(i, j) &lt; l. Every node is kept, isolated or not.</summary>
    public CsrGraph ThresholdGraph(double l) => FeatureGraphs.Threshold(DistanceArray(), Nodes, l);

    /// <summary>The threshold graph holding the given fraction of all node pairs as edges (the scale l is the
    /// matching quantile of the pair distances).</summary>
    public (CsrGraph Graph, double Scale) ThresholdGraphAtPairFraction(double fraction)
    {
        double l = FeatureGraphs.ScaleAtPairFraction(DistanceArray(), Nodes, fraction);
        return (ThresholdGraph(l), l);
    }

    /// <summary>The k-nearest-neighbour graph (see <see cref="FeatureGraphs.KNearest(double[], int, int, bool)"/>).</summary>
    public CsrGraph KNearestGraph(int k, bool mutual = false) => FeatureGraphs.KNearest(DistanceArray(), Nodes, k, mutual);

    public void Dispose()
    {
        _distances?.Dispose();
        Features.Dispose();
    }

    public override string ToString() => $"{Name}: {Nodes} nodes × {Samples} samples ({Precision})";
}

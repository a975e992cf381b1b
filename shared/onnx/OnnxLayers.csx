#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Onnx;

// Which tensors of an ONNX graph are layers: every float node output with a batch axis is a candidate; "auto" picks the
// output of each residual block (the Add that closes it, or the activation right after it) or, in a network without
// residual Adds, the last activation of each stage, as timm's forward_intermediates picks block outputs.

/// <summary>A tensor of the graph that can be measured: its readable <see cref="Name"/> (the PyTorch module path
/// recovered from the ONNX node name, e.g. "layer1.0" for a block or "layer1.0.relu_1/Relu" for one node), the ONNX
/// tensor and node, the op, its position in graph order and its shape for the shape-probe batch.</summary>
public sealed record OnnxLayer(string Name, string Tensor, string Node, string Op, int Order, long[] Shape, bool IsBlock = false)
{
    /// <summary>E.g. "[N, 64, 8, 8]" (N: the batch axis).</summary>
    public string ShapeText => "[" + string.Join(", ", Shape.Select((d, i) => i == 0 ? "N" : d.ToString())) + "]";
}

/// <summary>Finds the candidate layers of an <see cref="OnnxModel"/>, picks the blocks (<see cref="Auto"/>) and resolves
/// names a user gives, with the nearest names when one does not exist.</summary>
public static class OnnxLayers
{
    /// <summary>The layer list that means "the output of each block or stage".</summary>
    public const string Auto = "auto";

    static readonly HashSet<string> Activations = new(StringComparer.Ordinal)
    {
        "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu", "Gelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
        "Softplus", "Mish", "Clip",
    };

    /// <summary>
    /// The PyTorch module path in an exporter's node name: "/layer1/layer1.0/relu_1/Relu" → "layer1.0.relu_1" (the last
    /// segment names the op and is dropped; a segment that repeats its parent's path, as "layer1.0" under "layer1", replaces it).
    /// </summary>
    public static string ModulePath(string nodeName)
    {
        var parts = nodeName.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string path = "";
        for (int i = 0; i < parts.Length - 1; i++)
            path = path.Length == 0 || parts[i].StartsWith(path + ".", StringComparison.Ordinal) ? parts[i] : path + "." + parts[i];
        return path;
    }

    /// <summary>
    /// Every float node output that depends on the input and has a batch axis, in graph order, with its shape, found by one
    /// run of the model that returns them all on <paramref name="sample"/> (a probe batch) or, when none is given, on zeros
    /// (two samples, or the model's fixed batch). The batch's per-sample shape must be known: give a sample when the input
    /// has free dimensions other than the batch.
    /// </summary>
    public static IReadOnlyList<OnnxLayer> Candidates(OnnxModel model, Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>? sample = null)
    {
        var input = model.Input;
        if (input.DType != "float32")
            throw new SelfSimException($"{model.Path}: the input {input} is not float32; analysis feeds float32 probes. Export the model in float32.");
        if (sample is null)
        {
            if (input.Shape.Skip(1).Any(d => d < 0))
                throw new SelfSimException($"{model.Path}: the input {input} has free dimensions besides the batch; give a probe so its shape fixes them.");
            var dims = input.Shape.Select(d => (int)d).ToArray();
            dims[0] = (int)(input.FixedBatch ?? 2);
            sample = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(dims);
        }
        long batch = sample.Dimensions[0];
        var dynamicTensors = new HashSet<string>(StringComparer.Ordinal) { input.Name };
        var outputs = new List<(NodeProto Node, string Tensor, int Order)>();
        for (int i = 0; i < model.Nodes.Count; i++)
        {
            var n = model.Nodes[i];
            if (!n.Input.Any(dynamicTensors.Contains)) continue;
            foreach (var o in n.Output.Where(o => o.Length > 0)) { dynamicTensors.Add(o); outputs.Add((n, o, i)); }
        }
        using var session = model.Session(outputs.Select(o => o.Tensor));
        var floats = outputs.Where(o => session.OutputMetadata.TryGetValue(o.Tensor, out var m) && m.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float).ToList();
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        using (var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(input.Name, sample) }, floats.Select(o => o.Tensor).ToList()))
            foreach (var r in results)
                if (r.Value is Microsoft.ML.OnnxRuntime.Tensors.Tensor<float> t) shapes[r.Name] = t.Dimensions.ToArray().Select(d => (long)d).ToArray();
        var layers = new List<OnnxLayer>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, tensor, order) in floats)
        {
            if (!shapes.TryGetValue(tensor, out var shape) || shape.Length < 2 || shape[0] != batch) continue;
            layers.Add(new OnnxLayer(UniqueName(ReadableName(node, tensor), tensor, used), tensor, node.Name, node.OpType, order, shape));
        }
        return layers;
    }

    static string ReadableName(NodeProto node, string tensor)
    {
        if (string.IsNullOrEmpty(node.Name)) return tensor;
        var path = ModulePath(node.Name);
        var op = node.Name.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? node.OpType;
        var name = path.Length == 0 ? op : path + "/" + op;
        int k = node.Output.IndexOf(tensor);
        return node.Output.Count > 1 && k > 0 ? $"{name}:{k}" : name;
    }

    static string UniqueName(string name, string tensor, HashSet<string> used) =>
        used.Add(name) ? name : used.Add(name + "@" + tensor) ? name + "@" + tensor : throw new SelfSimException($"two layers are named {name}@{tensor}.");

    /// <summary>
    /// The output of each block, in graph order: a residual block closes with an Add of two activations of one shape
    /// (a bias Add has a weight for an input, LayerNorm's ε Add a constant); the block's output is that Add's, or the
    /// activation's when the Add feeds only an activation (ResNet's add-then-ReLU). Of the residual Adds of one module
    /// (a transformer block has two) the last closes it; the block is named by the module's path. A network without
    /// residual Adds gets the last activation of each stage (before the spatial shape changes, and the last one).
    /// </summary>
    public static IReadOnlyList<OnnxLayer> Blocks(OnnxModel model, IReadOnlyList<OnnxLayer> candidates)
    {
        var byTensor = candidates.ToDictionary(c => c.Tensor, StringComparer.Ordinal);
        var consumers = new Dictionary<string, List<NodeProto>>(StringComparer.Ordinal);
        foreach (var n in model.Nodes)
            foreach (var i in n.Input)
                (consumers.TryGetValue(i, out var l) ? l : consumers[i] = new List<NodeProto>()).Add(n);
        var blocks = new List<OnnxLayer>();
        var residual = candidates.Where(c => c.Op is "Add" or "Sum" && IsResidual(model, c, byTensor)).ToList();
        foreach (var group in residual.GroupBy(c => ModulePath(c.Node)))
        {
            var last = group.OrderBy(c => c.Order).Last();
            var output = last;
            if (consumers.TryGetValue(last.Tensor, out var next) && next.Count == 1 && Activations.Contains(next[0].OpType)
                && byTensor.TryGetValue(next[0].Output[0], out var act))
                output = act;
            var name = group.Key.Length > 0 ? group.Key : last.Name;
            blocks.Add(output with { Name = name, IsBlock = true });
        }
        if (blocks.Count == 0)
        {
            var acts = candidates.Where(c => Activations.Contains(c.Op)).OrderBy(c => c.Order).ToList();
            for (int i = 0; i < acts.Count; i++)
                if (i == acts.Count - 1 || !acts[i].Shape.Skip(2).SequenceEqual(acts[i + 1].Shape.Skip(2)))
                {
                    var path = ModulePath(acts[i].Node);
                    blocks.Add(acts[i] with { Name = path.Length > 0 && blocks.All(b => b.Name != path) ? path : acts[i].Name, IsBlock = true });
                }
        }
        var unique = new HashSet<string>(StringComparer.Ordinal);
        return blocks.OrderBy(b => b.Order).Select(b => unique.Add(b.Name) ? b : b with { Name = b.Name + "@" + b.Tensor }).ToList();
    }

    static bool IsResidual(OnnxModel model, OnnxLayer add, Dictionary<string, OnnxLayer> byTensor)
    {
        var node = model.Nodes[add.Order];
        if (node.Input.Count != 2 || node.Input.Any(model.Constants.Contains)) return false;
        return byTensor.TryGetValue(node.Input[0], out var a) && byTensor.TryGetValue(node.Input[1], out var b)
               && a.Shape.SequenceEqual(b.Shape) && a.Shape.SequenceEqual(add.Shape);
    }

    /// <summary>
    /// The layers <paramref name="spec"/> names: "auto" (<see cref="Blocks"/>) or a comma-separated list of names — a block's
    /// name, a candidate's readable name, or an ONNX tensor or node name. An unknown name is refused with the nearest names.
    /// </summary>
    public static IReadOnlyList<OnnxLayer> Select(OnnxModel model, IReadOnlyList<OnnxLayer> candidates, string? spec)
    {
        var blocks = Blocks(model, candidates);
        if (string.IsNullOrWhiteSpace(spec) || spec.Trim() == Auto)
            return blocks.Count > 0 ? blocks
                : throw new SelfSimException($"{model.Path}: no residual blocks or activations were found to pick automatically; " +
                                             "name the layers with --layers NAME,... (--list-layers prints them).");
        var known = new Dictionary<string, OnnxLayer>(StringComparer.Ordinal);
        foreach (var c in candidates) { known.TryAdd(c.Name, c); known.TryAdd(c.Tensor, c); if (c.Node.Length > 0) known.TryAdd(c.Node, c); }
        foreach (var b in blocks) known[b.Name] = b;
        var chosen = new List<OnnxLayer>();
        foreach (var name in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!known.TryGetValue(name, out var layer))
                throw new SelfSimException($"{System.IO.Path.GetFileName(model.Path)} has no layer '{name}'; nearest: " +
                                           string.Join(", ", Nearest(name, blocks.Select(b => b.Name).Concat(candidates.Select(c => c.Name)).Distinct())) +
                                           ". --list-layers prints every candidate.");
            chosen.Add(layer.Name == name || layer.IsBlock ? layer : layer with { Name = name == layer.Tensor || name == layer.Node ? layer.Name : name });
        }
        return chosen;
    }

    /// <summary>The <paramref name="count"/> names closest to <paramref name="name"/> by edit distance (Levenshtein 1966),
    /// names that contain it first.</summary>
    public static IReadOnlyList<string> Nearest(string name, IEnumerable<string> names, int count = 5) =>
        names.OrderBy(n => n.Contains(name, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
             .ThenBy(n => EditDistance(name, n)).ThenBy(n => n, StringComparer.Ordinal).Take(count).ToList();

    /// <summary>The Levenshtein distance: insertions, deletions and substitutions that turn a into b.</summary>
    public static int EditDistance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

// An ONNX model (https://onnx.ai/onnx/repo-docs/IR.html) read with OnnxSharp's generated ONNX schema and run by ONNX Runtime:
// intermediate tensors become readable by listing them as extra graph outputs.

/// <summary>The one tensor input of a model: its name, its shape (-1 where the dimension is free, e.g. a dynamic
/// batch), the names of the free dimensions, and its element type ("float32", "float16", "int64", ...).</summary>
public sealed record OnnxInput(string Name, long[] Shape, string?[] DimNames, string DType)
{
    /// <summary>E.g. "input [batch, 3, 32, 32] float32".</summary>
    public override string ToString() =>
        $"{Name} [{string.Join(", ", Shape.Select((d, i) => d >= 0 ? d.ToString() : DimNames[i] ?? "?"))}] {DType}";

    /// <summary>The batch size the model fixes (its first dimension), or null when the batch is free.</summary>
    public long? FixedBatch => Shape.Length > 0 && Shape[0] > 0 ? Shape[0] : null;
}

/// <summary>
/// An ONNX file, parsed and checked: one input (<see cref="Input"/>), its nodes in graph order, and sessions of ONNX
/// Runtime that also return chosen intermediate tensors (<see cref="Session"/>). On the CPU; with the CUDA provider
/// where ONNX Runtime offers it. A file that is not ONNX, is truncated, or has more than one input is refused in one line.
/// </summary>
public sealed class OnnxModel
{
    /// <summary>The file it was read from.</summary>
    public string Path { get; }
    /// <summary>The parsed model (do not edit: <see cref="Session"/> works on a copy).</summary>
    public ModelProto Proto { get; }
    /// <summary>The model's one input.</summary>
    public OnnxInput Input { get; }
    /// <summary>The model's own outputs (e.g. the logits).</summary>
    public IReadOnlyList<string> Outputs { get; }
    /// <summary>The nodes in graph order (ONNX stores them topologically sorted).</summary>
    public IReadOnlyList<NodeProto> Nodes { get; }
    /// <summary>Names of the weights (initializers) and of Constant nodes' outputs.</summary>
    public IReadOnlySet<string> Constants { get; }

    OnnxModel(string path, ModelProto proto, OnnxInput input)
    {
        Path = path; Proto = proto; Input = input;
        Outputs = proto.Graph.Output.Select(o => o.Name).ToList();
        Nodes = proto.Graph.Node.ToList();
        var c = new HashSet<string>(proto.Graph.Initializer.Select(i => i.Name), StringComparer.Ordinal);
        foreach (var n in Nodes.Where(n => n.OpType == "Constant")) foreach (var o in n.Output) c.Add(o);
        Constants = c;
    }

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    public static OnnxModel Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new SelfSimException("No ONNX model given. Pass the path of a .onnx file.");
        if (!File.Exists(path)) throw new FileNotFoundException($"No ONNX model at '{path}'. Check the path.", path);
        ModelProto proto;
        string NotOnnx(string why) => $"'{path}' is not a readable ONNX model ({why}): it is truncated or another format. " +
                                      "Export it again, e.g. torch.onnx.export(model, example_input, \"model.onnx\").";
        try { proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)); }
        catch (InvalidProtocolBufferException e) { throw new SelfSimException(NotOnnx(e.Message.TrimEnd('.'))); }
        if (proto.IrVersion <= 0 || proto.Graph is null || proto.Graph.Node.Count == 0)
            throw new SelfSimException(NotOnnx(proto.Graph is null || proto.Graph.Node.Count == 0 ? "no graph nodes" : "no IR version"));
        var weights = proto.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = proto.Graph.Input.Where(i => !weights.Contains(i.Name)).ToList();
        if (inputs.Count != 1)
            throw new SelfSimException($"'{path}' has {inputs.Count} inputs ({(inputs.Count == 0 ? "none" : string.Join("; ", inputs.Select(Describe)))}); " +
                                       "analysis feeds one probe tensor: export a model with one input (fix the others as constants).");
        var input = Describe(inputs[0]);
        return new OnnxModel(path, proto, input);
    }

    static OnnxInput Describe(ValueInfoProto v)
    {
        var t = v.Type?.TensorType;
        var dims = t?.Shape?.Dim.ToList() ?? new List<TensorShapeProto.Types.Dimension>();
        var shape = dims.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > 0 ? d.DimValue : -1L).ToArray();
        var names = dims.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : null).ToArray();
        return new OnnxInput(v.Name, shape, names, t is null ? "not a tensor" : DTypeName(t.ElemType));
    }

    /// <summary>ONNX's TensorProto.DataType code as a NumPy-style name.</summary>
    public static string DTypeName(int code) => code switch
    {
        1 => "float32",
        2 => "uint8",
        3 => "int8",
        4 => "uint16",
        5 => "int16",
        6 => "int32",
        7 => "int64",
        8 => "string",
        9 => "bool",
        10 => "float16",
        11 => "float64",
        12 => "uint32",
        13 => "uint64",
        16 => "bfloat16",
        _ => $"type {code}",
    };

    /// <summary>A copy of the model that also outputs <paramref name="tensors"/> (names of node outputs), serialised.
    /// The extra outputs carry no type: ONNX Runtime infers it.</summary>
    public byte[] WithOutputs(IEnumerable<string> tensors)
    {
        var copy = Proto.Clone();
        var have = copy.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var t in tensors)
            if (have.Add(t)) copy.Graph.Output.Add(new ValueInfoProto { Name = t });
        return copy.ToByteArray();
    }

    /// <summary>Whether ONNX Runtime offers the CUDA provider here (the GPU package on a machine with a GPU).</summary>
    public static bool CudaAvailable => OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider");

    /// <summary>A session of the model that also returns <paramref name="tensors"/>; CUDA where present, else the CPU.
    /// <see cref="Provider"/> names the one used.</summary>
    public InferenceSession Session(IEnumerable<string> tensors)
    {
        OnnxNativeLoader.EnsureLoadable();
        var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        Provider = "CPU";
        if (CudaAvailable)
        {
            try { options.AppendExecutionProvider_CUDA(0); Provider = "CUDA"; }
            catch (OnnxRuntimeException) { Provider = "CPU (the CUDA provider did not start)"; }
        }
        try { return new InferenceSession(WithOutputs(tensors), options); }
        catch (OnnxRuntimeException e)
        {
            throw new SelfSimException($"ONNX Runtime cannot load '{Path}': {e.Message.Split('\n')[0].Trim()}. " +
                                       "Check the opset (ONNX Runtime 1.32 reads opsets 7-23) or export it again.");
        }
    }

    /// <summary>The execution provider of the last <see cref="Session"/>: "CPU" or "CUDA".</summary>
    public string Provider { get; private set; } = "CPU";

    public override string ToString() => $"{System.IO.Path.GetFileName(Path)}: {Nodes.Count} nodes, input {Input}";
}

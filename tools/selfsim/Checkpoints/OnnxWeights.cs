using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Onnx;
using static TorchSharp.torch;

namespace SelfSim.Cli;

/// <summary>
/// The weights of an ONNX model: its graph's initializers, read with OnnxSharp 0.3.2's <see cref="ModelProto"/> (the
/// protobuf classes of onnx.proto). Floating-point initializers (float32, float64, float16) become tensors by name; integer
/// ones (shapes, indices) are skipped. Weights stored outside the file (external data) are refused.
/// </summary>
public static class OnnxWeights
{
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new SelfSimException($"ONNX model {path} does not exist. Pass the path of a .onnx file.");
        ModelProto model;
        try { model = ModelProto.Parser.ParseFromFile(path); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new SelfSimException($"{path} is not an ONNX model ({e.GetType().Name}: {e.Message}). Export one with torch.onnx.export.");
        }
        var result = new Dictionary<string, Tensor>();
        foreach (var t in model.Graph?.Initializer ?? Enumerable.Empty<TensorProto>())
        {
            if (t.DataLocation == TensorProto.Types.DataLocation.External)
                throw new SelfSimException($"{path}: initializer {t.Name} keeps its data in an external file; save the model with its weights inside (onnx.save(model, path, save_as_external_data=False)).");
            var dims = t.Dims.ToArray();
            var raw = t.RawData.Span;
            Tensor? x = (TensorProto.Types.DataType)t.DataType switch
            {
                TensorProto.Types.DataType.Float => tensor(raw.Length > 0 ? MemoryMarshal.Cast<byte, float>(raw).ToArray() : t.FloatData.ToArray(), dims),
                TensorProto.Types.DataType.Double => tensor(raw.Length > 0 ? MemoryMarshal.Cast<byte, double>(raw).ToArray() : t.DoubleData.ToArray(), dims),
                TensorProto.Types.DataType.Float16 => tensor((raw.Length > 0 ? MemoryMarshal.Cast<byte, Half>(raw).ToArray()
                    : t.Int32Data.Select(v => BitConverter.UInt16BitsToHalf((ushort)v)).ToArray()).Select(h => (float)h).ToArray(), dims),
                _ => null,
            };
            if (x is not null) result[t.Name] = x;
        }
        if (result.Count == 0) throw new SelfSimException($"{path} holds no floating-point initializers: nothing has a weight spectrum.");
        return result;
    }
}

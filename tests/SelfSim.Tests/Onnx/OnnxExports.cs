using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace SelfSim.Tests.Onnx;

/// <summary>
/// The models of tests/python/onnx_models.py, exported once per test class into a temp folder by Debian's python3-torch
/// and torchvision (random seeded weights): a torchvision ResNet-18 and a 2-block torchvision VisionTransformer on
/// 3×32×32, each with a 16-sample probe and PyTorch's forward-hook output of every block after the spatial or token mean.
/// </summary>
public sealed class OnnxExports : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("selfsim-onnx-").FullName;
    /// <summary>Per model, the block names PyTorch hooked (module paths), in order.</summary>
    public IReadOnlyDictionary<string, string[]> Blocks { get; }

    public OnnxExports()
    {
        var json = PythonScript.Run("onnx_models.py", Dir);
        Blocks = JsonSerializer.Deserialize<Dictionary<string, string[]>>(json.Trim().Split('\n').Last())!;
    }

    public string Model(string name) => Path.Combine(Dir, name + ".onnx");
    public string Probe(string name) => Path.Combine(Dir, name + "-probe.npy");
    /// <summary>PyTorch's hook output of one block after the mean, [samples, channels] float32.</summary>
    public string Hook(string name, string block) => Path.Combine(Dir, $"{name}-{block}.npy");

    public void Dispose() { try { Directory.Delete(Dir, true); } catch { } }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SelfSim.Cli;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Models;

/// <summary>
/// PyTorch → C# weights: tests/python/make_weights.py builds small timm-layout twins of the four paper models in PyTorch,
/// saves their state dicts (.pt and .safetensors) and their output on a fixed input; the C# models load the files
/// and must reproduce that output.
/// </summary>
[Collection(SelfSim.Tests.Training.TorchRngCollection.Name)]
public class StateDictLoaderTests : IClassFixture<StateDictLoaderTests.Files>
{
    public sealed class Files : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("selfsim-weights-").FullName;
        public Files() => PythonScript.Run("make_weights.py", Dir);
        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    readonly Files files;
    readonly Xunit.Abstractions.ITestOutputHelper output;
    public StateDictLoaderTests(Files files, Xunit.Abstractions.ITestOutputHelper output) { this.files = files; this.output = output; }

    /// <summary>The same sizes as make_weights.py's SMALL table.</summary>
    public static HookedModel Small(string name) => name switch
    {
        "vit" => new VisionTransformer(new VitConfig(Patch: 4, Dim: 32, Depth: 2, Heads: 4), 3, 16, 5),
        "resmlp" => new ResMlp(new ResMlpConfig(Patch: 4, Dim: 24, Depth: 2), 3, 16, 5),
        "mixer" => new MlpMixer(new MixerConfig(Patch: 4, Dim: 32, Depth: 2, TokenHidden: 16, ChannelHidden: 64), 3, 16, 5),
        "poolformer" => new PoolFormer(new PoolFormerConfig(new[] { 1, 1, 2, 1 }, new[] { 8, 16, 24, 32 }, 3, 2, 1), 3, 5),
        _ => throw new ArgumentException(name),
    };

    static long[] InputShape(string name) => name == "poolformer" ? new long[] { 3, 3, 32, 32 } : new long[] { 3, 3, 16, 16 };

    public static IEnumerable<object[]> Cases() =>
        new[] { "vit", "resmlp", "mixer", "poolformer" }.SelectMany(n => new[] { new object[] { n, "pt" }, new object[] { n, "safetensors" } });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loaded_model_reproduces_pytorchs_output(string name, string format)
    {
        using var model = Small(name);
        int copied = CheckpointFile.LoadInto(model, Path.Combine(files.Dir, $"{name}.{format}"));
        Assert.Equal(model.state_dict().Count, copied);
        model.eval();
        var (x, _, _) = NpyFile.Read(Path.Combine(files.Dir, $"{name}.input.npy"));
        var (expected, rows, cols) = NpyFile.Read(Path.Combine(files.Dir, $"{name}.output.npy"));
        using var input = tensor(x).reshape(InputShape(name));
        using var _ = no_grad();
        using var y = model.call(input);
        Assert.Equal(new long[] { rows, cols }, y.shape);
        var got = y.data<float>().ToArray();
        double maxErr = got.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        output.WriteLine($"{name}.{format}: max |C# - PyTorch| = {maxErr:E2}");
        Assert.True(maxErr < 1e-5, $"{name}.{format}: max |C# − PyTorch| = {maxErr:E2}");
        Assert.True(expected.Max(Math.Abs) > 0.1, "the reference output is too small to tell models apart");
    }

    [Fact]
    public void Feature_capture_works_on_a_loaded_model()
    {
        using var model = Small("vit");
        CheckpointFile.LoadInto(model, Path.Combine(files.Dir, "vit.safetensors"));
        torch.manual_seed(3);
        using var probe = randn(24, 3, 16, 16);
        var layers = LayerMeasures.Survey(model, probe);
        Assert.Equal(model.HookPoints, layers.Select(l => l.Layer));
        Assert.All(layers, l => Assert.Equal(32, l.Nodes));
        Assert.All(layers, l => Assert.InRange(l.S, 0.0, 1.0));
    }

    [Fact]
    public void Mismatched_checkpoint_names_missing_unexpected_and_misshaped_keys()
    {
        using var model = Small("mixer");
        var state = CheckpointFile.Read(Path.Combine(files.Dir, "mixer.pt"));
        state.Remove("blocks.1.mlp_tokens.fc2.bias");
        state["blocks.0.token_mix.weight"] = zeros(3);
        state["head.weight"] = zeros(7, 32);
        var e = Assert.Throws<SelfSimException>(() => StateDictLoader.Load(model, state, "mixer.pt"));
        Assert.Contains("missing from the checkpoint: blocks.1.mlp_tokens.fc2.bias", e.Message);
        Assert.Contains("not in the model: blocks.0.token_mix.weight", e.Message);
        Assert.Contains("head.weight (checkpoint [7, 32], model [5, 32])", e.Message);

        // A wrong architecture is caught the same way, before any weight is overwritten.
        using var vit = Small("vit");
        var before = vit.state_dict()["head.bias"].clone();
        Assert.Throws<SelfSimException>(() => CheckpointFile.LoadInto(vit, Path.Combine(files.Dir, "mixer.safetensors")));
        Assert.True(before.eq(vit.state_dict()["head.bias"]).all().item<bool>());
    }

    [Fact]
    public void Data_parallel_prefix_is_stripped()
    {
        using var model = Small("resmlp");
        var state = CheckpointFile.Read(Path.Combine(files.Dir, "resmlp.pt")).ToDictionary(kv => "module." + kv.Key, kv => kv.Value);
        Assert.Equal(model.state_dict().Count, StateDictLoader.Load(model, state, "ddp"));
    }
}

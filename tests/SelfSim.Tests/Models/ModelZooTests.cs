using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Models;

public class ModelZooTests
{
    public static IEnumerable<object[]> CpuModels() =>
        ModelZoo.Names.SelectMany(n => new[] { new object[] { n, 1, 28 }, new object[] { n, 3, 32 } });

    [Theory]
    [MemberData(nameof(CpuModels))]
    public void Cpu_scale_model_takes_a_training_step_with_every_hook_point_firing(string name, int channels, int size)
    {
        torch.manual_seed(1);
        using var model = ModelZoo.Create(name, ModelScale.Cpu, channels, size, 10);
        Assert.Equal(name, model.Architecture);
        Assert.True(model.HookPoints.Count >= 3, $"{name} has only {model.HookPoints.Count} hook points");
        Assert.Equal(model.HookPoints.Count, model.HookPoints.Distinct().Count());

        var captured = new Dictionary<string, Tensor>();
        var removers = new List<Action>();
        foreach (var h in model.HookPoints)
        {
            var m = Assert.IsAssignableFrom<nn.Module<Tensor, Tensor>>(model.HookModule(h));
            var r = m.register_forward_hook((_, _, y) => { captured[h] = y; return null!; });
            removers.Add(r.remove);
        }
        var opt = optim.AdamW(model.parameters(), 1e-3);
        using var x = rand(6, channels, size, size);
        using var y = tensor(new long[] { 0, 1, 2, 3, 4, 5 });
        var logits = model.call(x);
        Assert.Equal(new long[] { 6, 10 }, logits.shape);
        var loss = nn.functional.cross_entropy(logits, y);
        double before = loss.item<float>();
        Assert.True(double.IsFinite(before));
        Assert.InRange(before, 0.5, 10); // ~ln 10 at initialization

        Assert.Equal(model.HookPoints.OrderBy(s => s), captured.Keys.OrderBy(s => s));
        foreach (var (h, t) in captured)
        {
            Assert.Equal(6, t.shape[0]);
            Assert.True(t.requires_grad, $"{name}/{h}: the hooked output must be in the graph");
            using var nodes = NodeFeatures.Reduce(t);
            Assert.Equal(2, nodes.dim());
            Assert.Equal(6, nodes.shape[1]); // [C, B]
            Assert.True(nodes.shape[0] >= 8, $"{name}/{h}: only {nodes.shape[0]} nodes");
        }
        opt.zero_grad();
        loss.backward();
        opt.step();
        Assert.True(model.parameters().All(p => p.grad is null || p.grad.isfinite().all().item<bool>()));
        foreach (var r in removers) r();
        opt.Dispose();
    }

    [Theory]
    [MemberData(nameof(CpuModels))]
    public void Normalization_layers_start_as_identity(string name, int channels, int size)
    {
        using var model = ModelZoo.Create(name, ModelScale.Cpu, channels, size, 10);
        int checkedNorms = 0;
        foreach (var (path, m) in model.named_modules())
        {
            if (m is not (TorchSharp.Modules.LayerNorm or TorchSharp.Modules.GroupNorm or TorchSharp.Modules.BatchNorm2d)) continue;
            foreach (var (pn, p) in m.named_parameters())
                Assert.True(p.eq(pn == "weight" ? 1f : 0f).all().item<bool>(), $"{name}: {path}.{pn} does not start at {(pn == "weight" ? 1 : 0)}");
            checkedNorms++;
        }
        if (name is not ("resmlp" or "mlp")) Assert.True(checkedNorms > 0, $"{name} has no normalization layer to check");
    }

    [Fact]
    public void Residual_mlp_matches_the_reference_layout()
    {
        using var model = ModelZoo.Create("mlp", ModelScale.Paper, 3, 32, 10);
        // stem 3072x512 + 5 blocks (512x2048 + 2048 + 2048x512 + 512, no norm) + head 512x10 + 10
        long expected = 3072L * 512 + 512 + 5 * (512 * 2048 + 2048 + 2048 * 512 + 512) + 512 * 10 + 10;
        Assert.Equal(expected, model.ParameterCount());
        Assert.Equal(new[] { "stem", "blocks.0", "blocks.1", "blocks.2", "blocks.3", "blocks.4" }, model.HookPoints);
    }

    [Fact]
    public void Paper_scale_vit_is_vit_small_16()
    {
        using var model = ModelZoo.Create("vit", ModelScale.Paper, 3, 224, 10);
        // timm vit_small_patch16_224 with 10 classes has 21,669,514 parameters.
        Assert.Equal(21_669_514, model.ParameterCount());
        Assert.Equal(12, model.HookPoints.Count);
    }

    [Fact]
    public void Unknown_model_and_bad_patch_size_name_the_fix()
    {
        var e = Assert.Throws<SelfSimException>(() => ModelZoo.Create("alexnet", ModelScale.Cpu, 1, 28, 10));
        Assert.Contains("mlp", e.Message);
        var p = Assert.Throws<SelfSimException>(() => ModelZoo.Create("vit", ModelScale.Paper, 3, 32 + 8, 10));
        Assert.Contains("multiple of the patch size 16", p.Message);
    }
}

using System.Linq;
using TorchSharp;
using Xunit;

namespace SelfSim.Tests.Training;

/// <summary>The paper-scale models reproduce timm's parameter layout: exact counts and names.</summary>
public class TimmLayoutTests
{
    // Exact counts of timm's vit_small_patch16_224, resmlp_12_224, mixer_b16_224 and poolformer_s12 (3-channel 224-px input),
    // counted with tests/python/timm_layout.py (PyTorch twins built to timm's source, commit aa4b5850 of huggingface/pytorch-image-models).
    // At 1000 classes they equal timm's published sizes: 22.05 M, 15.35 M, 59.88 M, 11.92 M.
    [Theory]
    [InlineData("vit", 1000, 22_050_664)]
    [InlineData("resmlp", 1000, 15_350_872)]
    [InlineData("mixer", 1000, 59_880_472)]
    [InlineData("poolformer", 1000, 11_915_176)]
    [InlineData("vit", 10, 21_669_514)]
    [InlineData("resmlp", 10, 14_969_722)]
    [InlineData("mixer", 10, 59_119_162)]
    [InlineData("poolformer", 10, 11_407_306)]
    public void Paper_scale_parameter_count_equals_timm(string name, int classes, long expected)
    {
        using var model = ModelZoo.Create(name, ModelScale.Paper, 3, 224, classes);
        Assert.Equal(expected, model.ParameterCount());
        // The head's share is (features + 1) * classes, so the 1000- and 10-class counts differ by exactly 990 * (features + 1).
        Assert.NotNull(ModelZoo.TimmName(name));
    }

    [Theory]
    [InlineData("vit", "cls_token", "pos_embed", "patch_embed.proj.weight", "blocks.11.attn.qkv.weight", "blocks.0.mlp.fc2.bias", "norm.weight", "head.weight")]
    [InlineData("resmlp", "stem.proj.weight", "blocks.0.norm1.alpha", "blocks.0.linear_tokens.weight", "blocks.11.mlp_channels.fc1.weight", "blocks.0.ls1", "norm.beta", "head.bias")]
    [InlineData("mixer", "stem.proj.weight", "blocks.0.norm1.weight", "blocks.0.mlp_tokens.fc1.weight", "blocks.11.mlp_channels.fc2.bias", "norm.weight", "head.weight")]
    [InlineData("poolformer", "stem.conv.weight", "stages.1.downsample.conv.weight", "stages.2.blocks.5.layer_scale1.scale", "stages.0.blocks.0.mlp.fc1.weight", "stages.3.blocks.1.norm2.bias", "head.norm.weight", "head.fc.weight")]
    public void Paper_scale_parameter_names_are_timms(string name, params string[] keys)
    {
        using var model = ModelZoo.Create(name, ModelScale.Paper, 3, 224, 1000);
        var names = model.state_dict().Keys.ToHashSet();
        foreach (var k in keys) Assert.True(names.Contains(k), $"{name} lacks timm key {k}; it has e.g. {string.Join(", ", names.Take(8))}");
        Assert.DoesNotContain("stages.0.downsample.conv.weight", names); // timm uses identity when the width does not change
    }

    [Fact]
    public void Poolformer_hooks_name_each_block_of_each_stage()
    {
        using var model = ModelZoo.Create("poolformer", ModelScale.Paper, 3, 224, 10);
        Assert.Equal(12, model.HookPoints.Count);
        Assert.Equal("stages.0.blocks.0", model.HookPoints[0]);
        Assert.Equal("stages.3.blocks.1", model.HookPoints[^1]);
        Assert.All(model.HookPoints, h => model.HookModule(h));
    }
}

using System;
using System.IO;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Onnx;

/// <summary>OnnxFeatures.Capture against PyTorch's forward hooks on the same models and probes, and the blocks that
/// <c>--layers auto</c> finds.</summary>
public class OnnxFeaturesTests : IClassFixture<OnnxExports>
{
    readonly OnnxExports _x;
    public OnnxFeaturesTests(OnnxExports x) => _x = x;

    [Theory]
    [InlineData("resnet18")]
    [InlineData("vit")]
    public void Auto_layers_are_the_blocks_pytorch_names(string name)
    {
        var model = OnnxModel.Load(_x.Model(name));
        var probe = OnnxProbe.FromNpy(_x.Probe(name));
        var layers = OnnxFeatures.Layers(model, probe);
        Assert.Equal(_x.Blocks[name], layers.Select(l => l.Name).ToArray());
        Assert.All(layers, l => Assert.True(l.IsBlock));
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("vit")]
    public void Each_captured_layer_equals_the_pytorch_hook_after_the_same_mean(string name)
    {
        var probe = OnnxProbe.FromNpy(_x.Probe(name));
        var matrices = OnnxFeatures.Capture(_x.Model(name), probe, batchSize: 5);   // 16 samples in batches of 5, 5, 5, 1
        try
        {
            Assert.Equal(_x.Blocks[name].Length, matrices.Count);
            foreach (var m in matrices)
            {
                var (hook, rows, cols) = NpyFile.Read(_x.Hook(name, m.Name));    // [samples, channels]
                Assert.Equal((cols, rows), (m.Nodes, m.Samples));
                var ours = m.Features.data<float>().ToArray();                  // [channels, samples]
                double worst = 0;
                for (int c = 0; c < cols; c++)
                    for (int s = 0; s < rows; s++)
                        worst = Math.Max(worst, Math.Abs(ours[c * rows + s] - hook[s * cols + c]));
                Assert.True(worst <= 1e-5, $"{name}/{m.Name}: largest difference from the PyTorch hook {worst:G3}");
                Assert.Equal("float32", m.Precision);
            }
        }
        finally { foreach (var m in matrices) m.Dispose(); }
    }

    [Fact]
    public void A_layer_named_by_its_tensor_or_readable_name_is_the_same_tensor()
    {
        var model = OnnxModel.Load(_x.Model("resnet18"));
        var probe = OnnxProbe.FromNpy(_x.Probe("resnet18"));
        var both = OnnxFeatures.Layers(model, probe, "layer1.0/Add,/layer1/layer1.0/Add_output_0,layer4.1");
        Assert.Equal(new[] { "layer1.0/Add", "layer1.0/Add", "layer4.1" }, both.Select(l => l.Name));
        Assert.Equal(both[0].Tensor, both[1].Tensor);
        Assert.Equal(new long[] { 2, 512, 1, 1 }, both[2].Shape);
    }

    [Fact]
    public void Channel_axis_reduces_over_the_other_axes()
    {
        // By hand: [N=2, C=3, L=2] with channels on axis 1 -> the mean over L; axis 2 -> the mean over axis 1.
        using var x = tensor(new float[] { 1, 3, 2, 4, 0, 6, /* sample 2 */ 5, 7, 1, 1, 2, 2 }, new long[] { 2, 3, 2 });
        using var a1 = NodeFeatures.ReduceAt(x, 1);
        Assert.Equal(new float[] { 2, 6, 3, 1, 3, 2 }, a1.data<float>().ToArray());                 // [C=3, N=2]
        using var a2 = NodeFeatures.ReduceAt(x, -1);
        Assert.Equal(new float[] { 1, 8f / 3, 13f / 3, 10f / 3 }, a2.data<float>().ToArray());   // [C=2, N=2]
        Assert.Contains("pick an axis from 1 to 2", Assert.Throws<SelfSimException>(() => NodeFeatures.ReduceAt(x, 0)).Message);
    }

    [Theory]
    [InlineData(new long[] { 3, 5 }, null)]
    [InlineData(new long[] { 3, 4, 5 }, null)]          // tokens: channels last
    [InlineData(new long[] { 3, 5, 4, 2 }, null)]       // conv map: channels on axis 1
    [InlineData(new long[] { 3, 4, 2, 5 }, 3)]          // channels-last conv map
    [InlineData(new long[] { 3, 5, 6 }, 1)]             // conv1d [B, C, L]
    public void The_buffer_reduction_equals_the_tensor_reduction(long[] shape, int? axis)
    {
        using var x = randn(shape, generator: new TorchSharp.torch.Generator(3));
        using var expected = axis is int a ? NodeFeatures.ReduceAt(x, a) : NodeFeatures.Reduce(x);   // [C, B]
        int b = (int)shape[0], columns = b + 2;
        var dest = new float[expected.shape[0] * columns];
        NodeFeatures.ReduceInto(x.data<float>().ToArray(), shape, axis ?? NodeFeatures.DefaultChannelAxis(shape.Length), dest, columns, 1);
        var e = expected.data<float>().ToArray();
        for (int c = 0; c < expected.shape[0]; c++)
            for (int s = 0; s < b; s++)
                Assert.Equal(e[c * b + s], dest[c * columns + 1 + s], 5);
        Assert.Equal(0f, dest[0]);                                                           // column 0 left alone
    }

    [Fact]
    public void Module_paths_come_from_the_exporter_node_names()
    {
        Assert.Equal("layer1.0.relu_1", OnnxLayers.ModulePath("/layer1/layer1.0/relu_1/Relu"));
        Assert.Equal("encoder.layers.encoder_layer_0", OnnxLayers.ModulePath("/encoder/layers/encoder_layer_0/Add_1"));
        Assert.Equal("", OnnxLayers.ModulePath("Conv_0"));
        Assert.Equal(3, OnnxLayers.EditDistance("kitten", "sitting"));
    }

    [Fact]
    public void A_layer_wider_than_the_limit_is_measured_on_seeded_subsamples()
    {
        var model = OnnxModel.Load(_x.Model("resnet18"));
        var probe = OnnxProbe.FromNpy(_x.Probe("resnet18"));
        var a = OnnxAnalysis.Run(model, probe, "layer2.1", maxNodes: 100, draws: 2, seed: 7, scales: 64);
        var b = OnnxAnalysis.Run(model, probe, "layer2.1", maxNodes: 100, draws: 2, seed: 7, scales: 64);
        var m = a.Layers.Single().Measures;
        Assert.True(m.Subsampled);
        Assert.Equal((128, 100, 2), (m.TotalNodes, m.MeasuredNodes, m.Draws));
        Assert.Equal(m.S, b.Layers.Single().Measures.S);                      // the same rows on every run
        Assert.NotEqual(m.S[0], m.S[1]);                                      // two different subsamples
        Assert.Equal(m.S[0], m.Row.S);
        Assert.StartsWith("subsampled: 100 of 128 nodes, 2 seeded draws (seed 7)", m.Row.Note);
        // The first draw is LayerMeasures.Of on the 100 rows a generator seeded 7 picks.
        using var whole = OnnxFeatures.Capture(_x.Model("resnet18"), probe, "layer2.1").Single();
        var rng = new Random(7);
        var rows = Enumerable.Range(0, 128).OrderBy(_ => rng.Next()).Take(100).OrderBy(i => i).Select(i => (long)i).ToArray();
        using var idx = tensor(rows);
        using var sub = NodeMatrix.FromTensor("sub", whole.Features.index_select(0, idx));
        Assert.Equal(LayerMeasures.Of(sub, scales: 64).S, m.S[0], 12);
    }
}

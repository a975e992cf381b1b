using System;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Measures;

public class FeatureCaptureTests
{
    sealed class TwoLayer : nn.Module<Tensor, Tensor>
    {
        readonly TorchSharp.Modules.Linear fc1, fc2;
        public TwoLayer() : base("TwoLayer")
        {
            fc1 = nn.Linear(5, 12); fc2 = nn.Linear(12, 3);
            RegisterComponents();
        }
        public override Tensor forward(Tensor x) => fc2.call(nn.functional.relu(fc1.call(x)));
    }

    static nn.Module<Tensor, Tensor> Net() => nn.Sequential(
        ("conv", nn.Conv2d(3, 8, 3, padding: 1)), ("act", nn.ReLU()), ("pool", nn.AdaptiveAvgPool2d(1)),
        ("flat", nn.Flatten()), ("fc", nn.Linear(8, 16)), ("out", nn.Linear(16, 4)));

    [Fact]
    public void Lists_layer_names()
    {
        var names = FeatureCapture.LayerNames(Net());
        Assert.Equal(new[] { "conv", "act", "pool", "flat", "fc", "out" }, names);
        Assert.Equal(new[] { "fc1", "fc2" }, FeatureCapture.LayerNames(new TwoLayer()));
    }

    [Fact]
    public void Captures_reduced_nodes_for_linear_and_conv_layers()
    {
        manual_seed(1);
        var net = Net();
        var x = randn(6, 3, 5, 5);
        using var cap = FeatureCapture.Attach(net, new[] { "conv", "fc" });
        net.forward(x);
        var conv = ((nn.Module<Tensor, Tensor>)net.named_modules().First(m => m.Item1 == "conv").Item2).forward(x);
        Assert.Equal(new long[] { 8, 6 }, cap["conv"].shape);
        Assert.True(cap["conv"].allclose(conv.mean(new long[] { 2, 3 }).T, 1e-5, 1e-6));
        Assert.Equal(new long[] { 16, 6 }, cap.Nodes("fc").shape);
        Assert.False(cap["fc"].requires_grad);           // analysis: no graph kept
        Assert.Equal(1, cap.Calls("fc"));
    }

    [Fact]
    public void Custom_modules_are_captured_through_call()
    {
        var net = new TwoLayer();
        using var cap = FeatureCapture.Attach(net, new[] { "fc1" });
        var y = net.forward(randn(7, 5));
        Assert.Equal(new long[] { 7, 3 }, y.shape);
        Assert.Equal(new long[] { 12, 7 }, cap["fc1"].shape);
    }

    [Fact]
    public void Training_capture_stays_in_the_graph()
    {
        manual_seed(2);
        var net = new TwoLayer();
        using var cap = FeatureCapture.Attach(net, new[] { "fc1" }, keepGraph: true);
        var y = net.forward(randn(32, 5));
        Assert.True(cap["fc1"].requires_grad);
        var loss = nn.functional.cross_entropy(y, randint(0, 3, new long[] { 32 })) + SrateObjective.Loss(Srate.Measure(cap["fc1"]).Rate, 0.9);
        loss.backward();
        var w = net.parameters().First();
        Assert.NotNull(w.grad);
        Assert.True(w.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Accumulate_appends_samples()
    {
        var net = new TwoLayer();
        using var cap = FeatureCapture.Attach(net, new[] { "fc2" }, accumulate: true);
        net.forward(randn(4, 5));
        net.forward(randn(6, 5));
        Assert.Equal(new long[] { 3, 10 }, cap["fc2"].shape);
        Assert.Equal(2, cap.Calls("fc2"));
        cap.Clear();
        Assert.Throws<SelfSimException>(() => cap["fc2"]);
    }

    [Fact]
    public void Unknown_layer_lists_the_available_ones()
    {
        var e = Assert.Throws<SelfSimException>(() => FeatureCapture.Attach(Net(), new[] { "fc9" }));
        Assert.Contains("fc9", e.Message);
        Assert.Contains("conv, act, pool, flat, fc, out", e.Message);
    }

    [Fact]
    public void Disposed_capture_no_longer_hooks()
    {
        var net = new TwoLayer();
        var cap = FeatureCapture.Attach(net, new[] { "fc1" });
        net.forward(randn(2, 5));
        Assert.Equal(1, cap.Calls("fc1"));
        cap.Dispose();
        net.forward(randn(2, 5));
        Assert.Equal(0, cap.Calls("fc1"));
        Assert.Throws<ObjectDisposedException>(() => cap["fc1"]);
    }
}

public class NodeFeaturesTests
{
    [Fact]
    public void Reduces_as_the_reference()
    {
        var bc = arange(6f).view(2, 3);                       // [B=2, C=3]
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, NodeFeatures.Reduce(bc).data<float>().ToArray());
        var btc = arange(12f).view(2, 2, 3);                  // [B, T, C]: mean over T
        Assert.True(NodeFeatures.Reduce(btc).allclose(btc.mean(new long[] { 1 }).T));
        Assert.Equal(new long[] { 3, 2 }, NodeFeatures.Reduce(btc).shape);
        var bchw = arange(48f).view(2, 3, 2, 4);              // [B, C, H, W]: mean over H, W
        var r = NodeFeatures.Reduce(bchw);
        Assert.Equal(new long[] { 3, 2 }, r.shape);
        Assert.Equal(bchw[1, 2].mean().item<float>(), r[2, 1].item<float>());
        var bcl = arange(12f).view(2, 3, 2);                  // conv1d [B, C, L] when asked for
        Assert.Equal(new long[] { 3, 2 }, NodeFeatures.Reduce(bcl, LayerLayout.Channels).shape);
        Assert.Throws<SelfSimException>(() => NodeFeatures.Reduce(arange(3f)));
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

// TEMPORARY stand-in for the measures branch (Srate, NodeFeatures, FeatureCapture); deleted when it merges.
public sealed record SrateResult(Tensor Loss, double S, double MinDistance, double MaxDistance, double LossValue);

public static class Srate
{
    public static SrateResult Compute(Tensor x, double target = 0.3, int scales = 256)
    {
        long n = x.shape[0], d = x.shape[1];
        var idx = torch.triu_indices(n, n, 1, device: x.device);
        var dist = (x.index_select(0, idx[0]) - x.index_select(0, idx[1])).norm(1) / Math.Sqrt(d);
        double tz = dist.min().item<float>(), tv = dist.max().item<float>();
        var s = torch.linspace(0, 1, scales, device: x.device);
        var l = (1 + tz) * torch.pow((1 + tv) / (1 + tz), s) - 1;
        var sig = torch.sigmoid(l.unsqueeze(1) - dist.unsqueeze(0));
        var hard = (sig > 0.5).to_type(ScalarType.Float32).mean(new long[] { 1 });
        var soft = (sig - 0.5).mean(new long[] { 1 });
        var nl = hard + (soft - soft.detach()) * n;
        var nlnl = n - (n - 1) * torch.log(1 + (n - 1) * nl) / Math.Log(n);
        double a = Math.Log(1 + tz), b = Math.Log(1 + tv);
        var pf = (-torch.log(1 + l) + a) / (b - a) + 1;
        var S = torch.abs(pf - torch.log(nlnl) / Math.Log(n)).sum() * 2.0 / scales;
        var loss = 0.5 * (S - target).pow(2);
        return new SrateResult(loss, S.item<float>(), tz, tv, loss.item<float>());
    }
}

public static class NodeFeatures
{
    public static Tensor Reduce(Tensor y) => y.dim() switch
    {
        2 => y.t(),
        3 => y.mean(new long[] { 1 }).t(),
        4 => y.mean(new long[] { 2, 3 }).t(),
        _ => throw new SelfSimException("bad rank"),
    };
}

public sealed class FeatureCapture : IDisposable
{
    private readonly List<Action> removers = new();
    public Dictionary<string, Tensor> Features { get; } = new();
    public static FeatureCapture Attach(Module model, IEnumerable<string> names, bool keepGraph = false)
    {
        var c = new FeatureCapture();
        var mods = model.named_modules().ToDictionary(m => m.name, m => m.module);
        foreach (var name in names)
        {
            var m = (Module<Tensor, Tensor>)mods[name];
            var h = m.register_forward_hook((_, _, y) => { c.Features[name] = keepGraph ? y : y.detach(); return null!; });
            c.removers.Add(h.remove);
        }
        return c;
    }
    public void Dispose() { foreach (var r in removers) r(); }
}

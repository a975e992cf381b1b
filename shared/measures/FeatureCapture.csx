#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// Forward hooks that turn named layers' outputs into node matrices, as the reference's model/sup_model.py
// and model/to_sfm.py do (Ding et al. 2025, arXiv 2507.17785).

/// <summary>
/// Captures the outputs of named submodules of a TorchSharp model during forward passes and reduces each to
/// the node matrix [C, B] (<see cref="NodeFeatures.Reduce"/>).
/// <code>
/// using var cap = FeatureCapture.Attach(model, new[] { "features.3", "classifier.1" });
/// model.forward(probe);
/// var s = Srate.Measure(cap["features.3"]).S;
/// </code>
/// <para>Analysis (keepGraph = false, the default): the captured tensors are detached and computed without
/// grad, so no autograd graph is kept alive. With <c>accumulate: true</c>, successive forward passes append
/// their samples as new columns (a probe set fed in several batches). Training (keepGraph = true): the captured
/// tensor stays in the graph, so a loss on it (e.g. <see cref="Srate"/>) back-propagates into the model.</para>
/// <para>TorchSharp runs forward hooks when a module is invoked through <c>call(x)</c> (as Sequential does);
/// a custom module must call its submodules with <c>layer.call(x)</c>, not <c>layer.forward(x)</c>, for them to be
/// captured. Only submodules of type <c>Module&lt;Tensor, Tensor&gt;</c> can be hooked.</para>
/// </summary>
public sealed class FeatureCapture : IDisposable
{
    readonly Dictionary<string, Tensor?> _nodes = new();
    readonly Dictionary<string, int> _calls = new();
    readonly List<Action> _removers = new();
    bool _disposed;

    /// <summary>Whether captured tensors stay in the autograd graph.</summary>
    public bool KeepGraph { get; }
    /// <summary>Whether forward passes append columns instead of replacing (analysis only).</summary>
    public bool Accumulate { get; }
    /// <summary>How outputs are reduced to nodes.</summary>
    public LayerLayout Layout { get; }
    /// <summary>The hooked layer names, in the order given.</summary>
    public IReadOnlyList<string> Names { get; }

    FeatureCapture(IReadOnlyList<string> names, bool keepGraph, bool accumulate, LayerLayout layout)
    {
        Names = names; KeepGraph = keepGraph; Accumulate = accumulate; Layout = layout;
    }

    /// <summary>Names of the submodules of <paramref name="model"/> that can be captured (depth-first, as named_modules lists them).</summary>
    public static IReadOnlyList<string> LayerNames(nn.Module model) =>
        model.named_modules().Where(p => p.Item1.Length > 0 && p.Item2 is nn.Module<Tensor, Tensor>).Select(p => p.Item1).ToList();

    /// <summary>(name, module type) of every capturable submodule, for a readable listing.</summary>
    public static IReadOnlyList<(string Name, string Type)> Layers(nn.Module model) =>
        model.named_modules().Where(p => p.Item1.Length > 0 && p.Item2 is nn.Module<Tensor, Tensor>)
            .Select(p => (p.Item1, p.Item2.GetType().Name)).ToList();

    /// <summary>Hooks the named layers. Unknown names throw a <see cref="SelfSimException"/> listing the available ones.</summary>
    public static FeatureCapture Attach(nn.Module model, IEnumerable<string> names, bool keepGraph = false,
        bool accumulate = false, LayerLayout layout = LayerLayout.Auto)
    {
        if (model is null) throw new SelfSimException("FeatureCapture.Attach: the model is null.");
        var list = (names ?? throw new SelfSimException("FeatureCapture.Attach: no layer names given.")).ToList();
        if (list.Count == 0) throw new SelfSimException("FeatureCapture.Attach: no layer names given. Pick some from FeatureCapture.LayerNames(model).");
        if (keepGraph && accumulate)
            throw new SelfSimException("FeatureCapture: accumulate is for analysis only; with keepGraph (training) each forward pass replaces the capture.");
        var modules = model.named_modules().Where(p => p.Item1.Length > 0).ToDictionary(p => p.Item1, p => p.Item2);
        var available = LayerNames(model);
        var cap = new FeatureCapture(list, keepGraph, accumulate, layout);
        foreach (var name in list.Distinct())
        {
            if (!modules.TryGetValue(name, out var m))
                throw new SelfSimException($"FeatureCapture: the model has no layer '{name}'. Available layers: {string.Join(", ", available)}.");
            if (m is not nn.Module<Tensor, Tensor> hookable)
                throw new SelfSimException($"FeatureCapture: layer '{name}' ({m.GetType().Name}) does not map a tensor to a tensor, so it cannot be hooked. " +
                                           $"Pick one of: {string.Join(", ", available)}.");
            cap._nodes[name] = null;
            cap._calls[name] = 0;
            var layerName = name;
            var handle = hookable.register_forward_hook((mod, input, output) => { cap.Store(layerName, output); return null!; });
            cap._removers.Add(() => handle.remove());
        }
        return cap;
    }

    void Store(string name, Tensor output)
    {
        if (_disposed) return;
        Tensor reduced;
        if (KeepGraph)
        {
            reduced = NodeFeatures.Reduce(output, Layout);
        }
        else
        {
            using var _ = no_grad();
            reduced = NodeFeatures.Reduce(output.detach(), Layout);
            if (Accumulate && _nodes[name] is { } prev)
            {
                var joined = cat(new[] { prev, reduced }, 1);
                prev.Dispose();
                reduced.Dispose();
                reduced = joined;
            }
        }
        if (!Accumulate || KeepGraph) _nodes[name]?.Dispose();
        // The capture owns its tensors: they outlive any DisposeScope around the forward pass.
        _nodes[name] = reduced.DetachFromDisposeScope();
        _calls[name]++;
    }

    /// <summary>The node matrix [C, B] of layer <paramref name="name"/> from the last forward pass (or all, when accumulating).</summary>
    public Tensor Nodes(string name)
    {
        if (_disposed) throw new ObjectDisposedException(nameof(FeatureCapture));
        if (!_nodes.TryGetValue(name, out var t))
            throw new SelfSimException($"FeatureCapture: layer '{name}' is not captured. Captured layers: {string.Join(", ", Names)}.");
        if (t is null)
            throw new SelfSimException($"FeatureCapture: layer '{name}' has not run yet. Run model.forward(x) first; a custom module must invoke it " +
                                       "with layer.call(x) (TorchSharp runs hooks from call, not forward).");
        return t;
    }

    /// <summary>Same as <see cref="Nodes"/>.</summary>
    public Tensor this[string name] => Nodes(name);

    /// <summary>How many forward passes layer <paramref name="name"/> has been captured in.</summary>
    public int Calls(string name) => _calls.TryGetValue(name, out var c) ? c : 0;

    /// <summary>Drops the captured tensors (the hooks stay).</summary>
    public void Clear()
    {
        foreach (var k in _nodes.Keys.ToList()) { _nodes[k]?.Dispose(); _nodes[k] = null; _calls[k] = 0; }
    }

    /// <summary>Removes the hooks and frees the captured tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        foreach (var r in _removers) r();
        _removers.Clear();
        Clear();
        _disposed = true;
    }
}

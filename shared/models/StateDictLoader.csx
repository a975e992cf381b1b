#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// Copies a PyTorch-style state dict (parameter name → tensor) into a model, strictly: every key of the model must be
/// present with the same shape and no extra keys may remain, else one error lists the missing, unexpected and
/// mis-shaped keys. Wrapped checkpoints are unwrapped first ("module." prefixes of DistributedDataParallel;
/// the file readers unwrap {"model": ...} and {"state_dict": ...}).
/// </summary>
public static class StateDictLoader
{
    /// <summary>How many keys an error message lists per kind before it says "and N more".</summary>
    const int ListLimit = 12;

    /// <summary>Loads <paramref name="state"/> into <paramref name="model"/>; <paramref name="source"/> names the file in errors.
    /// Tensors are converted to each parameter's dtype and device. Returns the number of tensors copied.</summary>
    public static int Load(nn.Module model, IReadOnlyDictionary<string, Tensor> state, string source)
    {
        if (model is null) throw new SelfSimException("StateDictLoader.Load: the model is null.");
        if (state is null || state.Count == 0) throw new SelfSimException($"{source}: the checkpoint holds no tensors.");
        var incoming = StripPrefix(state, "module.");
        var target = model.state_dict();
        var missing = target.Keys.Where(k => !incoming.ContainsKey(k)).ToList();
        var unexpected = incoming.Keys.Where(k => !target.ContainsKey(k)).ToList();
        var misShaped = target.Keys.Where(incoming.ContainsKey)
            .Where(k => !target[k].shape.SequenceEqual(incoming[k].shape))
            .Select(k => $"{k} (checkpoint [{string.Join(", ", incoming[k].shape)}], model [{string.Join(", ", target[k].shape)}])").ToList();
        if (missing.Count + unexpected.Count + misShaped.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"missing from the checkpoint: {List(missing)}");
            if (unexpected.Count > 0) parts.Add($"in the checkpoint but not in the model: {List(unexpected)}");
            if (misShaped.Count > 0) parts.Add($"shapes differ: {List(misShaped)}");
            throw new SelfSimException(
                $"{source} does not fit the model ({target.Count} tensors in the model, {incoming.Count} in the checkpoint). " +
                string.Join("; ", parts) + ". Build the model with the checkpoint's architecture, class count and image size " +
                "(a timm checkpoint needs --scale paper and the matching --classes and --image-size).");
        }
        using (no_grad())
        {
            foreach (var (k, t) in target)
            {
                var src = incoming[k];
                if (!src.is_floating_point() && t.is_floating_point())
                    throw new SelfSimException($"{source}: tensor {k} has dtype {src.dtype}, the model expects floating point.");
                t.copy_(src.to(t.dtype, t.device));
            }
        }
        return target.Count;
    }

    static Dictionary<string, Tensor> StripPrefix(IReadOnlyDictionary<string, Tensor> state, string prefix) =>
        state.Keys.All(k => k.StartsWith(prefix, StringComparison.Ordinal))
            ? state.ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value)
            : state.ToDictionary(kv => kv.Key, kv => kv.Value);

    static string List(List<string> keys) =>
        string.Join(", ", keys.Take(ListLimit)) + (keys.Count > ListLimit ? $" and {keys.Count - ListLimit} more" : "");
}

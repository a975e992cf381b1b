using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SelfSim.Cli;

/// <summary>
/// Reads PyTorch checkpoints written elsewhere — torch.save(state_dict) files (.pt/.pth/.bin) and .safetensors —
/// with TorchSharp.PyBridge, and loads them into the zoo's models through <see cref="StateDictLoader"/>.
/// Checkpoints that wrap the state dict ({"model": ...}, {"state_dict": ...}, {"model_ema": ...}, as DeiT/timm
/// training scripts save them) are unwrapped.
/// </summary>
public static class CheckpointFile
{
    static readonly string[] Wrappers = { "model", "state_dict", "model_ema" };

    /// <summary>The tensors of the checkpoint at <paramref name="path"/>, by name.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new SelfSimException($"Checkpoint {path} does not exist. Pass the path of a .pt, .pth or .safetensors file.");
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                return Safetensors.LoadStateDict(path);
            using var stream = File.OpenRead(path);
            var table = PyTorchUnpickler.UnpickleStateDict(stream);
            return Flatten(table, path);
        }
        catch (Exception e) when (e is not SelfSimException and not OutOfMemoryException)
        {
            throw new SelfSimException($"Checkpoint {path} could not be read ({e.GetType().Name}: {e.Message}). " +
                                       "It must be a state dict saved with torch.save(model.state_dict(), ...) (zip format, PyTorch ≥ 1.6) or a .safetensors file; " +
                                       "whole pickled models are not supported.");
        }
    }

    /// <summary>Reads <paramref name="path"/> and copies it into <paramref name="model"/> (strict: see <see cref="StateDictLoader"/>).</summary>
    public static int LoadInto(nn.Module model, string path)
    {
        var state = Read(path);
        try { return StateDictLoader.Load(model, state, path); }
        finally { foreach (var t in state.Values) t.Dispose(); }
    }

    static Dictionary<string, Tensor> Flatten(Hashtable table, string path)
    {
        foreach (var w in Wrappers)
            if (table[w] is Hashtable inner && inner.Values.Cast<object>().Any(v => v is Tensor)) return Flatten(inner, path);
        var result = new Dictionary<string, Tensor>();
        foreach (DictionaryEntry e in table)
            if (e.Value is Tensor t) result[(string)e.Key] = t;
        if (result.Count == 0)
            throw new SelfSimException($"Checkpoint {path} holds no tensors at its top level (keys: {string.Join(", ", table.Keys.Cast<object>().Take(10))}). " +
                                       "Save the model's state_dict, or a dict with it under \"model\" or \"state_dict\".");
        return result;
    }
}

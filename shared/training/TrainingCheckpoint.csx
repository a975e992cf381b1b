#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>The training state besides weights and optimizer moments: enough to continue a run exactly.</summary>
public sealed record CheckpointState
{
    /// <summary>The last completed epoch (0-based).</summary>
    public int Epoch { get; init; }
    public long GlobalStep { get; init; }
    public double? GateOldS { get; init; }
    public int GateOldEpoch { get; init; } = -1;
    public TrainingOptions Options { get; init; } = new();
    public List<EpochRecord> Epochs { get; init; } = new();
}

/// <summary>
/// checkpoint.bin: a header, the state as JSON, the model's state dict, the optimizer's state dict. Written atomically
/// after every epoch, so an interrupted or diverged run always leaves the last good epoch on disk.
/// Random streams are derived from (seed, epoch), so no generator state needs saving for an exact resume.
/// </summary>
public static class TrainingCheckpoint
{
    public const string FileName = "checkpoint.bin";
    const string Magic = "selfsim-checkpoint-v1";

    public static void Save(string path, CheckpointState state, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer) =>
        AtomicFile.Write(path, s =>
        {
            using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(JsonSerializer.Serialize(state, RunLog.Json));
            model.save(w);
            optimizer.save_state_dict(w);
            w.Flush();
        });

    /// <summary>Reads the state and loads weights and optimizer moments in place.</summary>
    public static CheckpointState Load(string path, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        if (!File.Exists(path))
            throw new SelfSimException($"No checkpoint at '{path}'. --resume needs the --out folder of a run that finished at least one epoch.");
        try
        {
            using var r = new BinaryReader(File.OpenRead(path));
            if (r.ReadString() != Magic) throw new InvalidDataException("wrong header");
            var state = JsonSerializer.Deserialize<CheckpointState>(r.ReadString(), RunLog.Json) ?? throw new InvalidDataException("empty state");
            model.load(r);
            optimizer.load_state_dict(r);
            return state;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException or ArgumentException or IOException)
        {
            throw new SelfSimException($"The checkpoint '{path}' is unreadable or belongs to another model ({e.Message}). Start a fresh run without --resume, or point --out at the run that wrote it.", e);
        }
    }

    /// <summary>Peeks at the state only (no weights needed), e.g. to check a run's settings before resuming.</summary>
    public static CheckpointState ReadState(string path)
    {
        if (!File.Exists(path))
            throw new SelfSimException($"No checkpoint at '{path}'. --resume needs the --out folder of a run that finished at least one epoch.");
        using var r = new BinaryReader(File.OpenRead(path));
        if (r.ReadString() != Magic) throw new SelfSimException($"'{path}' is not a selfsim checkpoint. Start a fresh run without --resume.");
        return JsonSerializer.Deserialize<CheckpointState>(r.ReadString(), RunLog.Json)!;
    }
}

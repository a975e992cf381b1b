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
    const string Magic = "selfsim-checkpoint-v2", MagicV1 = "selfsim-checkpoint-v1";
    const string Fix = "Resume from a good copy, or start the run again with --overwrite (or in a new --out folder).";

    /// <summary>Writes the checkpoint atomically, sealed with its length and SHA-256 (<see cref="CheckpointSeal"/>).</summary>
    public static void Save(string path, CheckpointState state, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer) =>
        CheckpointSeal.Write(path, s =>
        {
            using var w = new BinaryWriter(s, System.Text.Encoding.UTF8, leaveOpen: true);
            w.Write(Magic);
            w.Write(JsonSerializer.Serialize(state, RunLog.Json));
            model.save(w);
            optimizer.save_state_dict(w);
            w.Flush();
        });

    /// <summary>Verifies the seal, reads the state and loads weights and optimizer moments in place.</summary>
    public static CheckpointState Load(string path, nn.Module model, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        Check(path);
        try
        {
            using var r = new BinaryReader(File.OpenRead(path));
            var state = ReadHeader(r, path);
            model.load(r);
            optimizer.load_state_dict(r);
            return state;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException or ArgumentException or IOException or NotSupportedException or FormatException)
        {
            throw new SelfSimException($"The checkpoint '{path}' is unreadable or belongs to another model ({e.Message}). Start a fresh run without --resume, or point --out at the run that wrote it.", e);
        }
    }

    /// <summary>Verifies the seal, reads the state and loads the weights only (the optimizer's moments are not read): a
    /// finished run's model, to measure it. The state's Options say which model to build (<see cref="ModelZoo.Create"/>).</summary>
    public static CheckpointState LoadWeights(string path, nn.Module model)
    {
        Check(path);
        try
        {
            using var r = new BinaryReader(File.OpenRead(path));
            var state = ReadHeader(r, path);
            model.load(r);
            return state;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or JsonException or ArgumentException or IOException or NotSupportedException or FormatException)
        {
            throw new SelfSimException($"The checkpoint '{path}' is unreadable or belongs to another model ({e.Message}). Build the model its Options name (TrainingCheckpoint.ReadState).", e);
        }
    }

    /// <summary>Peeks at the state only (no weights needed), e.g. to check a run's settings before resuming. Verifies the seal.</summary>
    public static CheckpointState ReadState(string path)
    {
        Check(path);
        try
        {
            using var r = new BinaryReader(File.OpenRead(path));
            return ReadHeader(r, path);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or IOException or FormatException)
        {
            throw new SelfSimException($"The checkpoint '{path}' is truncated or damaged ({e.Message.TrimEnd('.')}). {Fix}", e);
        }
    }

    static void Check(string path)
    {
        if (Directory.Exists(path) || !File.Exists(path))
            throw new SelfSimException($"No checkpoint at '{path}'. --resume needs the --out folder of a run that finished at least one epoch.");
        if (!CheckpointSeal.Verify(path, Fix))
        {
            using var r = new BinaryReader(File.OpenRead(path));
            string magic;
            try { magic = r.ReadString(); } catch (Exception e) when (e is EndOfStreamException or IOException or FormatException) { magic = ""; }
            if (magic == MagicV1)
                Console.Error.WriteLine($"warning: '{path}' was written before checkpoints carried a SHA-256 seal; it is resumed unchecked.");
            else if (magic == Magic)
                throw new SelfSimException($"The checkpoint '{path}' is truncated: its end seal is missing (the run stopped while saving, or the disk was full). {Fix}");
            else
                throw new SelfSimException($"'{path}' is not a selfsim checkpoint. Start a fresh run without --resume.");
        }
    }

    static CheckpointState ReadHeader(BinaryReader r, string path)
    {
        var magic = r.ReadString();
        if (magic != Magic && magic != MagicV1) throw new SelfSimException($"'{path}' is not a selfsim checkpoint. Start a fresh run without --resume.");
        return JsonSerializer.Deserialize<CheckpointState>(r.ReadString(), RunLog.Json) ?? throw new InvalidDataException("empty state");
    }
}

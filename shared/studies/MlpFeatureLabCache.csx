#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

// Notebooks 00-03 look at the same briefly trained MLP; training it once and reusing the captured layers keeps the
// default-size collection within its time budget.

/// <summary>
/// <see cref="MlpFeatureLab.TrainAndCapture"/> with a cache in the results folder: the first notebook trains, the next ones
/// with the same settings load the captured layers as node matrices (a binary file named for the settings and the run
/// size; the layers are stored as float32, the MLP's precision, in the layout format 1 has always had, so a cache
/// written before the lab returned <see cref="NodeMatrix"/> still loads).
/// <code>var lab = MlpFeatureLabCache.LoadOrTrain(epochs: 2, trainSamples: 30_000, probeSamples: 256);</code>
/// </summary>
public static class MlpFeatureLabCache
{
    const int FormatVersion = 1;

    /// <summary>The MLP that notebooks 00-03 look at, at this run's size: smoke 1 epoch on 640 images (a pipeline check),
    /// default 2 epochs on 30,000, full 3 epochs on all 60,000; probed on the first
    /// <see cref="NodeMatrix.ProbeSamplesFor"/> test images (256; smoke: 32), the studies' one default. Trained once
    /// and then loaded; at default and full size an accuracy below <see cref="AccuracyFloor.MlpMnistTop1"/> is an error.</summary>
    public static TrainedMlpFeatures ForRunSize(Action<string>? log = null)
    {
        var lab = LoadOrTrain(epochs: RunMode.Pick(smoke: 1, @default: 2, full: 3),
            trainSamples: RunMode.Pick(smoke: 640, @default: 30_000, full: 60_000),
            probeSamples: NodeMatrix.ProbeSamplesFor(RunMode.Size), log: log);
        AccuracyFloor.Check("mlp", lab.TestTop1, AccuracyFloor.MlpMnistTop1);
        return lab;
    }

    public static TrainedMlpFeatures LoadOrTrain(int epochs, int trainSamples, int probeSamples = NodeMatrix.DefaultProbeSamples, int seed = 0,
        string dataset = "mnist", int batchSize = 64, Action<string>? log = null)
    {
        var key = Key(epochs, trainSamples, probeSamples, seed, dataset, batchSize);
        var path = StudySettings.ResultPath($"mlp-lab-{dataset}-e{epochs}-n{trainSamples}-p{probeSamples}-s{seed}-b{batchSize}", ".bin");
        if (File.Exists(path))
        {
            try
            {
                var cached = Load(path, key);
                if (cached is not null) { log?.Invoke($"Loaded the trained MLP's layers from {path}."); return cached; }
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or JsonException or InvalidDataException or SelfSimException)
            {
                Console.Error.WriteLine($"warning: {path} is unreadable ({e.Message}); training again and overwriting it.");
            }
        }
        var lab = MlpFeatureLab.TrainAndCapture(epochs, trainSamples, probeSamples, seed, dataset: dataset, batchSize: batchSize);
        Save(path, key, lab);
        return lab;
    }

    /// <summary>The settings a cache file is written for (its first record); a file with another key is not used.</summary>
    public static string Key(int epochs, int trainSamples, int probeSamples, int seed = 0, string dataset = "mnist", int batchSize = 64) =>
        $"v{FormatVersion} {dataset} epochs={epochs} train={trainSamples} probe={probeSamples} seed={seed} batch={batchSize}";

    /// <summary>Writes <paramref name="lab"/> to <paramref name="path"/> atomically under <paramref name="key"/>.</summary>
    public static void Save(string path, string key, TrainedMlpFeatures lab)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        AtomicFile.Write(path, s => Write(s, key, lab));
    }

    static void Write(Stream s, string key, TrainedMlpFeatures lab)
    {
        using var w = new BinaryWriter(s, Encoding.UTF8, leaveOpen: true);
        w.Write(key);
        w.Write(JsonSerializer.Serialize(lab.Report, RunLog.Json));
        w.Write(lab.TestTop1); w.Write(lab.TrainSeconds); w.Write(lab.Epochs); w.Write(lab.TrainSamples); w.Write(lab.ProbeSamples);
        w.Write(lab.Layers.Count);
        foreach (var l in lab.Layers)
        {
            using var x = l.Features.detach().cpu().to(TorchSharp.torch.ScalarType.Float32).contiguous();
            var data = x.data<float>().ToArray();
            w.Write(l.Name); w.Write(l.Nodes); w.Write(l.Samples); w.Write(data.Length);
            var bytes = new byte[data.Length * sizeof(float)];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            w.Write(bytes);
        }
    }

    /// <summary>The lab saved in <paramref name="path"/>, or null when it was saved for another key. A file cut short or
    /// garbled throws (IOException, EndOfStreamException, InvalidDataException, JsonException).</summary>
    public static TrainedMlpFeatures? Load(string path, string key)
    {
        using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        if (r.ReadString() != key) return null;
        var report = JsonSerializer.Deserialize<RunReport>(r.ReadString(), RunLog.Json) ?? throw new InvalidDataException("no run report");
        double top1 = r.ReadDouble(), seconds = r.ReadDouble();
        int epochs = r.ReadInt32(), train = r.ReadInt32(), probe = r.ReadInt32(), count = r.ReadInt32();
        var layers = new List<NodeMatrix>();
        for (int i = 0; i < count; i++)
        {
            string name = r.ReadString();
            int nodes = r.ReadInt32(), samples = r.ReadInt32(), n = r.ReadInt32();
            if (n != nodes * samples) throw new InvalidDataException($"layer {name}: {n} values for {nodes}×{samples}");
            var bytes = r.ReadBytes(n * sizeof(float));
            if (bytes.Length != n * sizeof(float)) throw new EndOfStreamException($"layer {name} is cut short");
            var data = new float[n];
            Buffer.BlockCopy(bytes, 0, data, 0, bytes.Length);
            layers.Add(NodeMatrix.FromTensor(name, TorchSharp.torch.tensor(data, new long[] { nodes, samples })));
        }
        return new TrainedMlpFeatures(report, layers, top1, seconds, epochs, train, probe);
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// S and d_B per layer through training (Ding et al. 2025, arXiv 2507.17785, Sec. 4.3 follows S over epochs):
// the same probe batch is measured before training and after every epoch, so the curves differ only by the weights.

/// <summary>One layer measured on the probe batch after <see cref="Epoch"/> epochs of training (0 = at initialisation),
/// with that epoch's test accuracy (NaN at epoch 0) and the mean S the trainer recorded on training batches for the layer
/// (NaN when that layer was not drawn, or at epoch 0).</summary>
public sealed record EpochLayerMeasure(string Architecture, int Epoch, string Layer, int Index, double Depth, int Nodes,
    double S, Estimate BoxDimension, double TestTop1, double TrainingS)
{
    public static EpochLayerMeasure From(int epoch, LayerMeasures m, double testTop1, double trainingS) =>
        new(m.Architecture, epoch, m.Layer, m.Index, m.Depth, m.Nodes, m.S, m.BoxDimension, testTop1, trainingS);
}

/// <summary>
/// Measures a fixed probe batch on every hook point before training and after each epoch of a <see cref="ClassifierTrainer"/>.
/// <code>
/// var recorder = new ProbeRecorder(NodeMatrix.ProbeBatch(test));
/// var report = recorder.Train(trainer);          // measures epoch 0, then after every epoch
/// recorder.Records                               // one EpochLayerMeasure per (epoch, layer)
/// </code>
/// </summary>
public sealed class ProbeRecorder
{
    readonly List<EpochLayerMeasure> _records = new();

    public ProbeRecorder(Tensor probe, int scales = Srate.DefaultScales)
    {
        if (probe is null || probe.dim() != 4)
            throw new SelfSimException("ProbeRecorder needs a probe batch of normalised images [B, C, H, W]; use NodeMatrix.ProbeBatch(data).");
        Probe = probe;
        Scales = scales;
    }

    public Tensor Probe { get; }
    public int Scales { get; }
    /// <summary>Every measurement so far, in (epoch, layer) order.</summary>
    public IReadOnlyList<EpochLayerMeasure> Records => _records;
    /// <summary>Seconds spent measuring (not training).</summary>
    public double MeasureSeconds { get; private set; }

    /// <summary>Pearson correlation between the probe S and the trainer's training-batch S over the (epoch, layer) pairs
    /// that have both (epochs after 0 whose layer was drawn); NaN with fewer than 3 pairs or no variation.</summary>
    public (double R, int Pairs) ProbeVersusTrainingS()
    {
        var both = _records.Where(r => r.Epoch > 0 && double.IsFinite(r.S) && double.IsFinite(r.TrainingS)).ToList();
        return (Pearson(both.Select(r => r.S).ToArray(), both.Select(r => r.TrainingS).ToArray()), both.Count);
    }

    /// <summary>Pearson's r of two equally long samples; NaN with fewer than 3 values or zero variance.</summary>
    public static double Pearson(double[] a, double[] b)
    {
        if (a.Length != b.Length) throw new SelfSimException($"Pearson: the samples differ in length ({a.Length} and {b.Length}).");
        if (a.Length < 3) return double.NaN;
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return saa > 0 && sbb > 0 ? sab / Math.Sqrt(saa * sbb) : double.NaN;
    }

    /// <summary>Measures <paramref name="model"/> now and records it as <paramref name="epoch"/> (epochs trained so far).</summary>
    public IReadOnlyList<EpochLayerMeasure> Measure(HookedModel model, int epoch, EpochRecord? record = null)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var layers = LayerMeasures.Survey(model, Probe, null, Scales);
        var rows = layers.Select(m => EpochLayerMeasure.From(epoch, m, record?.TestTop1 ?? double.NaN,
            record is not null && record.SByLayer.TryGetValue(m.Layer, out var s) ? s : double.NaN)).ToList();
        _records.AddRange(rows);
        MeasureSeconds += sw.Elapsed.TotalSeconds;
        return rows;
    }

    /// <summary>Measures at initialisation (epoch 0), trains with <paramref name="trainer"/> and measures after each
    /// finished epoch k as epoch k + 1. The trainer's own Progress callback keeps working.</summary>
    public RunReport Train(ClassifierTrainer trainer, System.Threading.CancellationToken cancel = default)
    {
        if (trainer is null) throw new SelfSimException("ProbeRecorder.Train: the trainer is null.");
        if (!_records.Any(r => r.Epoch == 0 && r.Architecture == trainer.Model.Architecture)) Measure(trainer.Model, 0);
        var previous = trainer.Progress;
        trainer.Progress = p =>
        {
            if (p.Phase == "epoch" && p.Completed is { } rec) Measure(trainer.Model, rec.Epoch + 1, rec);
            previous?.Invoke(p);
        };
        try { return trainer.Run(false, cancel); }
        finally { trainer.Progress = previous; }
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// Per-layer self-similarity of a model on a probe batch, as the paper surveys it (Ding et al. 2025, arXiv 2507.17785,
// Sec. 4): each hooked layer's [C, B] node matrix gives S (Srate) and the box dimension d_B of its exact box cover.

/// <summary>
/// One layer's self-similarity on a probe batch: S (Srate, the reference's approximate box-covering rate) and
/// d_B with its 95 % interval from the exact box cover's log-log fit over the merges that leave between
/// max(2, 0.2 %·n) and 10 %·n boxes (<see cref="BoxDimensionFit.BoxCountWindow"/>). <see cref="Depth"/> is the layer's position in [0, 1] (0 = first hooked layer,
/// 1 = last), so architectures of different depth share an x axis. Values that could not be measured are NaN and
/// <see cref="Note"/> says why.
/// </summary>
public sealed record LayerSelfSimilarity(string Architecture, string Layer, int Index, int Layers, int Nodes, int Samples,
    double S, double BoxDimension, double BoxDimensionLow, double BoxDimensionHigh, double FitRSquared, double NormalisedSlope,
    string? Note = null)
{
    /// <summary>Index / (Layers − 1): 0 for the first hooked layer, 1 for the last.</summary>
    public double Depth => Layers > 1 ? (double)Index / (Layers - 1) : 0;
}

/// <summary>Measures S and d_B on every hook point of a model (or on a node matrix) for a fixed probe batch.</summary>
public static class LayerSurvey
{
    /// <summary>The first <paramref name="count"/> images of <paramref name="data"/>, normalised: the probe batch whose
    /// samples become the node matrices' columns.</summary>
    public static Tensor ProbeBatch(ImageDataset data, int count)
    {
        if (data is null) throw new SelfSimException("LayerSurvey.ProbeBatch: the dataset is null.");
        if (count < 2 || count > data.Count)
            throw new SelfSimException($"LayerSurvey.ProbeBatch: asked for {count} probe images from {data}; pick between 2 and {data.Count}.");
        using var raw = data.Images.narrow(0, 0, count);
        return data.Normalize(raw);
    }

    /// <summary>
    /// S and d_B of each layer in <paramref name="layers"/> (default: the model's hook points) for one forward pass of
    /// <paramref name="probe"/> (normalised images [B, C, H, W]) in eval mode without gradients. The model's
    /// train/eval mode is restored afterwards.
    /// </summary>
    public static IReadOnlyList<LayerSelfSimilarity> Measure(HookedModel model, Tensor probe, IEnumerable<string>? layers = null,
        int scales = Srate.DefaultScales)
    {
        if (model is null) throw new SelfSimException("LayerSurvey.Measure: the model is null.");
        if (probe is null || probe.dim() != 4)
            throw new SelfSimException($"LayerSurvey.Measure needs a probe batch of images [B, C, H, W]; got {(probe is null ? "null" : "[" + string.Join(", ", probe.shape) + "]")}. Use LayerSurvey.ProbeBatch(data, 256).");
        var names = (layers ?? model.HookPoints).ToList();
        var results = new List<LayerSelfSimilarity>();
        var captured = NodeMatrix.Capture(model, probe, names);
        try
        {
            for (int i = 0; i < captured.Count; i++)
                results.Add(MeasureNodes(model.Architecture, captured[i].Name, i, captured.Count, captured[i].Features, scales));
        }
        finally
        {
            foreach (var m in captured) m.Dispose();
        }
        return results;
    }

    /// <summary>S and d_B of one node matrix [n, d] (rows are nodes). Degenerate layers (e.g. all nodes identical) give NaN
    /// with a note instead of throwing; NaN/Inf activations still throw.</summary>
    public static LayerSelfSimilarity MeasureNodes(string architecture, string layer, int index, int layers, Tensor nodes,
        int scales = Srate.DefaultScales)
    {
        Srate.ValidateFeatures(nodes, $"LayerSurvey ({architecture}/{layer})", 3);
        int n = (int)nodes.shape[0], d = (int)nodes.shape[1];
        var x = nodes.detach().to(ScalarType.Float32).cpu();
        double s = double.NaN, dB = double.NaN, lo = double.NaN, hi = double.NaN, r2 = double.NaN, slope = double.NaN;
        var notes = new List<string>();
        try { s = Srate.Rate(x, scales); }
        catch (SelfSimException e) { notes.Add("S: " + e.Message); }
        try
        {
            var cover = BoxCover.Compute(x);
            try
            {
                var fit = BoxDimensionFit.LogLogByBoxes(cover);
                dB = fit.Dimension; lo = fit.Lower; hi = fit.Upper; r2 = fit.RSquared;
            }
            catch (SelfSimException e) { notes.Add("d_B: " + e.Message); }
            try { slope = BoxDimensionFit.Normalised(cover).Slope; }
            catch (SelfSimException e) { notes.Add("normalised fit: " + e.Message); }
        }
        catch (SelfSimException e) { notes.Add("box cover: " + e.Message); }
        return new LayerSelfSimilarity(architecture, layer, index, layers, n, d, s, dB, lo, hi, r2, slope,
            notes.Count == 0 ? null : string.Join(" ", notes));
    }
}

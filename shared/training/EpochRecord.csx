#nullable enable
using System;
using System.Collections.Generic;

/// <summary>
/// What one training epoch measured. Losses are means over the epoch's steps; S is the mean over every measured
/// chunk (one per step with k = 1; k per step with --srate-chunks k, as the reference all-reduces S over its GPUs);
/// S per layer averages the chunks that drew that layer (absent when none did). Accuracies are percentages on the test split.
/// </summary>
public sealed record EpochRecord
{
    public int Epoch { get; init; }
    /// <summary>Mean total loss (CE + z·λ·Srate loss).</summary>
    public double TrainLoss { get; init; }
    /// <summary>Mean cross-entropy (with label smoothing).</summary>
    public double TrainCe { get; init; }
    /// <summary>Mean ½(S − target)², NaN when Srate is off.</summary>
    public double SrateLoss { get; init; } = double.NaN;
    /// <summary>Mean S over the epoch's measured chunks (the value S_old is refreshed from), NaN when Srate is off.</summary>
    public double S { get; init; } = double.NaN;
    public Dictionary<string, double> SByLayer { get; init; } = new();
    /// <summary>Mean gate value z over the epoch's steps (a step's z is the mean over its chunks; 0 in epoch 0 and in record mode).</summary>
    public double Z { get; init; }
    /// <summary>Fraction of the epoch's chunks (steps × k) whose gate was open past half (z &gt; 0.5).</summary>
    public double GateOpenFraction { get; init; }
    /// <summary>Mean z over the chunks that drew each layer.</summary>
    public Dictionary<string, double> ZByLayer { get; init; } = new();
    /// <summary>Fraction of the chunks that drew each layer with z &gt; 0.5.</summary>
    public Dictionary<string, double> GateOpenByLayer { get; init; } = new();
    /// <summary>S_old in force during the epoch (NaN before it exists).</summary>
    public double OldS { get; init; } = double.NaN;
    public double TrainTop1 { get; init; }
    public double TestTop1 { get; init; }
    public double TestTop5 { get; init; }
    public double TestLoss { get; init; }
    /// <summary>The learning rate at the epoch's last step.</summary>
    public double LearningRate { get; init; }
    public double Seconds { get; init; }
    public double SamplesPerSecond { get; init; }
    /// <summary>Mean S − target over the epoch's chunks (NaN when Srate is off): how far the constrained layer is from the pull's goal.</summary>
    public double SMinusTarget { get; init; } = double.NaN;
    /// <summary>Fraction of the epoch's steps on which the constraint term acted (some chunk had z &gt; 0).</summary>
    public double TermStepFraction { get; init; }
    /// <summary>Mean ‖∇θ term‖ / ‖∇θ CE‖ over the steps the term acted (NaN when it never did): the constraint's share of the push.</summary>
    public double GradRatio { get; init; } = double.NaN;
    /// <summary>Mean cosine between ∇θ term and ∇θ CE over the steps the term acted (NaN when it never did).</summary>
    public double GradCosine { get; init; } = double.NaN;
    /// <summary>Mean cos(dS/dx, x) of the straight-through gradient with the node matrix over the chunks that acted:
    /// ±1 means the term only rescales the layer's activations.</summary>
    public double ScaleCosine { get; init; } = double.NaN;
    /// <summary>Chunks whose drawn layer gave no S (all nodes identical for that chunk); they add no Srate term.</summary>
    public int SrateSkipped { get; init; }
}

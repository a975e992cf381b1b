#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// The Srate term of one training step as the reference's multi-GPU step forms it (engine.py under DistributedDataParallel,
// Ding et al. 2025): each of k processes draws its own random hooked layer, measures S on its own chunk of the batch
// (64 samples per GPU), gates it with its own z against the shared S_old (the epoch mean of every process's S: utils.py
// all-reduces the meter before engine.py reads it), and DDP averages the gradients. So the step's term is
//   term = (λ/k) Σ_j z_j · ½(S_j − target)²,   loss = CE + term.
// k = 1 (the default, one device) is one chunk of the same path: one random layer on the whole batch.

/// <summary>
/// One chunk's measurement: the layer drawn, its sample columns [Start, Start+Count), S, ½(S − target)² and the gate z.
/// <see cref="ScaleCosine"/> is cos(dS/dx, x) of the straight-through gradient with the node matrix itself (how much of
/// the push is a change of activation scale); it is measured only where the term acted (z &gt; 0), NaN elsewhere.
/// </summary>
public sealed record SrateChunk(string Layer, int Start, int Count, double S, double LossValue, double Z,
    double ScaleCosine = double.NaN);

/// <summary>
/// A step's Srate term: <see cref="Loss"/> (null when no chunk could be measured, no gate is open, or nothing is constrained),
/// the measured chunks, how many chunks were skipped as degenerate, and the first layer whose activations were not finite
/// (<see cref="NonFiniteLayer"/>; the caller treats it as divergence).
/// </summary>
public sealed record SrateChunkTerm(Tensor? Loss, IReadOnlyList<SrateChunk> Chunks, int Skipped, string? NonFiniteLayer = null)
{
    public double MeanS => Chunks.Count > 0 ? Chunks.Average(c => c.S) : double.NaN;
    public double MeanLoss => Chunks.Count > 0 ? Chunks.Average(c => c.LossValue) : double.NaN;
    public double MeanZ => Chunks.Count > 0 ? Chunks.Average(c => c.Z) : 0;
}


public static class SrateChunks
{
    /// <summary>
    /// Splits the batch's samples into <paramref name="k"/> equal chunks; for each, draws a hook point with <paramref name="rng"/>
    /// (chunk order), measures S (<see cref="Srate.Measure"/>) on that layer's node matrix restricted to the chunk's samples,
    /// its objective ½(S − target)² (<see cref="SrateObjective.Loss"/>) and its gate z = <paramref name="gate"/>(S).
    /// The returned loss is Σ_j (z_j·<paramref name="weight"/>/k)·½(S_j − target)² over the measured chunks, in the graph
    /// when <paramref name="constrain"/> (with <see cref="SratePenalty.ActivationScale"/>: the scale-matched control per
    /// chunk). A chunk whose layer is degenerate (finite but, e.g., all nodes equal) is skipped and
    /// counted; one with NaN/Inf activations stops the step and is named in <see cref="SrateChunkTerm.NonFiniteLayer"/>.
    /// </summary>
    public static SrateChunkTerm Compute(Func<string, Tensor> nodesOf, IReadOnlyList<string> hooks, int k, Random rng,
        double target, int scales, Func<double, double> gate, bool constrain, double weight = 1.0,
        SratePenalty penalty = SratePenalty.Srate)
    {
        if (hooks.Count == 0) throw new SelfSimException("Srate chunks: the model has no hook points.");
        if (k < 1) throw new SelfSimException($"Srate chunks: k must be at least 1 (got {k}).");
        var chunks = new List<SrateChunk>();
        Tensor? sum = null;
        int skipped = 0;
        for (int j = 0; j < k; j++)
        {
            string layer = hooks[rng.Next(hooks.Count)];
            var nodes = nodesOf(layer); // [C, B]
            long b = nodes.shape[1];
            if (b % k != 0 || b / k < 2)
                throw new SelfSimException($"--srate-chunks {k}: the batch of {b} samples does not split into {k} chunks of at least 2 samples each. " +
                                           $"Use a batch size that is a multiple of {k} (the reference: 64 per chunk).");
            int size = (int)(b / k), start = j * size;
            using var view = k == 1 ? null : nodes.narrow(1, start, size);
            var chunk = view ?? nodes;   // k = 1: the whole batch itself
            SrateResult r;
            Tensor objective;
            try
            {
                using var _ = constrain ? null : no_grad();
                r = Srate.Measure(chunk, scales);
                objective = SrateObjective.Loss(r.Rate, target);
            }
            catch (SelfSimException) when (chunk.isfinite().all().item<bool>()) { skipped++; continue; }
            catch (SelfSimException) { return new SrateChunkTerm(sum, chunks, skipped, layer); }
            double z = gate(r.S);
            double scaleCos = double.NaN;
            Tensor? acting = null;
            if (constrain && z > 0)
            {
                // The term's straight-through gradient on the node matrix, for the scale diagnostic and the control.
                var g = torch.autograd.grad(new[] { objective }, new[] { chunk }, retain_graph: true)[0].detach();
                var xd = chunk.detach();
                double gx = g.mul(xd).sum().to(ScalarType.Float64).item<double>();
                double xx = xd.pow(2).sum().to(ScalarType.Float64).item<double>();
                double gg = g.pow(2).sum().to(ScalarType.Float64).item<double>();
                scaleCos = gg > 0 && xx > 0 ? gx / Math.Sqrt(gg * xx) : 0;
                acting = penalty == SratePenalty.Srate ? objective
                       : chunk.pow(2).sum().mul(xx > 0 ? 0.5 * gx / xx : 0.0);
            }
            chunks.Add(new SrateChunk(layer, start, size, r.S, objective.to(ScalarType.Float64).item<double>(), z, scaleCos));
            if (acting is not null)
            {
                var weighted = acting * (z * weight / k);
                sum = sum is null ? weighted : sum + weighted;
            }
        }
        return new SrateChunkTerm(sum, chunks, skipped);
    }
}

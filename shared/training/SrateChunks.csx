#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// The Srate term as the reference's multi-GPU step forms it (engine.py under DistributedDataParallel, Ding et al. 2025):
// each of k processes draws its own random hooked layer, measures S on its own chunk of the batch (64 samples per GPU),
// gates it with its own z, and DDP averages the gradients — so one step's term is the mean of k independent gated terms:
//   term = (1/k) Σ_j z_j · ½(S_j − target)²,   loss = CE + λ · term.
// k = 1 is the single-device rule: one random layer on the whole batch.

/// <summary>One chunk's measurement: the layer drawn, its sample columns [Start, Start+Count), S, ½(S − target)² and the gate z.</summary>
public sealed record SrateChunk(string Layer, int Start, int Count, double S, double LossValue, double Z);

/// <summary>A step's averaged Srate term: <see cref="Loss"/> (null when no chunk could be measured or no gate is open) and the chunks.</summary>
public sealed record SrateChunkTerm(Tensor? Loss, IReadOnlyList<SrateChunk> Chunks, int Skipped)
{
    public double MeanS => Chunks.Count > 0 ? Chunks.Average(c => c.S) : double.NaN;
    public double MeanLoss => Chunks.Count > 0 ? Chunks.Average(c => c.LossValue) : double.NaN;
    public double MeanZ => Chunks.Count > 0 ? Chunks.Average(c => c.Z) : 0;
}

public static class SrateChunks
{
    /// <summary>
    /// Splits the batch's samples into <paramref name="k"/> equal chunks; for each, draws a hook point with <paramref name="rng"/>
    /// (chunk order), computes Srate on that layer's node matrix restricted to the chunk's samples, and its gate z = <paramref name="gate"/>(S).
    /// The returned loss is (1/k) Σ z_j·½(S_j − target)² over the measured chunks (in the graph when <paramref name="constrain"/>).
    /// A chunk whose layer is degenerate (finite but, e.g., all nodes equal) is skipped and counted; NaN/Inf activations throw.
    /// </summary>
    public static SrateChunkTerm Compute(Func<string, Tensor> nodesOf, IReadOnlyList<string> hooks, int k, Random rng,
        double target, int scales, Func<double, double> gate, bool constrain)
    {
        if (hooks.Count == 0) throw new SelfSimException("Srate chunks: the model has no hook points.");
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
            using var chunk = nodes.narrow(1, start, size);
            SrateResult r;
            try
            {
                if (constrain) r = Srate.Compute(chunk, target, scales);
                else using (no_grad()) r = Srate.Compute(chunk, target, scales);
            }
            catch (SelfSimException) when (chunk.isfinite().all().item<bool>()) { skipped++; continue; }
            double z = gate(r.S);
            chunks.Add(new SrateChunk(layer, start, size, r.S, r.LossValue, z));
            if (constrain && z > 0)
            {
                var weighted = r.Loss * (z / k);
                sum = sum is null ? weighted : sum + weighted;
            }
        }
        return new SrateChunkTerm(sum, chunks, skipped);
    }
}

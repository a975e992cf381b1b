using System;
using System.Collections.Generic;
using System.Linq;
using SelfSim.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Training;

/// <summary>The reference's k-GPU Srate term: k random layers on k chunks, each gated, averaged.</summary>
[Collection(TorchRngCollection.Name)]
public class SrateChunksTests
{
    static Dictionary<string, Tensor> Layers(int batch)
    {
        var g = new Generator(11);
        return new Dictionary<string, Tensor>
        {
            ["a"] = randn(40, batch, generator: g).requires_grad_(true),
            ["b"] = (randn(24, batch, generator: g) * 3).requires_grad_(true),
        };
    }

    static double Gate(double s) => s > 0.35 ? 1.0 : 0.25; // different z per chunk, as each GPU's own gate gives

    [Fact]
    public void Term_is_the_mean_of_k_gated_chunk_terms_with_matching_gradients()
    {
        const int k = 4, batch = 64;
        var layers = Layers(batch);
        var hooks = new[] { "a", "b" };
        var term = SrateChunks.Compute(n => layers[n], hooks, k, new Random(5), 0.3, 64, Gate, constrain: true);
        Assert.Equal(k, term.Chunks.Count);

        // By hand: the same draws from Random(5), Srate on each chunk alone.
        var rng = new Random(5);
        double expected = 0;
        var chunkGrads = new List<(string Layer, int Start, Tensor Grad)>();
        for (int j = 0; j < k; j++)
        {
            string layer = hooks[rng.Next(2)];
            Assert.Equal(layer, term.Chunks[j].Layer);
            Assert.Equal(j * 16, term.Chunks[j].Start);
            using var leaf = layers[layer].detach().narrow(1, j * 16, 16).clone().requires_grad_(true);
            var r = Srate.Measure(leaf, 64);
            var objective = SrateObjective.Loss(r.Rate, 0.3);
            Assert.Equal(r.S, term.Chunks[j].S, 12);
            double z = Gate(r.S);
            Assert.Equal(z, term.Chunks[j].Z);
            expected += z * 0.5 * (r.S - 0.3) * (r.S - 0.3) / k;
            (objective * (z / k)).backward();
            chunkGrads.Add((layer, j * 16, leaf.grad!.clone()));
        }
        Assert.Equal(expected, term.Loss!.item<float>(), 5);

        term.Loss!.backward();
        foreach (var (layer, start, grad) in chunkGrads)
        {
            using var got = layers[layer].grad!.narrow(1, start, 16);
            Assert.True(got.allclose(grad, rtol: 1e-4, atol: 1e-7), $"gradient of chunk at {start} in layer {layer}");
        }
    }

    [Fact]
    public void Each_chunk_is_gated_by_its_own_S_against_the_shared_S_old()
    {
        // engine.py: z = 1 − min(|S − S_old|/S_old, c)/c per process, with S_old the all-reduced epoch mean of every process's S.
        const int k = 2;
        const double c = 0.5, lambda = 0.7, target = 0.3;
        var layers = Layers(32);
        var hooks = new[] { "a", "b" };
        var earlier = SrateChunks.Compute(n => layers[n], hooks, k, new Random(3), target, 64, _ => 0, constrain: false);
        var gate = new SrateGate(sampleEvery: 1, changeLimit: c);
        gate.EndEpoch(0, earlier.MeanS);     // an "epoch" of one step: the mean of both chunks, one S_old for both "GPUs"
        double old = gate.OldS!.Value;
        Assert.Equal(0.5 * (earlier.Chunks[0].S + earlier.Chunks[1].S), old, 12);
        var now = SrateChunks.Compute(n => layers[n], hooks, k, new Random(8), target, 64, _ => 0, constrain: false);
        double s0 = now.Chunks[0].S, s1 = now.Chunks[1].S;
        double z0 = 1 - Math.Min(Math.Abs(s0 - old) / old, c) / c, z1 = 1 - Math.Min(Math.Abs(s1 - old) / old, c) / c;
        Assert.True(z0 > 0 && z0 < 1 && z1 > 0 && z1 < 1, $"S_old {old}, S {s0} and {s1}: z {z0} and {z1}");   // both partly open
        Assert.NotEqual(z0, z1);

        var term = SrateChunks.Compute(n => layers[n], hooks, k, new Random(8), target, 64, gate.Z, constrain: true, weight: lambda);
        Assert.Equal(new[] { s0, s1 }, term.Chunks.Select(ch => ch.S));
        Assert.Equal(z0, term.Chunks[0].Z, 12);
        Assert.Equal(z1, term.Chunks[1].Z, 12);
        double expected = lambda / k * (z0 * 0.5 * (s0 - target) * (s0 - target) + z1 * 0.5 * (s1 - target) * (s1 - target));
        Assert.Equal(expected, term.Loss!.item<float>(), 6);
        Assert.Equal(0.5 * (z0 + z1), term.MeanZ, 12);
    }

    [Fact]
    public void One_chunk_is_the_single_device_rule()
    {
        var layers = Layers(32);
        var term = SrateChunks.Compute(n => layers[n], new[] { "a", "b" }, 1, new Random(2), 0.3, 64, s => 0.5, constrain: true);
        string layer = new[] { "a", "b" }[new Random(2).Next(2)];
        var r = Srate.Measure(layers[layer], 64);
        Assert.Equal(layer, Assert.Single(term.Chunks).Layer);
        Assert.Equal(0.5 * 0.5 * (r.S - 0.3) * (r.S - 0.3), term.Loss!.item<float>(), 5);
    }

    [Fact]
    public void Closed_gates_and_record_mode_add_no_term()
    {
        var layers = Layers(32);
        var closed = SrateChunks.Compute(n => layers[n], new[] { "a" }, 2, new Random(1), 0.3, 64, s => 0, constrain: true);
        Assert.Null(closed.Loss);
        Assert.Equal(2, closed.Chunks.Count);
        var record = SrateChunks.Compute(n => layers[n], new[] { "a" }, 2, new Random(1), 0.3, 64, s => 1, constrain: false);
        Assert.Null(record.Loss);
        Assert.Equal(closed.MeanS, record.MeanS, 12);
    }

    [Fact]
    public void Uneven_batch_and_bad_option_name_the_fix()
    {
        var layers = Layers(30);
        var e = Assert.Throws<SelfSimException>(() => SrateChunks.Compute(n => layers[n], new[] { "a" }, 4, new Random(1), 0.3, 64, s => 1, true));
        Assert.Contains("multiple of 4", e.Message);
        var o = new TrainingOptions { BatchSize = 30, SrateChunks = 4 };
        Assert.Contains("--srate-chunks", Assert.Throws<SelfSimException>(() => o.Validate()).Message);
    }

    [Fact]
    public void Trainer_runs_the_chunked_term_and_records_S()
    {
        var (train, test) = TrainerTests.Toy(128);
        var o = new TrainingOptions
        {
            Model = "mlp",
            Dataset = "mnist",
            Epochs = 2,
            BatchSize = 32,
            LearningRate = 2e-3,
            WarmupEpochs = 1,
            Seed = 7,
            Deterministic = true,
            Srate = SrateMode.Constrain,
            SrateWeight = 1.0,
            SrateTarget = 0.5,
            SampleEvery = 1,
            ChangeLimit = 0.5,
            SrateScales = 64,
            Device = "cpu",
            SrateChunks = 2,
        };
        RunReport chunked, single;
        using (var t = new ClassifierTrainer(o, train, test)) chunked = t.Run();
        using (var t = new ClassifierTrainer(o with { SrateChunks = 1 }, train, test)) single = t.Run();
        Assert.InRange(chunked.Epochs[1].S, 0.0, 2.0);
        Assert.True(chunked.Epochs[1].Z > 0, "the gate opens in epoch 1 (S_old from epoch 0)");
        Assert.NotEqual(single.Epochs[1].TrainLoss, chunked.Epochs[1].TrainLoss); // a different term, not the k = 1 path
    }
}

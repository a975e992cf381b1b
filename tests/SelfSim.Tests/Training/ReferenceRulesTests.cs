using System;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Training;

/// <summary>The reference's training rules (Ding et al. 2025: main.py, run_training.sh, model/sup_model.py) as our defaults.</summary>
[Collection(TorchRngCollection.Name)]
public class ReferenceRulesTests
{
    // timm's CosineLRScheduler as main.py builds it (t_initial = epochs, warmup_prefix off), written out by hand:
    // t < W: 1e-6 + t (peak - 1e-6) / W; else 1e-5 + ½ (peak - 1e-5)(1 + cos(π t / T)).
    [Fact]
    public void Per_epoch_schedule_gives_timm_cosine_values_for_the_reference_200_epoch_run()
    {
        var o = new TrainingOptions { Epochs = 200, WarmupEpochs = 5 }; // lr 5e-4 × 64 / 512 = 6.25e-5
        Assert.Equal(6.25e-5, o.PeakLearningRate, 1e-18);
        var s = CosineWarmupSchedule.For(o, stepsPerEpoch: 100);
        double[] want = { 1e-06, 1.3300000000000001e-05, 5.02e-05, 6.241908001049462e-05, 3.625e-05, 1.000323839735641e-05 };
        int[] epochs = { 0, 1, 4, 5, 100, 199 };
        for (int i = 0; i < epochs.Length; i++)
        {
            Assert.Equal(want[i], s.AtUnit(epochs[i]), want[i] * 1e-12);
            Assert.Equal(want[i], s.At(epochs[i] * 100L), want[i] * 1e-12);      // first step of the epoch
            Assert.Equal(want[i], s.At(epochs[i] * 100L + 99), want[i] * 1e-12); // last step: one rate per epoch
        }
    }

    [Fact]
    public void A_20_epoch_run_scales_warm_up_and_refresh_to_one_epoch_and_keeps_the_cosine_over_20()
    {
        var o = new TrainingOptions { Epochs = 20, LearningRate = 5e-3 };
        Assert.Equal(1, o.EffectiveWarmupEpochs);
        Assert.Equal(1, o.EffectiveSampleEvery);
        Assert.Equal(5, new TrainingOptions { Epochs = 200 }.EffectiveSampleEvery);
        Assert.Equal(3, new TrainingOptions { Epochs = 100 }.EffectiveSampleEvery); // 2.5 rounds away from zero
        Assert.Equal(0, new TrainingOptions { Epochs = 1 }.EffectiveWarmupEpochs);  // a one-epoch run trains at the peak
        var s = CosineWarmupSchedule.For(o, 10);
        double[] want = { 1e-06, 0.0006212141647330048, 0.0003175, 1.3785835266995171e-05 }; // epochs 0, 1, 10, 19
        int[] epochs = { 0, 1, 10, 19 };
        for (int i = 0; i < epochs.Length; i++) Assert.Equal(want[i], s.AtUnit(epochs[i]), want[i] * 1e-12);
    }

    [Fact]
    public void The_trainer_applies_one_rate_per_epoch()
    {
        var (train, test) = TrainerTests.Toy(128);
        var o = new TrainingOptions { Model = "mlp", Epochs = 4, BatchSize = 32, LearningRate = 4e-3, WarmupEpochs = 1, Device = "cpu", Deterministic = true };
        using var t = new ClassifierTrainer(o, train, test);
        var rates = new System.Collections.Generic.List<(int Epoch, double Lr)>();
        t.Progress = p => { if (p.Phase == "train") rates.Add((p.Epoch, p.LearningRate)); };
        var r = t.Run();
        double peak = 4e-3 * 32 / 512;
        for (int e = 0; e < 4; e++)
        {
            double want = e == 0 ? 1e-6 : 1e-5 + 0.5 * (peak - 1e-5) * (1 + Math.Cos(Math.PI * e / 4));
            Assert.Equal(want, r.Epochs[e].LearningRate, 15);
            Assert.All(rates.Where(x => x.Epoch == e), x => Assert.Equal(want, x.Lr, 15));
        }
    }

    [Fact]
    public void Lambda_table_follows_run_training_sh_and_explicit_values_win()
    {
        Assert.Equal(5e-2, new TrainingOptions { Model = "vit" }.EffectiveSrateWeight);
        Assert.Equal(5e-2, new TrainingOptions { Model = "resmlp" }.EffectiveSrateWeight);
        Assert.Equal(1e-4, new TrainingOptions { Model = "poolformer" }.EffectiveSrateWeight);
        Assert.Equal(5e-7, new TrainingOptions { Model = "mixer", Dataset = "cifar100" }.EffectiveSrateWeight);
        Assert.Equal(1e-2, new TrainingOptions { Model = "mixer", Dataset = "fashion-mnist" }.EffectiveSrateWeight);
        Assert.Equal(5e-2, new TrainingOptions { Model = "mlp" }.EffectiveSrateWeight);
        Assert.Equal(0.3, new TrainingOptions { Model = "vit", SrateWeight = 0.3 }.EffectiveSrateWeight);
        var e = Assert.Throws<SelfSimException>(() => new TrainingOptions { Epochs = 10, WarmupEpochs = 0.5 }.Validate());
        Assert.Contains("--schedule per-step", e.Message);
    }

    [Fact]
    public void Reference_mlp_block_has_no_norm_no_dropout_and_the_exact_parameter_count()
    {
        // mlp_512 on 224×224×3: stem 150528·512 + 512, 5 × (512·2048 + 2048 + 2048·512 + 512), head 512·10 + 10.
        using (var paper = ModelZoo.Create("mlp", ModelScale.Paper, 3, 224, 10))
            Assert.Equal(150528L * 512 + 512 + 5 * (512L * 2048 + 2048 + 2048L * 512 + 512) + 512 * 10 + 10, paper.ParameterCount());
        Assert.Equal(87_574_538L, 150528L * 512 + 512 + 5 * (512L * 2048 + 2048 + 2048L * 512 + 512) + 512 * 10 + 10);
        torch.manual_seed(3);
        using var cpu = ModelZoo.Create("mlp", ModelScale.Cpu, 1, 28, 10);
        Assert.Equal(784L * 256 + 256 + 5 * (256L * 1024 + 1024 + 1024L * 256 + 256) + 2570, cpu.ParameterCount()); // 2,831,370
        Assert.Equal(new[] { "stem", "blocks.0", "blocks.1", "blocks.2", "blocks.3", "blocks.4" }, cpu.HookPoints);
        Assert.DoesNotContain(cpu.named_modules(), m => m.name.StartsWith("blocks") && m.module is TorchSharp.Modules.LayerNorm);
        Assert.DoesNotContain(cpu.named_modules(), m => m.name.StartsWith("blocks") && m.module is TorchSharp.Modules.Dropout);
        Assert.Single(cpu.named_modules(), m => m.module is TorchSharp.Modules.Dropout); // the 0.3 before the head

        // Block 0 computes x + fc2(gelu(fc1(x))) exactly, in train mode too (no dropout inside).
        cpu.train();
        var p = cpu.named_parameters().ToDictionary(kv => kv.name, kv => kv.parameter);
        using var cap = FeatureCapture.Attach(cpu, cpu.HookPoints);
        var x = rand(4, 1, 28, 28);
        cpu.call(x);
        var stem = cap["stem"].t();     // captured as [nodes, samples]
        var block0 = cap["blocks.0"].t();
        var hand = stem + nn.functional.linear(nn.functional.gelu(nn.functional.linear(stem, p["blocks.0.fc1.weight"], p["blocks.0.fc1.bias"])),
                                               p["blocks.0.fc2.weight"], p["blocks.0.fc2.bias"]);
        Assert.True(block0.allclose(hand, 1e-5, 1e-6));
        Assert.Equal(new long[] { 4, 256 }, block0.shape);
        Assert.Equal(new long[] { 1024, 256 }, p["blocks.0.fc1.weight"].shape);
        Assert.Equal(new long[] { 256, 1024 }, p["blocks.0.fc2.weight"].shape);

        using var pre = ModelZoo.Create("mlp-prenorm", ModelScale.Cpu, 1, 28, 10);
        Assert.Equal(cpu.ParameterCount() + 5 * 2 * 256, pre.ParameterCount()); // + LayerNorm weight and bias per block
    }
}

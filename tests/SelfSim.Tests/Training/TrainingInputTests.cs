using System;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Training;

/// <summary>The trainer's input pipeline: CPU defaults unchanged; --input-size and the DeiT recipe at tiny sizes (32 → 48 px).</summary>
[Collection(TorchRngCollection.Name)]
public class TrainingInputTests
{
    static TrainingOptions Deit48 => new()
    {
        Model = "mlp",
        Dataset = "cifar10",
        Epochs = 1,
        BatchSize = 64,
        InputSize = 48,
        DeitAugment = true,
        LabelSmoothing = 0.1,
        Seed = 3,
        Deterministic = true,
        Device = "cpu",
    };

    [Fact]
    public void Cpu_defaults_keep_the_native_size_and_the_padded_crop()
    {
        var (train, _) = TrainerTests.Toy(64, size: 32, channels: 3);
        var input = new TrainingInput(new TrainingOptions { Dataset = "cifar10" }, train);
        Assert.Equal((32, false, true), (input.Size, input.Deit, input.CropFlip));
        var raw = train.Images.narrow(0, 0, 8);
        var (x, soft) = input.TrainBatch(raw, train.Labels.narrow(0, 0, 8), new Random(4));
        Assert.Null(soft);
        Assert.True(x.allclose(train.Normalize(ImageAugment.RandomCropFlip(raw, new Random(4))), rtol: 0, atol: 0));
        Assert.Same(raw, input.EvalBatch(raw));
    }

    [Fact]
    public void Paper_scale_means_224_px_and_the_DeiT_recipe()
    {
        var paper = new TrainingOptions { Scale = ModelScale.Paper };
        Assert.Equal(224, paper.EffectiveInputSize(32));
        Assert.True(paper.EffectiveDeitAugment);
        Assert.Equal(96, (paper with { InputSize = 96 }).EffectiveInputSize(32));
        Assert.False((paper with { DeitAugment = false }).EffectiveDeitAugment);
        var cpu = new TrainingOptions();
        Assert.Equal(28, cpu.EffectiveInputSize(28));
        Assert.False(cpu.EffectiveDeitAugment);
        Assert.Contains("--input-size", Assert.Throws<SelfSimException>(() => (cpu with { InputSize = 4 }).Validate()).Message);
    }

    [Fact]
    public void DeiT_batch_is_48_px_with_mixed_smoothed_soft_targets_and_eval_is_resize_54_centre_crop_48()
    {
        var (train, _) = TrainerTests.Toy(64, size: 32, channels: 3);
        var input = new TrainingInput(Deit48, train);
        Assert.Equal((48, true), (input.Size, input.Deit));
        manual_seed(1);
        var (x, soft) = input.TrainBatch(train.Images, train.Labels, new Random(1));
        Assert.Equal(new long[] { 64, 3, 48, 48 }, x.shape);
        Assert.NotNull(soft);
        Assert.Equal(new long[] { 64, 4 }, soft!.shape);

        // Soft targets: λ·y + (1 − λ)·flip(y), y the one-hot smoothed to 1 − 0.1 + 0.1/4 on the label and 0.1/4 elsewhere.
        var y = nn.functional.one_hot(train.Labels, 4).to(ScalarType.Float64) * 0.9 + 0.025;
        var yf = y.flip(0);
        var t = soft.to(ScalarType.Float64);
        // λ from one row whose two labels differ, then every row must agree with it.
        int row = Enumerable.Range(0, 64).First(i => train.Labels[i].item<long>() != train.Labels[63 - i].item<long>());
        long a = train.Labels[row].item<long>(), b = train.Labels[63 - row].item<long>();
        double lambda = (t[row, a].item<double>() - yf[row, a].item<double>()) / (y[row, a].item<double>() - yf[row, a].item<double>());
        Assert.InRange(lambda, 0.0, 1.0);
        Assert.True(t.allclose(y * lambda + yf * (1 - lambda), rtol: 0, atol: 1e-6), "soft targets are not one λ-mix of smoothed one-hots");
        Assert.True(t.sum(1).allclose(ones(64, dtype: ScalarType.Float64), rtol: 0, atol: 1e-6));

        // The soft-target loss is −Σ t log softmax, averaged.
        var logits = randn(64, 4);
        double byHand = -(soft * nn.functional.log_softmax(logits, 1)).sum().item<float>() / 64;
        Assert.Equal(byHand, MixupCutmix.SoftCrossEntropy(logits, soft).item<float>(), 5);

        // Eval: shorter side to ⌊48 / 0.875⌋ = 54 (bicubic), centre 48×48 (offset 3).
        var eval = input.EvalBatch(train.Images);
        Assert.Equal(new long[] { 64, 3, 48, 48 }, eval.shape);
        var expected = nn.functional.interpolate(train.Images, new long[] { 54, 54 }, mode: InterpolationMode.Bicubic, align_corners: false)
            .clamp(0, 1).narrow(2, 3, 48).narrow(3, 3, 48);
        Assert.True(eval.allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Trainer_builds_the_model_for_48_px_and_trains_one_step_on_soft_targets()
    {
        var (train, test) = TrainerTests.Toy(64, size: 32, channels: 3);
        var o = Deit48;
        Tensor? seen = null;
        RunReport report;
        using (var t = new ClassifierTrainer(o, train, test) { BatchHook = (e, s, x) => seen = x.detach().clone().DetachFromDisposeScope() })
        {
            Assert.Equal(48, t.Input.Size);
            report = t.Run();   // the evaluation at 48 px would fail on 32-px images: the MLP is built for 3·48·48 inputs
        }
        Assert.Equal("completed", report.Status);
        Assert.Equal(new long[] { 64, 3, 48, 48 }, seen!.shape);
        Assert.InRange(report.Epochs[0].TestTop1, 0.0, 100.0);

        // Replay the step: same initial weights, same epoch streams, the same pipeline, the soft-target cross-entropy.
        manual_seed(o.Seed);
        using var model = ModelZoo.Create("mlp", ModelScale.Cpu, 3, 48, 4);
        int epochSeed = ClassifierTrainer.EpochSeed(o.Seed, 0);
        manual_seed(epochSeed);
        var perm = randperm(64);
        var (x, soft) = new TrainingInput(o, train).TrainBatch(train.Images.index_select(0, perm), train.Labels.index_select(0, perm), new Random(epochSeed));
        Assert.True(x.allclose(seen!, rtol: 0, atol: 0), "the trainer's batch is the pipeline's");
        model.train();
        double ce = MixupCutmix.SoftCrossEntropy(model.call(x), soft!).item<float>();
        Assert.Equal(ce, report.Epochs[0].TrainCe, 4);
        double hard = nn.functional.cross_entropy(model.call(x), train.Labels.index_select(0, perm), label_smoothing: 0.1).item<float>();
        Assert.NotEqual(Math.Round(hard, 4), Math.Round(report.Epochs[0].TrainCe, 4));
    }
}

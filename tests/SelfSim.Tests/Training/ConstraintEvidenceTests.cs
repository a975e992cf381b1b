using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Training;

/// <summary>Issue 20: literal targets, the target=baseline variant, the gradient-share log and the activation-scale control.</summary>
[Collection(TorchRngCollection.Name)]
public class ConstraintEvidenceTests
{
    [Theory]
    [InlineData("vit", "cifar10", 0.3)]
    [InlineData("mlp", "fashion-mnist", 0.3)]
    [InlineData("mixer", "cifar100", 0.2)]
    [InlineData("mixer", "imagenette", 0.3)]
    [InlineData("resmlp", "imagenette", 0.2)]
    [InlineData("resmlp", "cifar10", 0.3)]
    public void The_reference_target_is_run_training_sh_s_literal_value(string model, string dataset, double target) =>
        Assert.Equal(target, TrainingOptions.ReferenceSrateTarget(model, dataset));

    [Fact]
    public void Arms_default_to_the_reference_target_and_name_the_variants()
    {
        var arms = ExperimentArm.Parse("lambda=0.5; lambda=0.5 target=0.1; lambda=0.5 target=baseline; lambda=0.5 control=scale; target=reference");
        Assert.Equal(new[] { TargetRule.Reference, TargetRule.Fixed, TargetRule.Baseline, TargetRule.Reference, TargetRule.Reference },
                     arms.Select(a => a.Rule));
        Assert.Equal(new[] { "lambda0.5", "lambda0.5-target0.1", "lambda0.5-targetBase", "lambda0.5-scaleControl", "targetRef" },
                     arms.Select(a => a.Name));
        Assert.Equal(0.1, arms[1].Target);
        Assert.Equal(SratePenalty.ActivationScale, arms[3].Penalty);
        Assert.All(arms.Where((_, i) => i != 3), a => Assert.Equal(SratePenalty.Srate, a.Penalty));
        var e = Assert.Throws<SelfSimException>(() => ExperimentArm.Parse("control=norm"));
        Assert.Contains("control=scale", e.Message);
        var template = new TrainingOptions { Model = "mixer", Dataset = "cifar10" };
        Assert.Equal((0.2, "reference"), arms[0].ResolveTarget(template, "unused"));
        Assert.Equal((0.1, "fixed"), arms[1].ResolveTarget(template, "unused"));
    }

    [Fact]
    public void The_default_arm_trains_toward_0_3_and_target_baseline_toward_that_seeds_baseline_S()
    {
        var (train, test) = TrainerTests.Toy(128);
        using var dir = new TempDir();
        var template = ExperimentRunnerTests.Template(); // the runner tests' tiny grid settings
        RunReport Train(TrainingOptions o, bool resume) { using var t = new ClassifierTrainer(o, train, test); return t.Run(resume); }
        var arms = ExperimentArm.Parse("name=lit lambda=1; name=base lambda=1 target=baseline");
        ExperimentRunner.Run(template, new[] { 3 }, dir.Path, Train, default, arms);
        string Dir(string arm) => ExperimentRunner.RunFolder(dir.Path, "mlp", "mnist", arm, 3);
        var lit = RunLog.Read(Dir("lit")).Options;
        Assert.Equal(0.3, lit.SrateTarget);
        Assert.Equal("reference", lit.SrateTargetRule);
        var baseline = RunLog.Read(Dir("baseline"));
        var based = RunLog.Read(Dir("base")).Options;
        Assert.Equal(baseline.Epochs[^1].S, based.SrateTarget);
        Assert.Equal("baseline", based.SrateTargetRule);
        Assert.Null(baseline.Options.SrateTargetRule);
        // metrics.json spells the rule out, and the per-epoch CSV carries the evidence columns.
        Assert.Contains("\"srateTargetRule\": \"reference\"", File.ReadAllText(Path.Combine(Dir("lit"), RunLog.JsonName)));
        var csv = File.ReadAllLines(Path.Combine(Dir("lit"), RunLog.CsvName));
        Assert.Contains("s_minus_target,term_steps,grad_ratio,grad_cos,scale_cos", csv[0]);
        var last = RunLog.Read(Dir("lit")).Epochs[^1];
        Assert.Equal(last.S - 0.3, last.SMinusTarget, 12);
        Assert.True(last.TermStepFraction > 0, "the gate opened on some step of epoch 1 (c = 0.5)");
        Assert.True(last.GradRatio > 0 && double.IsFinite(last.GradRatio));
        Assert.InRange(last.GradCosine, -1, 1);
        Assert.InRange(Math.Abs(last.ScaleCosine), 0.5, 1.0);
        Assert.True(double.IsNaN(baseline.Epochs[^1].GradRatio), "a baseline has no term, so no ratio");
    }

    [Fact]
    public void Backward_apart_gives_the_hand_computed_ratio_and_cosine_and_leaves_the_summed_gradient()
    {
        // ce = a·w, term = b·w on a leaf w: ∇ce = a, ∇term = b, so ratio = |b|/|a| and cos = a·b/(|a||b|).
        var w = tensor(new[] { 1.0, -2.0, 0.5 }, dtype: ScalarType.Float64).requires_grad_(true);
        var v = tensor(new[] { 3.0 }, dtype: ScalarType.Float64).requires_grad_(true); // only in ce
        var a = tensor(new[] { 1.0, 2.0, 2.0 }, dtype: ScalarType.Float64);
        var b = tensor(new[] { 0.0, 3.0, -4.0 }, dtype: ScalarType.Float64);
        var shared = w * 1.0;   // both losses share part of the graph, as in training
        var ce = (shared * a).sum() + (v * v).sum();
        var term = (shared * b).sum();
        var parameters = new List<Tensor> { w, v };
        void Zero() { foreach (var p in parameters) p.grad?.zero_(); }
        var share = GradientShares.BackwardApart(parameters, Zero, ce, term);
        // |∇ce| over (w, v) = sqrt(1+4+4+36) = sqrt(45); |∇term| = 5; a·b = 0 + 6 − 8 = −2.
        Assert.Equal(5 / Math.Sqrt(45), share.Ratio, 12);
        Assert.Equal(-2 / (5 * Math.Sqrt(45)), share.Cosine, 12);
        Assert.Equal(new[] { 1.0, 5.0, -2.0 }, w.grad!.data<double>().ToArray());
        Assert.Equal(6.0, v.grad!.item<double>());
    }

    [Fact]
    public void The_scale_control_pushes_along_x_exactly_as_far_as_the_Srate_gradient_does()
    {
        var g = new Generator(4);
        var x = randn(48, 32, dtype: ScalarType.Float64, generator: g).requires_grad_(true);
        var srate = SrateChunks.Compute(_ => x, new[] { "a" }, 1, new Random(1), 0.3, 64, _ => 0.8, constrain: true, weight: 2.0);
        srate.Loss!.backward();
        var gs = x.grad!.clone();
        x.grad!.zero_();
        var control = SrateChunks.Compute(_ => x, new[] { "a" }, 1, new Random(1), 0.3, 64, _ => 0.8, constrain: true, weight: 2.0,
                                          penalty: SratePenalty.ActivationScale);
        control.Loss!.backward();
        var gc = x.grad!.clone();
        var xd = x.detach();
        // The control's gradient is a·x, and a·x is the projection of the Srate term's gradient onto x.
        double coeff = gs.mul(xd).sum().item<double>() / xd.pow(2).sum().item<double>();
        Assert.True(allclose(gc, xd * coeff, rtol: 1e-9, atol: 1e-14));
        Assert.Equal(srate.Chunks[0].S, control.Chunks[0].S, 14);
        Assert.Equal(srate.Chunks[0].ScaleCosine, control.Chunks[0].ScaleCosine, 12);
        double cos = gs.mul(xd).sum().item<double>() / (gs.norm().item<double>() * xd.norm().item<double>());
        Assert.Equal(cos, srate.Chunks[0].ScaleCosine, 9);
        // Its norm is |cos| times the Srate gradient's: the scale part of the push, and nothing else.
        Assert.Equal(Math.Abs(cos) * gs.norm().item<double>(), gc.norm().item<double>(), 9);
    }
}

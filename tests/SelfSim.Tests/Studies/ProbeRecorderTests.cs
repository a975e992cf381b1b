using System;
using System.Collections.Generic;
using System.Linq;
using SelfSim.Tests.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Studies;

[Collection(TorchRngCollection.Name)]
public class ProbeRecorderTests
{
    static TrainingOptions Tiny(string model = "mlp", int epochs = 2) => new()
    {
        Model = model,
        Dataset = "mnist",
        Epochs = epochs,
        BatchSize = 32,
        LearningRate = 2e-3,
        WarmupEpochs = 0.5,
        Schedule = LrSchedule.PerStep,
        ScaleLearningRate = false,
        Seed = 7,
        Deterministic = true,
        Srate = SrateMode.Record,
        SrateScales = 64,
        Device = "cpu",
    };

    [Fact]
    public void Records_every_layer_at_initialisation_and_after_each_epoch()
    {
        var (train, test) = TrainerTests.Toy();
        using var trainer = new ClassifierTrainer(Tiny(), train, test);
        var phases = new List<string>();
        trainer.Progress = p => phases.Add(p.Phase);
        var recorder = new ProbeRecorder(NodeMatrix.ProbeBatch(test, 32));
        var report = recorder.Train(trainer);

        int layers = trainer.Model.HookPoints.Count;
        Assert.Equal(3 * layers, recorder.Records.Count);
        Assert.Equal(new[] { 0, 1, 2 }, recorder.Records.Select(r => r.Epoch).Distinct().ToArray());
        Assert.Contains("epoch", phases);                    // the trainer's own callback still ran
        Assert.All(recorder.Records.Where(r => r.Epoch == 0), r => Assert.True(double.IsNaN(r.TestTop1)));
        for (int e = 1; e <= 2; e++)
            Assert.All(recorder.Records.Where(r => r.Epoch == e), r => Assert.Equal(report.Epochs[e - 1].TestTop1, r.TestTop1));
        // the trainer's per-layer S on training batches is carried where that layer was drawn
        foreach (var r in recorder.Records.Where(r => r.Epoch > 0))
            Assert.Equal(report.Epochs[r.Epoch - 1].SByLayer.TryGetValue(r.Layer, out var s) ? s : double.NaN, r.TrainingS);
        Assert.All(recorder.Records, r => Assert.True(double.IsFinite(r.S) && r.S > 0, $"{r.Layer} epoch {r.Epoch}: S = {r.S}"));
        // training changed the weights, so the probe measures changed
        var s0 = recorder.Records.Where(r => r.Epoch == 0).Select(r => r.S).ToArray();
        var s2 = recorder.Records.Where(r => r.Epoch == 2).Select(r => r.S).ToArray();
        Assert.NotEqual(s0, s2);
        Assert.True(recorder.MeasureSeconds > 0);
    }

    [Fact]
    public void Epoch_zero_equals_a_survey_of_the_freshly_built_model()
    {
        var (train, test) = TrainerTests.Toy();
        var probe = NodeMatrix.ProbeBatch(test, 32);
        using var a = new ClassifierTrainer(Tiny(epochs: 1), train, test);
        var direct = LayerMeasures.Survey(a.Model, probe);
        var recorder = new ProbeRecorder(probe);
        using var b = new ClassifierTrainer(Tiny(epochs: 1), train, test);
        recorder.Train(b);
        var zero = recorder.Records.Where(r => r.Epoch == 0).ToList();
        Assert.Equal(direct.Select(d => d.S), zero.Select(z => z.S));
        Assert.Equal(direct.Select(d => d.BoxDimension), zero.Select(z => z.BoxDimension));
    }

    [Fact]
    public void Pearson_matches_a_hand_computed_value()
    {
        // x = 1..4, y = 2, 4, 5, 9: Sxy = 11, Sxx = 5, Syy = 26, r = 11 / sqrt(130) = 0.964764
        Assert.Equal(0.9647638, ProbeRecorder.Pearson(new[] { 1.0, 2, 3, 4 }, new[] { 2.0, 4, 5, 9 }), 6);
        Assert.Equal(-1.0, ProbeRecorder.Pearson(new[] { 1.0, 2, 3 }, new[] { 3.0, 2, 1 }), 12);
        Assert.True(double.IsNaN(ProbeRecorder.Pearson(new[] { 1.0, 1, 1 }, new[] { 1.0, 2, 3 })));
        Assert.True(double.IsNaN(ProbeRecorder.Pearson(new[] { 1.0, 2 }, new[] { 1.0, 2 })));
    }

    [Fact]
    public void Rejects_a_probe_that_is_not_an_image_batch()
    {
        var e = Assert.Throws<SelfSimException>(() => new ProbeRecorder(zeros(4, 4)));
        Assert.Contains("NodeMatrix.ProbeBatch", e.Message);
    }
}

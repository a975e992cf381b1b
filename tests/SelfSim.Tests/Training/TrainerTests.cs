using System;
using System.IO;
using System.Linq;
using System.Threading;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Training;

public sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "selfsim-train-" + Guid.NewGuid().ToString("N")[..8]);
    public TempDir() => Directory.CreateDirectory(Path);
    public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
}

[Collection(TorchRngCollection.Name)]
public class TrainerTests
{
    /// <summary>A learnable toy set: the label is the brightest of 4 quadrant-ish pixel groups (+ noise).</summary>
    internal static (ImageDataset Train, ImageDataset Test) Toy(int n = 256, int size = 8, int channels = 1, int classes = 4)
    {
        var g = new Generator(123);
        var x = rand(new long[] { n + 64, channels, size, size }, generator: g);
        var y = randint(0, classes, new long[] { n + 64 }, generator: g);
        for (int i = 0; i < n + 64; i++) // brighten one row band per class
            x[i, TensorIndex.Colon, TensorIndex.Slice(y[i].item<long>() * (size / classes), (y[i].item<long>() + 1) * (size / classes))].add_(0.5);
        x = x.clamp(0, 1);
        var mean = Enumerable.Repeat(0.5f, channels).ToArray();
        var std = Enumerable.Repeat(0.3f, channels).ToArray();
        return (new ImageDataset("toy/train", x.narrow(0, 0, n), y.narrow(0, 0, n), classes, mean, std),
                new ImageDataset("toy/test", x.narrow(0, n, 64), y.narrow(0, n, 64), classes, mean, std));
    }

    static TrainingOptions Tiny(string? outDir, SrateMode mode = SrateMode.Constrain) => new()
    {
        Model = "mlp",
        Dataset = "mnist",
        Epochs = 3,
        BatchSize = 32,
        LearningRate = 2e-3,
        WarmupEpochs = 0.5,
        Schedule = LrSchedule.PerStep,
        ScaleLearningRate = false,
        Seed = 7,
        Deterministic = true,
        Srate = mode,
        SrateWeight = 1.0,
        SrateTarget = 0.5,
        SampleEvery = 1,
        ChangeLimit = 0.5,
        SrateScales = 64,
        Device = "cpu",
        OutDir = outDir,
    };

    static void AssertSameEpoch(EpochRecord a, EpochRecord b)
    {
        Assert.Equal(a.Epoch, b.Epoch);
        Assert.Equal(a.TrainLoss, b.TrainLoss);
        Assert.Equal(a.TrainCe, b.TrainCe);
        Assert.Equal(a.S, b.S);
        Assert.Equal(a.Z, b.Z);
        Assert.Equal(a.OldS, b.OldS);
        Assert.Equal(a.TestTop1, b.TestTop1);
        Assert.Equal(a.TestLoss, b.TestLoss);
        Assert.Equal(a.LearningRate, b.LearningRate);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]   // the reference's 2-GPU term: 2 layers on 2 chunks of 16, each with its own z against the shared S_old
    public void Resume_continues_exactly_like_an_uninterrupted_run(int chunks)
    {
        TrainingOptions Tiny(string? outDir) => TrainerTests.Tiny(outDir) with { SrateChunks = chunks };
        var (train, test) = Toy();
        using var full = new TempDir();
        using var cut = new TempDir();
        RunReport straight;
        using (var t = new ClassifierTrainer(Tiny(full.Path), train, test)) straight = t.Run();
        Assert.Equal("completed", straight.Status);
        Assert.Equal(3, straight.Epochs.Count);
        Assert.Equal(0.0, straight.Epochs[0].Z);                 // gate closed in epoch 0
        Assert.True(straight.Epochs[1].Z > 0, "the gate should open once S_old exists");
        Assert.True(straight.Epochs.All(e => double.IsFinite(e.S) && e.SByLayer.Count > 0));
        for (int e = 1; e < 3; e++)   // S_old (refreshed every epoch here) is the previous epoch's mean S over all its chunks
            Assert.Equal(straight.Epochs[e - 1].S, straight.Epochs[e].OldS);
        Assert.True(straight.Epochs.All(e => e.ZByLayer.Keys.All(e.SByLayer.ContainsKey) && e.GateOpenFraction is >= 0 and <= 1));

        using var cts = new CancellationTokenSource();
        RunReport interrupted;
        using (var t = new ClassifierTrainer(Tiny(cut.Path), train, test))
        {
            t.Progress = p => { if (p.Phase == "epoch" && p.Epoch == 1) cts.Cancel(); };
            interrupted = t.Run(cancel: cts.Token);
        }
        Assert.Equal("interrupted", interrupted.Status);
        Assert.Equal(2, interrupted.Epochs.Count);

        RunReport resumed;
        using (var t = new ClassifierTrainer(Tiny(cut.Path), train, test)) resumed = t.Run(resume: true);
        Assert.Equal("completed", resumed.Status);
        Assert.Equal(3, resumed.Epochs.Count);
        for (int e = 0; e < 3; e++) AssertSameEpoch(straight.Epochs[e], resumed.Epochs[e]);

        // What is on disk agrees with what was returned.
        var onDisk = RunLog.Read(cut.Path);
        Assert.Equal("completed", onDisk.Status);
        AssertSameEpoch(resumed.Epochs[2], onDisk.Epochs[2]);
        Assert.Equal(straight.Epochs[2].ZByLayer, resumed.Epochs[2].ZByLayer);
        Assert.Equal(straight.Epochs[2].SByLayer, resumed.Epochs[2].SByLayer);
        var csv = File.ReadAllLines(Path.Combine(cut.Path, RunLog.CsvName));
        Assert.Equal(4, csv.Length);
        Assert.StartsWith("epoch,train_loss,train_ce,srate_loss,s,z,gate_open,s_old", csv[0]);
        Assert.Contains("s_blocks.4", csv[0]);
        Assert.Empty(Directory.GetFiles(cut.Path, "*.tmp"));
    }

    [Fact]
    public void Resume_with_other_settings_is_refused_with_the_fix()
    {
        var (train, test) = Toy(128);
        using var dir = new TempDir();
        using (var t = new ClassifierTrainer(Tiny(dir.Path, SrateMode.Off) with { Epochs = 1 }, train, test)) t.Run();
        using var t2 = new ClassifierTrainer(Tiny(dir.Path, SrateMode.Off) with { Epochs = 1, LearningRate = 0.1 }, train, test);
        var e = Assert.Throws<SelfSimException>(() => t2.Run(resume: true));
        Assert.Contains("lr", e.Message);
        Assert.Contains("new --out folder", e.Message);
    }

    [Fact]
    public void Non_finite_loss_stops_and_keeps_the_last_good_checkpoint()
    {
        var (train, test) = Toy(128);
        using var dir = new TempDir();
        using var t = new ClassifierTrainer(Tiny(dir.Path, SrateMode.Record), train, test);
        t.BatchHook = (epoch, step, x) => { if (epoch == 1 && step == 2) x.fill_(float.NaN); };
        var e = Assert.Throws<TrainingDivergedException>(() => t.Run());
        Assert.Equal(1, e.Epoch);
        Assert.Equal(2, e.Step);
        Assert.Equal(0, e.LastGoodEpoch);
        Assert.Contains("epoch 0", e.Message);
        Assert.Contains("Lower --lr", e.Message);

        var ckpt = Path.Combine(dir.Path, TrainingCheckpoint.FileName);
        var state = TrainingCheckpoint.ReadState(ckpt);
        Assert.Equal(0, state.Epoch);
        Assert.Single(state.Epochs);
        var report = RunLog.Read(dir.Path);
        Assert.Equal("diverged", report.Status);
        Assert.Single(report.Epochs);

        // The kept checkpoint loads and its weights are finite.
        using var fresh = new ClassifierTrainer(Tiny(dir.Path, SrateMode.Record), train, test);
        var again = fresh.Run(resume: true);            // no BatchHook: training goes on from epoch 1
        Assert.Equal("completed", again.Status);
        Assert.True(fresh.Model.parameters().All(p => p.isfinite().all().item<bool>()));
    }

    [Fact]
    public void Record_mode_measures_S_without_changing_training()
    {
        var (train, test) = Toy(128);
        RunReport off, rec;
        using (var t = new ClassifierTrainer(Tiny(null, SrateMode.Off) with { Epochs = 2 }, train, test)) off = t.Run();
        using (var t = new ClassifierTrainer(Tiny(null, SrateMode.Record) with { Epochs = 2 }, train, test)) rec = t.Run();
        Assert.True(double.IsNaN(off.Epochs[1].S));
        Assert.InRange(rec.Epochs[1].S, 0.0, 2.0);
        Assert.Equal(0.0, rec.Epochs[1].Z);
        Assert.Equal(off.Epochs[1].TrainCe, rec.Epochs[1].TrainCe);   // same weights, same draws: S recording is passive
        Assert.Equal(off.Epochs[1].TestTop1, rec.Epochs[1].TestTop1);
    }

    [Fact]
    public void Target_from_a_baseline_run_is_its_last_epoch_mean_S()
    {
        var (train, test) = Toy(128);
        using var dir = new TempDir();
        RunReport rec;
        using (var t = new ClassifierTrainer(Tiny(dir.Path, SrateMode.Record) with { Epochs = 1 }, train, test)) rec = t.Run();
        Assert.Equal(rec.Epochs[^1].S, RunLog.FinalS(dir.Path));
        using var off = new TempDir();
        using (var t = new ClassifierTrainer(Tiny(off.Path, SrateMode.Off) with { Epochs = 1 }, train, test)) t.Run();
        Assert.Contains("--record-srate", Assert.Throws<SelfSimException>(() => RunLog.FinalS(off.Path)).Message);
    }

    [Fact]
    public void Options_with_impossible_values_are_refused_with_the_fix()
    {
        Assert.Contains("--batch-size", Assert.Throws<SelfSimException>(() => (Tiny(null) with { BatchSize = 1 }).Validate()).Message);
        Assert.Contains("--epochs", Assert.Throws<SelfSimException>(() => (Tiny(null) with { Epochs = 0 }).Validate()).Message);
        Assert.Contains("cifar10", Assert.Throws<SelfSimException>(() => (Tiny(null) with { Dataset = "svhn" }).Validate()).Message);
    }
}

using System;
using System.CommandLine;
using System.IO;
using SelfSim.Cli;
using Xunit;

namespace SelfSim.Tests.Training;

[Collection("Console")]
public class TrainCommandTests
{
    static (int Code, string Out) Cli(params string[] args)
    {
        var root = new RootCommand { new TrainCommand().Create() };
        var outWriter = new StringWriter();
        var old = Console.Out;
        Console.SetOut(outWriter);
        try { return (CliErrors.InvokeAsync(root, args).GetAwaiter().GetResult(), outWriter.ToString()); }
        finally { Console.SetOut(old); }
    }

    [Fact]
    public void Train_records_S_then_a_constrained_run_takes_its_target_from_that_run()
    {
        using var dir = new TempDir();
        string baseline = Path.Combine(dir.Path, "base"), constrained = Path.Combine(dir.Path, "con");
        string[] common = { "--model", "mlp", "--dataset", "mnist", "--epochs", "1", "--batch-size", "32", "--train-limit", "320",
                            "--test-limit", "200", "--device", "cpu", "--plain", "--data", RepoPaths.Data };
        var (code, text) = Cli(["train", .. common, "--record-srate", "--out", baseline]);
        Assert.True(code == 0, text);
        Assert.Contains("epoch 1/1", text);
        Assert.Contains("completed", text);
        double s = RunLog.FinalS(baseline);

        (code, text) = Cli(["train", .. common, "--srate-target-from", baseline, "--srate-weight", "0.5", "--out", constrained]);
        Assert.True(code == 0, text);
        var report = RunLog.Read(constrained);
        Assert.Equal(SrateMode.Constrain, report.Options.Srate);
        Assert.Equal(s, report.Options.SrateTarget);
        Assert.Equal(0.5, report.Options.SrateWeight);
        Assert.True(File.Exists(Path.Combine(constrained, TrainingCheckpoint.FileName)));
    }

    [Fact]
    public void Conflicting_or_bad_options_exit_1_with_one_line()
    {
        using var dir = new TempDir();
        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        try
        {
            Assert.Equal(1, Cli("train", "--out", dir.Path, "--record-srate", "--srate-target", "0.2").Code);
            Assert.Equal(1, Cli("train", "--out", dir.Path, "--model", "alexnet").Code);
            Assert.Equal(1, Cli("train", "--out", dir.Path, "--resume", "--data", RepoPaths.Data, "--train-limit", "64").Code);
        }
        finally { Console.SetError(old); }
        var lines = err.ToString();
        Assert.Contains("--record-srate measures S without the constraint", lines);
        Assert.Contains("Unknown model 'alexnet'", lines);
        Assert.Contains("No checkpoint", lines);
    }
}

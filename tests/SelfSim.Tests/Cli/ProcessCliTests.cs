using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SelfSim.Cli;
using Xunit;

namespace SelfSim.Tests.Cli;

/// <summary>
/// Issue 25 through a real selfsim process: what only a process shows (the locale it starts in, the signals it is sent).
/// Tiny MNIST runs (data/mnist), a few seconds each.
/// </summary>
[Collection("Runner")]
public sealed class ProcessCliTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "selfsim-proc-" + Guid.NewGuid().ToString("N")[..8]);
    public ProcessCliTests() => Directory.CreateDirectory(_dir);
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    static readonly string[] Tiny = { "--model", "mlp", "--dataset", "mnist", "--batch-size", "32", "--test-limit", "64",
                                      "--device", "cpu", "--plain", "--data", RepoPaths.Data };

    static Process Start(string lang, params string[] args)
    {
        // A background job of a non-interactive shell (`.ci/run &`, nohup) starts with SIGINT ignored,
        // and the child would inherit that; coreutils' env resets INT and TERM to their defaults.
        var psi = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--default-signal=INT,TERM");
        psi.ArgumentList.Add(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
        psi.ArgumentList.Add(typeof(CliRoot).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LANG"] = lang; psi.Environment["LC_ALL"] = lang;
        psi.Environment.Remove("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT");
        return Process.Start(psi)!;
    }

    [Fact]
    public async Task Under_a_German_locale_lr_0_0005_is_read_as_0_0005()
    {
        var run = Path.Combine(_dir, "de");
        using var p = Start("de_DE.UTF-8", ["train", .. Tiny, "--epochs", "1", "--train-limit", "64",
                                           "--lr", "0.0005", "--srate-target", "0.35", "--out", run]);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(4)).Token);
        Assert.True(p.ExitCode == 0, await stderr + await stdout);
        var report = RunLog.Read(run);
        Assert.Equal(0.0005, report.Options.LearningRate);
        Assert.Equal(0.35, report.Options.SrateTarget);
        Assert.True(report.Epochs[0].TrainLoss < 10, $"loss {report.Epochs[0].TrainLoss}");
        Assert.Contains("lr ", await stdout);
        Assert.DoesNotMatch(@"loss \d+,\d", await stdout);        // printed with a decimal point
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_signal_during_train_records_interrupted_and_keeps_the_last_finished_epoch(string signal)
    {
        var run = Path.Combine(_dir, signal);
        using var p = Start("C.UTF-8", ["train", .. Tiny, "--epochs", "200", "--train-limit", "96", "--out", run]);
        var stderr = p.StandardError.ReadToEndAsync();
        var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4)).Token;
        string? line;
        while ((line = await p.StandardOutput.ReadLineAsync(deadline)) is not null && !line.Contains("epoch 2/200")) { }
        Assert.NotNull(line);
        using (var kill = Process.Start("kill", new[] { "-" + signal, p.Id.ToString() })) await kill.WaitForExitAsync(deadline);
        var rest = await p.StandardOutput.ReadToEndAsync(deadline);
        await p.WaitForExitAsync(deadline);
        Assert.True(p.ExitCode != 0, rest);
        var report = RunLog.Read(run);
        Assert.True(report.Status == "interrupted", $"status {report.Status}; {rest} {await stderr}");
        Assert.True(report.Epochs.Count >= 2, $"{report.Epochs.Count} epochs kept");
        var state = TrainingCheckpoint.ReadState(Path.Combine(run, TrainingCheckpoint.FileName));
        Assert.Equal(report.Epochs.Count - 1, state.Epoch);
        Assert.Contains("--resume", report.Message);
    }
}

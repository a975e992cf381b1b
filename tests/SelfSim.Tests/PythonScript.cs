using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace SelfSim.Tests;

/// <summary>Runs a script of tests/python with Debian's /usr/bin/python3 (python3-torch, numpy; .ci/run installs them).</summary>
public static class PythonScript
{
    public const string Python = "/usr/bin/python3";

    public static string Run(string script, params string[] args) =>
        RunFile(Path.Combine("tests", "python", script), args);

    /// <summary>Runs a script at <paramref name="pathFromRoot"/> (relative to the repository root, e.g.
    /// tools/checks/words_lognormal_lr.py) and returns its stdout.</summary>
    public static string RunFile(string pathFromRoot, params string[] args)
    {
        string script = Path.GetFileName(pathFromRoot);
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, pathFromRoot));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Python}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{script} failed ({p.ExitCode}); it needs {Python} with python3-torch and numpy:\n{stderr.Result}");
        return stdout;
    }
}

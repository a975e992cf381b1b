using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace SelfSim.Tests.Notebooks;

/// <summary>
/// The Jupyter side of the real-kernel tests. Jupyter itself (Debian's jupyter-notebook, python3-nbconvert,
/// python3-nbclient) must be installed; .ci/run installs it. The .NET (C#) kernelspec is provisioned here when the
/// user has not registered one: `dotnet tool restore` (the kernel pinned in .config/dotnet-tools.json) and
/// `dotnet interactive jupyter install --path` into a private folder that the Jupyter processes find through
/// JUPYTER_PATH, so `dotnet test` works on a fresh machine without touching ~/.local/share/jupyter.
/// </summary>
internal static class JupyterKernelSpec
{
    static readonly Lazy<IReadOnlyDictionary<string, string>> Provisioned = new(Provision);

    /// <summary>Environment variables a Jupyter child process needs to find the .NET (C#) kernel (empty when it is
    /// registered already). Fails the test, saying what to install, when Jupyter is missing.</summary>
    public static IReadOnlyDictionary<string, string> ChildEnvironment => Provisioned.Value;

    internal static (int Code, string Output) Run(string file, string args, string cwd, IDictionary<string, string>? env = null,
        int timeoutMs = 60_000)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = cwd,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (env != null) foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeoutMs / 1000} s\n{stdout.Result}\n{stderr.Result}");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    static (int Code, string Output) ListSpecs(IDictionary<string, string>? env) =>
        Run(KernelNotebookTests.Python, "-c \"from jupyter_client.kernelspec import KernelSpecManager; import nbconvert, notebook; " +
                                        "print(sorted(KernelSpecManager().find_kernel_specs()))\"", RepoPaths.Root, env);

    static IReadOnlyDictionary<string, string> Provision()
    {
        var (code, output) = ListSpecs(null);
        Assert.True(code == 0,
            $"Jupyter is not installed for {KernelNotebookTests.Python} ({output.Trim()}). Install Debian's jupyter-notebook, " +
            "python3-nbconvert and python3-nbclient (`apt-get install -y jupyter-notebook python3-nbconvert python3-nbclient`; .ci/run does).");
        if (output.Contains(".net-csharp")) return new Dictionary<string, string>();

        var (rc, restore) = Run("dotnet", "tool restore", RepoPaths.Root, timeoutMs: 10 * 60_000);
        Assert.True(rc == 0, $"`dotnet tool restore` failed, so the pinned kernel (.config/dotnet-tools.json) is missing:\n{restore}");
        var dir = Path.Combine(Path.GetTempPath(), $"selfsim-jupyter-path-{Environment.UserName}");
        Directory.CreateDirectory(Path.Combine(dir, "kernels"));
        var (ic, install) = Run("dotnet", $"interactive jupyter install --path \"{Path.Combine(dir, "kernels")}\"", RepoPaths.Root,
            timeoutMs: 5 * 60_000);
        Assert.True(ic == 0, $"`dotnet interactive jupyter install` failed:\n{install}");
        var env = new Dictionary<string, string> { ["JUPYTER_PATH"] = dir };
        var (lc, listed) = ListSpecs(env);
        Assert.True(lc == 0 && listed.Contains(".net-csharp"),
            $"The .NET (C#) kernelspec installed into {dir}/kernels is not visible to Jupyter:\n{install}\n{listed}");
        return env;
    }
}

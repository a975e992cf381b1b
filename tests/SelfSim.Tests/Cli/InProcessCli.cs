using System;
using System.IO;
using System.Linq;
using SelfSim.Cli;
using Xunit;

namespace SelfSim.Tests.Cli;

/// <summary>Runs selfsim in this process as the executable does (<see cref="CliRoot"/>, through <see cref="CliErrors"/>:
/// expected failures become one line on stderr and exit code 1), capturing stdout and stderr. Tests that use it join
/// the "Console" collection, since the console is process-wide.</summary>
public static class InProcessCli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var w = new StringWriter(); var e = new StringWriter();
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(w); Console.SetError(e);
        try { return (CliErrors.InvokeAsync(CliRoot.Create(), args).GetAwaiter().GetResult(), w.ToString(), e.ToString()); }
        finally { Console.SetOut(oldOut); Console.SetError(oldErr); }
    }

    /// <summary>Asserts a refusal: exit code 1 and one "selfsim: …" line on stderr (warnings aside) with no stack
    /// trace, containing every fragment; returns that line.</summary>
    public static string Refused((int Code, string Out, string Err) r, params string[] fragments)
    {
        Assert.True(r.Code == 1, $"expected exit code 1, got {r.Code}: {r.Err}{r.Out}");
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith("warning:")).ToArray();
        var line = Assert.Single(lines);
        Assert.StartsWith("selfsim: ", line);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain("internal error", line);
        foreach (var f in fragments) Assert.Contains(f, line);
        return line;
    }
}

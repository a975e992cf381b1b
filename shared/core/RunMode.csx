#nullable enable
using System;

/// <summary>The three sizes a notebook runs at.</summary>
public enum RunSize
{
    /// <summary>A pipeline check for CI: every cell runs, nothing is trained far enough to mean anything.</summary>
    Smoke,
    /// <summary>The main job: every model trains to a normal accuracy for its size; the collection takes about 15 min on 2 cores.</summary>
    Default,
    /// <summary>Everything recomputed at full settings, including hour-long experiments (the numbers in notebooks/measured/).</summary>
    Full,
}

/// <summary>
/// Which size this run is: smoke, default or full, read from $SELFSIM_SIZE (unset: default). SELFSIM_SMOKE=1 is an
/// older alias for smoke. `selfsim run --size X` (or `--smoke`) sets the variable for the notebooks it executes.
/// Notebooks pick their epochs and sample counts with the three-way Pick:
/// <code>var epochs = RunMode.Pick(smoke: 1, @default: 3, full: 30);</code>
/// </summary>
public static class RunMode
{
    public const string SizeVariable = "SELFSIM_SIZE";
    public const string SmokeVariable = "SELFSIM_SMOKE";

    /// <summary>The size of this run. A SELFSIM_SIZE that names no size is an error that lists the three.</summary>
    public static RunSize Size
    {
        get
        {
            var size = Environment.GetEnvironmentVariable(SizeVariable)?.Trim();
            if (!string.IsNullOrEmpty(size)) return Parse(size);
            return IsOn(Environment.GetEnvironmentVariable(SmokeVariable)) ? RunSize.Smoke : RunSize.Default;
        }
    }

    /// <summary>"smoke", "default" or "full" as a size; anything else is a clear error.</summary>
    public static RunSize Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "smoke" => RunSize.Smoke,
        "default" => RunSize.Default,
        "full" => RunSize.Full,
        _ => throw new SelfSimException(
            $"{SizeVariable}='{name}' is not a run size; use smoke (CI check), default (the main job) or full (hours)."),
    };

    /// <summary>True in a smoke run (SELFSIM_SIZE=smoke, or SELFSIM_SMOKE=1).</summary>
    public static bool Smoke => Size == RunSize.Smoke;

    /// <summary>True in a full run (SELFSIM_SIZE=full).</summary>
    public static bool Full => Size == RunSize.Full;

    /// <summary>"smoke", "default" or "full", for logs, file names and figure captions.</summary>
    public static string Name => Size switch { RunSize.Smoke => "smoke", RunSize.Full => "full", _ => "default" };

    /// <summary>A figure or table title as this run shows it: at smoke size it says "(smoke)", so a pipeline check can
    /// never pass for a finding; otherwise unchanged. A title that already says smoke is kept.</summary>
    public static string Title(string title) =>
        !Smoke || title.Contains("smoke", StringComparison.OrdinalIgnoreCase) ? title : title + " (smoke)";

    /// <summary>A file name stem as this run writes it: at smoke size it ends in "-smoke"; otherwise unchanged.</summary>
    public static string FileName(string stem) =>
        !Smoke || stem.EndsWith("-smoke", StringComparison.OrdinalIgnoreCase) ? stem : stem + "-smoke";

    /// <summary>The value for this run's size.</summary>
    public static T Pick<T>(T smoke, T @default, T full) => Size switch
    {
        RunSize.Smoke => smoke,
        RunSize.Full => full,
        _ => @default,
    };

    /// <summary>The value for <paramref name="size"/> (a size other than this run's, e.g. to describe another size).</summary>
    public static T Pick<T>(T smoke, T @default, T full, RunSize size) => size switch
    {
        RunSize.Smoke => smoke,
        RunSize.Full => full,
        _ => @default,
    };

    /// <summary>The older two-way form: <paramref name="smoke"/> in a smoke run, else <paramref name="full"/> (default and
    /// full runs alike). New code should use the three-way Pick.</summary>
    public static T Pick<T>(T full, T smoke) => Smoke ? smoke : full;

    static bool IsOn(string? value) =>
        value != null && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase)
                          || value.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase));
}

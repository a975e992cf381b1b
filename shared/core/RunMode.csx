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
/// Which size this run is: smoke, default or full, read from $SELFSIM_SIZE (unset: default). `selfsim run --size X`
/// (or `--smoke`) sets the variable for the notebooks it executes. The one place that names the sizes.
/// Notebooks pick their epochs and sample counts with the three-way Pick:
/// <code>var epochs = RunMode.Pick(smoke: 1, @default: 3, full: 30);</code>
/// </summary>
public static class RunMode
{
    public const string SizeVariable = "SELFSIM_SIZE";

    /// <summary>The sizes by name, smallest first: "smoke", "default", "full" (for option parsers and messages).</summary>
    public static readonly string[] Names = { "smoke", "default", "full" };

    /// <summary>The size of this run. A SELFSIM_SIZE that names no size is an error that lists the three; so is the
    /// removed SELFSIM_SMOKE, rather than a silent default-size run.</summary>
    public static RunSize Size
    {
        get
        {
            var size = Environment.GetEnvironmentVariable(SizeVariable)?.Trim();
            if (!string.IsNullOrEmpty(size)) return Parse(size);
            if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("SELFSIM_SMOKE")))
                throw new SelfSimException("SELFSIM_SMOKE is no longer read: set SELFSIM_SIZE=smoke instead (and unset SELFSIM_SMOKE).");
            return RunSize.Default;
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

    /// <summary>True in a smoke run (SELFSIM_SIZE=smoke).</summary>
    public static bool Smoke => Size == RunSize.Smoke;

    /// <summary>True in a full run (SELFSIM_SIZE=full).</summary>
    public static bool Full => Size == RunSize.Full;

    /// <summary>"smoke", "default" or "full", for logs, file names and figure captions.</summary>
    public static string Name => NameOf(Size);

    /// <summary>"smoke", "default" or "full": the name <see cref="Parse"/> reads back.</summary>
    public static string NameOf(RunSize size) => Names[(int)size];

    /// <summary>A figure or table title as this run shows it: at smoke size it says "(smoke)", so a pipeline check can
    /// never pass for a finding; otherwise unchanged. A title that already says smoke is kept, and so is one that says
    /// it shows <see cref="Committed"/> results: those were measured once at their own size, whatever this run's.</summary>
    public static string Title(string title) =>
        !Smoke || title.Contains("smoke", StringComparison.OrdinalIgnoreCase)
               || title.Contains(Committed, StringComparison.OrdinalIgnoreCase) ? title : title + " (smoke)";

    /// <summary>The word a title of committed results (notebooks/measured/) carries, e.g. "(committed grid)".</summary>
    public const string Committed = "committed";

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
}

#nullable enable
using System;

/// <summary>
/// Full runs versus smoke runs. `selfsim run --smoke` sets SELFSIM_SMOKE=1 so CI executes every notebook in
/// minutes; notebooks shrink epochs and sample counts with RunMode.Pick(full, smoke).
/// <code>var epochs = RunMode.Pick(full: 30, smoke: 1);</code>
/// </summary>
public static class RunMode
{
    public const string SmokeVariable = "SELFSIM_SMOKE";
    public const string RunnerVariable = "SELFSIM_RUNNER";

    /// <summary>True when SELFSIM_SMOKE is 1, true or yes.</summary>
    public static bool Smoke => IsOn(Environment.GetEnvironmentVariable(SmokeVariable));

    /// <summary>True when the notebook runs under `selfsim run` rather than an interactive kernel.</summary>
    public static bool Headless => IsOn(Environment.GetEnvironmentVariable(RunnerVariable));

    /// <summary>"smoke" or "full", for logs and figure captions.</summary>
    public static string Name => Smoke ? "smoke" : "full";

    /// <summary><paramref name="smoke"/> in a smoke run, else <paramref name="full"/>.</summary>
    public static T Pick<T>(T full, T smoke) => Smoke ? smoke : full;

    static bool IsOn(string? value) =>
        value != null && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase)
                          || value.Trim().Equals("yes", StringComparison.OrdinalIgnoreCase));
}

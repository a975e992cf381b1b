using System;
using System.CommandLine;
using Spectre.Console;

namespace SelfSim.Cli;

/// <summary>
/// A progress bar for work that can take more than a few seconds, drawn on stderr (never stdout, so --json output
/// stays one clean document), shown when stderr is a terminal or when --progress asks for it.
/// </summary>
internal static class CliProgress
{
    public static Option<bool> CreateOption() => new("--progress") { Description = "show progress on stderr (default: only when stderr is a terminal)" };

    public static bool Enabled(bool forced) => forced || !Console.IsErrorRedirected;

    /// <summary>Runs <paramref name="body"/> with a report(value) callback; the bar goes from 0 to <paramref name="max"/>.</summary>
    public static T Run<T>(bool forced, string title, double max, Func<Action<double>, T> body)
    {
        if (!Enabled(forced)) return body(_ => { });
        if (Console.IsErrorRedirected) return Lines(title, max, body);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        T result = default!;
        console.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: max);
                result = body(v => task.Value = Math.Min(v, max));
                task.Value = max;
            });
        return result;
    }

    /// <summary>Redirected stderr (a log file, CI): one line at every tenth of the work and one at the end.</summary>
    static T Lines<T>(string title, double max, Func<Action<double>, T> body)
    {
        var err = Console.Error;
        var gate = new object();
        int shown = 0;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        err.WriteLine($"{title}: started");
        var result = body(v =>
        {
            int tenth = max > 0 ? (int)Math.Floor(10 * Math.Min(v, max) / max) : 10;
            lock (gate)
            {
                if (tenth <= shown || tenth >= 10) return;
                shown = tenth;
                err.WriteLine($"{title}: {10 * tenth}% ({sw.Elapsed.TotalSeconds:F1} s)");
            }
        });
        err.WriteLine($"{title}: 100% ({sw.Elapsed.TotalSeconds:F1} s)");
        return result;
    }
}

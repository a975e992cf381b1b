using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace SelfSim.Cli;

/// <summary>
/// The one top-level error policy: every exception a command lets escape becomes one line on stderr that names the
/// thing and the fix, and exit code 1; never a stack trace (set SELFSIM_DEBUG=1 to see it). Errors the project
/// expects (<see cref="SelfSimException"/>, missing files, bad data) print their own message; operating-system
/// failures (permission denied, a full disk, an I/O error) get the fix added; anything else is named an internal error.
/// </summary>
public static class CliErrors
{
    public const string DebugVariable = "SELFSIM_DEBUG";

    /// <summary>How long a command may take to stop after SIGINT/SIGTERM (a training step and two small writes).</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(60);

    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        // SIGINT/SIGTERM cancel the command's token, so a run records "interrupted" beside its last finished epoch.
        // System.CommandLine registers its own handlers only once the action returns its task, which a command whose
        // body runs synchronously (train) does at the end: the signal ended the process and metrics.json said "running".
        // So the handlers are ours, registered before the command starts (see Signals).
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        using var signals = new Signals();
        // The number rule (CliNumbers): parse and print every number in the invariant culture. CurrentCulture flows
        // with the async context, so this covers the command's own tasks and is undone when the call returns.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
            {
                // One line on stderr, "selfsim: …", and no help on stdout (the help is one --help away).
                Console.Error.WriteLine("selfsim: " + OneLine(CliNumbers.ParseErrorLine(parse)));
                return 1;
            }
            return await parse.InvokeAsync(config, signals.Token);
        }
        catch (Exception e)
        {
            var inner = Unwrap(e);
            Console.Error.WriteLine("selfsim: " + OneLine(Describe(inner)));
            if (Environment.GetEnvironmentVariable(DebugVariable) is "1" or "true") Console.Error.WriteLine(inner);
            return 1;
        }
    }

    /// <summary>The message the policy prints for <paramref name="e"/> (without the "selfsim: " prefix).</summary>
    public static string Describe(Exception e) => e switch
    {
        SelfSimException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
            or ArgumentException or InvalidOperationException => e.Message,
        UnauthorizedAccessException => $"{e.Message.TrimEnd('.')}: permission denied. Choose a file or folder you can write to.",
        IOException when OutputGuard.IsDiskFull(e) => $"the disk is full ({e.Message.Trim()}). Free some space and run again (training continues with --resume).",
        IOException => $"{e.Message.TrimEnd('.')} (an input/output error). Check the path, the disk and its permissions.",
        OutOfMemoryException or InsufficientExecutionStackException =>
            $"out of memory ({e.Message.TrimEnd('.')}). Lower the sizes (nodes, --scales, --batch-size) or use a machine with more memory.",
        OperationCanceledException => "cancelled.",
        _ => $"internal error: {e.GetType().Name}: {e.Message.TrimEnd('.')}. Please report it with the command line; set {DebugVariable}=1 to see the stack trace.",
    };

    /// <summary>
    /// The first SIGINT or SIGTERM cancels <see cref="Token"/> and gives the command <see cref="TerminationGrace"/> to
    /// stop (a command that never looks at its token still ends then, with 130 or 143); a second signal ends the
    /// process at once, as it would without us.
    /// </summary>
    sealed class Signals : IDisposable
    {
        readonly CancellationTokenSource _cts = new(), _done = new();
        readonly PosixSignalRegistration[] _registrations;
        int _count;

        public Signals() => _registrations = new[]
        {
            PosixSignalRegistration.Create(PosixSignal.SIGINT, On), PosixSignalRegistration.Create(PosixSignal.SIGTERM, On),
        };

        public CancellationToken Token => _cts.Token;

        void On(PosixSignalContext c)
        {
            if (Interlocked.Increment(ref _count) > 1) return;
            c.Cancel = true;
            int code = c.Signal == PosixSignal.SIGINT ? 130 : 143;
            _cts.Cancel();
            _ = Task.Delay(TerminationGrace, _done.Token).ContinueWith(t => { if (!t.IsCanceled) Environment.Exit(code); }, TaskScheduler.Default);
        }

        public void Dispose()
        {
            foreach (var r in _registrations) r.Dispose();
            _done.Cancel();
            _cts.Dispose(); _done.Dispose();
        }
    }

    static Exception Unwrap(Exception e)
    {
        while (true)
        {
            if (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
            else if (e is TargetInvocationException { InnerException: { } t }) e = t;
            else if (e is TypeInitializationException { InnerException: { } ti }) e = ti;
            else return e;
        }
    }

    static string OneLine(string s) => string.Join(" ", s.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

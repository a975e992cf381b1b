using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace SelfSim.Cli.Notebooks;

/// <summary>How `selfsim run` runs notebooks.</summary>
public sealed record RunSettings
{
    /// <summary>Folder for executed notebooks (NAME.ipynb inside); null writes NAME.executed.ipynb next to the source.</summary>
    public string? OutDir { get; init; }
    /// <summary>Overwrite the source notebook with its outputs.</summary>
    public bool InPlace { get; init; }
    /// <summary>The run size for the notebooks (sets SELFSIM_SIZE, <see cref="RunMode"/>).</summary>
    public RunSize Size { get; init; } = RunSize.Default;
    /// <summary>Folder for Figures.Save (sets SELFSIM_FIGURES); null lets notebooks use ./figures next to themselves.</summary>
    public string? FiguresDir { get; init; }
    /// <summary>Copy cell console output to the real console as it happens.</summary>
    public bool Echo { get; init; }
    /// <summary>Write the executed notebook at all (tests may only want the result).</summary>
    public bool Write { get; init; } = true;
    /// <summary>Longest a single cell may run; past it the notebook's kernel process is ended and the notebook fails.</summary>
    public TimeSpan CellTimeout { get; init; } = DefaultCellTimeout;
    /// <summary>Sets SELFSIM_DEVICE for the notebooks (Devices.Pick): cpu, cuda, cuda:N.</summary>
    public string? Device { get; init; }

    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromMinutes(30);
}

/// <summary>Where and why a cell failed. Cell numbers count every cell of the notebook from 1, as editors show them.</summary>
public sealed record CellFailure(int Cell, int? Line, string? File, int? FileLine, string Kind, string Type, string Message, IReadOnlyList<string> Details)
{
    /// <summary>"cell 4, line 7: CS0103: ..." or "cell 3, line 1 (thrown in lib/x.csx, line 5): System.ArgumentException: ...".</summary>
    public string Describe()
    {
        var where = $"cell {Cell}";
        if (Line is int l) where += $", line {l}";
        if (File != null) where += $" ({(Kind == "runtime" ? "thrown in" : "in")} {File}{(FileLine is int fl ? $", line {fl}" : "")})";
        return $"{where}: {(Kind == "runtime" ? Type + ": " : "")}{Message}";
    }

    internal static CellFailure FromJson(JsonObject o) => new(
        (int)o["cell"]!, (int?)o["line"], (string?)o["file"], (int?)o["fileLine"], (string)o["kind"]!, (string)o["type"]!,
        (string)o["message"]!, o["details"] is JsonArray a ? a.Select(x => (string)x!).ToList() : new List<string>());
}

/// <summary>What running one cell did.</summary>
public sealed record CellRun(int Cell, TimeSpan Elapsed, CellFailure? Failure);

/// <summary>What running one notebook did. <see cref="Sources"/> holds every cell's source, by cell number - 1.</summary>
public sealed record NotebookRunResult(string Notebook, string? Output, IReadOnlyList<CellRun> Cells, TimeSpan Elapsed, IReadOnlyList<string> Sources, IReadOnlyList<string> Notes)
{
    public IReadOnlyList<CellFailure> Failures => Cells.Where(c => c.Failure != null).Select(c => c.Failure!).ToList();
    public bool Succeeded => Failures.Count == 0;
}

/// <summary>
/// Runs notebooks headless on the real .NET Interactive C# kernel: one child process per notebook
/// (`selfsim kernel-host`, <see cref="KernelNotebookHost"/>), started in the notebook's folder with the size, figure
/// folder and device in its environment. A process per notebook, not one kernel in this process, because a cell may
/// end its process (Environment.Exit, a native abort in libtorch, running out of memory) and a hung cell cannot be
/// stopped inside a process; here the runner survives all three, names the cell, still writes the summary, and gives
/// every notebook a fresh kernel as Jupyter does. The cost is one process start (about a second) per notebook.
/// </summary>
public sealed class NotebookRunner : IAsyncDisposable
{
    public const string FiguresVariable = "SELFSIM_FIGURES";

    readonly RunSettings _settings;
    public Action<string>? Log { get; init; }

    public NotebookRunner(RunSettings settings)
    {
        _settings = settings;
    }

    /// <summary>The notebooks named by files and folders (a folder's *.ipynb, sorted, executed copies left out).</summary>
    public static List<string> Expand(IEnumerable<string> paths)
    {
        var list = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                var found = Directory.GetFiles(p, "*.ipynb").Where(f => !f.EndsWith(".executed.ipynb", StringComparison.OrdinalIgnoreCase))
                    .OrderBy(f => f, StringComparer.Ordinal).ToList();
                if (found.Count == 0) throw new FileNotFoundException($"the folder {p} holds no .ipynb notebooks");
                list.AddRange(found);
            }
            else if (File.Exists(p)) list.Add(p);
            else throw new FileNotFoundException($"notebook {p} does not exist", p);
        }
        return list;
    }

    /// <summary>Where the executed notebook goes.</summary>
    public string OutputPath(string notebook)
    {
        if (_settings.InPlace) return Path.GetFullPath(notebook);
        var name = Path.GetFileNameWithoutExtension(notebook);
        if (name.EndsWith(".executed", StringComparison.OrdinalIgnoreCase)) name = name[..^".executed".Length];
        return _settings.OutDir != null
            ? Path.GetFullPath(Path.Combine(_settings.OutDir, name + ".ipynb"))
            : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(notebook))!, name + ".executed.ipynb"));
    }

    /// <summary>How to start this program again: the apphost, or `dotnet selfsim.dll` (tests, `dotnet run`).</summary>
    static ProcessStartInfo SelfStart()
    {
        var dll = typeof(NotebookRunner).Assembly.Location;
        var apphost = Path.ChangeExtension(dll, OperatingSystem.IsWindows() ? ".exe" : null);
        if (File.Exists(apphost)) return new ProcessStartInfo(apphost);
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
        psi.ArgumentList.Add(dll);
        return psi;
    }

    public async Task<NotebookRunResult> RunAsync(string notebookPath, CancellationToken cancel = default)
    {
        var full = Path.GetFullPath(notebookPath);
        var sources = KernelNotebookHost.Read(full).Elements.Select(e => e.Contents ?? "").ToList();
        var total = Stopwatch.StartNew();
        var resultFile = Path.Combine(Path.GetTempPath(), $"selfsim-run-{Environment.ProcessId}-{Guid.NewGuid():N}.json");
        var output = _settings.Write ? OutputPath(full) : null;

        var psi = SelfStart();
        foreach (var a in new[] { "kernel-host", full, "--result", resultFile }) psi.ArgumentList.Add(a);
        if (output != null) { psi.ArgumentList.Add("--output"); psi.ArgumentList.Add(output); }
        if (_settings.Echo) psi.ArgumentList.Add("--echo");
        psi.WorkingDirectory = Path.GetDirectoryName(full)!;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        psi.Environment[RunMode.SizeVariable] = RunMode.NameOf(_settings.Size);
        psi.Environment.Remove("SELFSIM_SMOKE");   // RunMode refuses the removed alias; the size above is the one that counts
        if (_settings.Device != null) psi.Environment["SELFSIM_DEVICE"] = _settings.Device;
        if (_settings.FiguresDir != null) psi.Environment[FiguresVariable] = Path.GetFullPath(_settings.FiguresDir);

        int currentCell = 0;
        var cellStarted = Stopwatch.StartNew();
        var stderrTail = new Queue<string>();
        using var proc = new Process { StartInfo = psi };
        proc.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            if (e.Data.StartsWith(KernelNotebookHost.CellStartMarker, StringComparison.Ordinal)
                && int.TryParse(e.Data[KernelNotebookHost.CellStartMarker.Length..], out var n))
            {
                Volatile.Write(ref currentCell, n);
                lock (cellStarted) cellStarted.Restart();
            }
            else Log?.Invoke(e.Data);
        };
        proc.ErrorDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            lock (stderrTail) { stderrTail.Enqueue(e.Data); while (stderrTail.Count > 20) stderrTail.Dequeue(); }
            Log?.Invoke(e.Data);
        };
        proc.Start();
        proc.BeginOutputReadLine();
        proc.BeginErrorReadLine();

        CellFailure? ended = null;
        try
        {
            while (!proc.WaitForExit(200))
            {
                TimeSpan running;
                lock (cellStarted) running = cellStarted.Elapsed;
                if (Volatile.Read(ref currentCell) > 0 && running > _settings.CellTimeout)
                {
                    proc.Kill(entireProcessTree: true);
                    ended = new CellFailure(currentCell, null, null, null, "timeout", "Timeout",
                        $"the cell ran longer than {_settings.CellTimeout.TotalSeconds:0.#} s (--cell-timeout) and its kernel was stopped. " +
                        "Shrink its work in smoke runs (RunMode), or raise --cell-timeout.", Array.Empty<string>());
                    break;
                }
                if (cancel.IsCancellationRequested) { proc.Kill(entireProcessTree: true); cancel.ThrowIfCancellationRequested(); }
                await Task.Yield();
            }
            proc.WaitForExit();
        }
        finally { if (!proc.HasExited) proc.Kill(entireProcessTree: true); }

        var runs = new List<CellRun>();
        var notes = new List<string>();
        string? written = null;
        if (File.Exists(resultFile))
        {
            var json = (JsonObject)JsonNode.Parse(File.ReadAllText(resultFile))!;
            File.Delete(resultFile);
            written = (string?)json["output"];
            if (json["error"] is JsonNode err)
                ended ??= new CellFailure(0, null, null, null, "notebook", "NotebookError", (string)err!, Array.Empty<string>());
            foreach (var c in json["cells"]?.AsArray().OfType<JsonObject>() ?? Enumerable.Empty<JsonObject>())
                runs.Add(new CellRun((int)c["cell"]!, TimeSpan.FromSeconds((double)c["seconds"]!),
                    c["failure"] is JsonObject f ? CellFailure.FromJson(f) : null));
        }
        else if (ended == null)
        {
            string tail;
            lock (stderrTail) tail = string.Join("\n", stderrTail);
            var cell = Volatile.Read(ref currentCell);
            ended = new CellFailure(cell, null, null, null, "exit", "ProcessExit",
                cell > 0
                    ? $"the notebook's kernel process ended (exit code {proc.ExitCode}) while cell {cell} ran: a cell called Environment.Exit, " +
                      "or native code aborted. Notebooks must not end the process; throw an exception to stop instead."
                    : $"the notebook's kernel process ended (exit code {proc.ExitCode}) before running a cell.{(tail.Length > 0 ? "\n" + tail : "")}",
                Array.Empty<string>());
        }
        if (ended != null) runs.Add(new CellRun(ended.Cell, TimeSpan.Zero, ended));
        if (output != null && written == null) notes.Add($"no executed notebook was written ({output}): the kernel process did not finish.");
        return new NotebookRunResult(full, written, runs, total.Elapsed, sources, notes);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

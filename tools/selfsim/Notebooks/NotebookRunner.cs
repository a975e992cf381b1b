using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace SelfSim.Cli.Notebooks;

/// <summary>How `selfsim run` runs notebooks.</summary>
public sealed record RunSettings
{
    /// <summary>Folder for executed notebooks (NAME.ipynb inside); null writes NAME.executed.ipynb next to the source.</summary>
    public string? OutDir { get; init; }
    /// <summary>Overwrite the source notebook with its outputs.</summary>
    public bool InPlace { get; init; }
    /// <summary>Sets SELFSIM_SMOKE=1 for the notebooks (RunMode.Smoke in shared/core/RunMode.csx).</summary>
    public bool Smoke { get; init; }
    /// <summary>Record a failing cell's error as its output and go on with the next cell.</summary>
    public bool ContinueOnError { get; init; }
    /// <summary>Folder for Figures.Save (sets SELFSIM_FIGURES); null lets notebooks use ./figures next to themselves.</summary>
    public string? FiguresDir { get; init; }
    /// <summary>Copy cell console output to the real console as it happens.</summary>
    public bool Echo { get; init; }
    /// <summary>Write the executed notebook at all (tests may only want the result).</summary>
    public bool Write { get; init; } = true;
    /// <summary>Longest a single cell may run; a cell past it fails the notebook and is abandoned. Null: no limit.</summary>
    public TimeSpan? CellTimeout { get; init; }
    /// <summary>Sets SELFSIM_DEVICE for the notebooks (Devices.Pick): cpu, cuda, cuda:N.</summary>
    public string? Device { get; init; }
}

/// <summary>What running one notebook did.</summary>
public sealed record NotebookRunResult(string Notebook, string? Output, IReadOnlyList<CellRun> Cells, TimeSpan Elapsed, NotebookDocument Document, IReadOnlyList<string> Notes)
{
    public IReadOnlyList<CellFailure> Failures => Cells.Where(c => c.Failure != null).Select(c => c.Failure!).ToList();
    public bool Succeeded => Failures.Count == 0;
}

/// <summary>
/// Runs notebooks headless: each C# cell in one shared script state, outputs recorded in nbformat 4.5, the
/// executed notebook written atomically. Markdown and raw cells pass through. The working directory is the
/// notebook's folder while it runs, as in the kernel.
/// </summary>
public sealed class NotebookRunner : IAsyncDisposable
{
    public const string SmokeVariable = "SELFSIM_SMOKE";
    public const string FiguresVariable = "SELFSIM_FIGURES";
    public const string RunnerVariable = "SELFSIM_RUNNER";

    readonly RunSettings _settings;
    readonly CarriedPackages _packages;
    readonly StaticFigureExporter _exporter = new();
    public Action<string>? Log { get; init; }

    public NotebookRunner(RunSettings settings, CarriedPackages? packages = null)
    {
        _settings = settings;
        _packages = packages ?? CarriedPackages.Current;
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

    public async Task<NotebookRunResult> RunAsync(string notebookPath)
    {
        var doc = NotebookDocument.Load(notebookPath);
        var full = doc.Path!;
        var total = Stopwatch.StartNew();
        var session = new ScriptSession(full, _packages);
        var runs = new List<CellRun>();
        using var cells = new CellThread("selfsim-notebook " + Path.GetFileName(full));

        var saved = new Dictionary<string, string?>();
        void SetEnv(string k, string? v) { if (!saved.ContainsKey(k)) saved[k] = Environment.GetEnvironmentVariable(k); Environment.SetEnvironmentVariable(k, v); }
        var oldCwd = Environment.CurrentDirectory;
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        var stdout = new CellConsoleWriter("stdout", oldOut) { Echo = _settings.Echo };
        var stderr = new CellConsoleWriter("stderr", oldErr) { Echo = _settings.Echo };
        var oldHook = AppDomain.CurrentDomain.GetData(StaticFigureExporter.HookKey);
        try
        {
            SetEnv(RunnerVariable, "1");
            if (_settings.Smoke) { SetEnv(SmokeVariable, "1"); SetEnv(RunMode.SizeVariable, "smoke"); }
            if (_settings.Device != null) SetEnv("SELFSIM_DEVICE", _settings.Device);
            if (_settings.FiguresDir != null) SetEnv(FiguresVariable, Path.GetFullPath(_settings.FiguresDir));
            AppDomain.CurrentDomain.SetData(StaticFigureExporter.HookKey, _exporter.Hook());
            Environment.CurrentDirectory = Path.GetDirectoryName(full)!;
            Console.SetOut(stdout);
            Console.SetError(stderr);

            int count = 0;
            bool stopped = false, abandoned = false;
            for (int i = 0; i < doc.Cells.Count; i++)
            {
                var cell = doc.Cells[i];
                if (cell.Kind != CellKind.Code) continue;
                if (stopped) { cell.ClearOutputs(); continue; }
                var number = i + 1;
                var kernel = cell.KernelName;
                var outputs = new CellOutputs(++count);
                CellRun run;
                if (kernel is "csharp" or "C#" or "c#")
                {
                    stdout.Target = outputs;
                    stderr.Target = outputs;
                    try
                    {
                        var task = cells.Run(() => session.RunCellAsync(cell.Source, number, outputs));
                        if (_settings.CellTimeout is TimeSpan limit && await Task.WhenAny(task, Task.Delay(limit)) != task)
                        {
                            var f = new CellFailure(number, null, null, null, "timeout", "Timeout",
                                $"the cell ran longer than {limit.TotalSeconds:0.#} s (--cell-timeout) and was abandoned. " +
                                "Shrink its work in smoke runs with RunMode.Pick(full, smoke), or raise --cell-timeout.",
                                Array.Empty<string>());
                            outputs.Error(f.Type, f.Message, new[] { f.Describe() });
                            run = new CellRun(number, limit, f);
                            abandoned = true;
                        }
                        else run = await task;
                    }
                    finally { stdout.Target = null; stderr.Target = null; }
                }
                else if (kernel is "html")
                {
                    outputs.Display(Formatters.Html(cell.Source, "HTML"));
                    run = new CellRun(number, TimeSpan.Zero, null);
                }
                else if (kernel is "markdown" or "mermaid" or "value")
                {
                    count--;
                    continue; // rendered by the notebook front end; keep what it has
                }
                else
                {
                    var f = new CellFailure(number, null, null, null, "kernel", "UnsupportedKernel",
                        $"the cell runs in the '{kernel}' kernel; selfsim run executes C# cells only. Rewrite it in C#, or make it a markdown cell.",
                        Array.Empty<string>());
                    outputs.Error(f.Type, f.Message, new[] { f.Describe() });
                    run = new CellRun(number, TimeSpan.Zero, f);
                }
                cell.Json["outputs"] = new JsonArray(outputs.Snapshot().Select(o => (JsonNode)o).ToArray());
                cell.ExecutionCount = outputs.ExecutionCount;
                runs.Add(run);
                Log?.Invoke(run.Failure == null
                    ? $"  cell {number,3}  {run.Elapsed.TotalSeconds,8:F2} s"
                    : $"  cell {number,3}  FAILED");
                if (run.Failure != null && !_settings.ContinueOnError || abandoned) stopped = true;
            }
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            Environment.CurrentDirectory = oldCwd;
            AppDomain.CurrentDomain.SetData(StaticFigureExporter.HookKey, oldHook);
            foreach (var (k, v) in saved) Environment.SetEnvironmentVariable(k, v);
        }

        // Keep the kernel metadata VS Code needs; add what a missing one would need to open with the C# kernel.
        var meta = doc.Metadata;
        if (meta["kernelspec"] == null)
            foreach (var (k, v) in NotebookBuilder.KernelMetadata()) meta[k] = v?.DeepClone();

        string? output = null;
        if (_settings.Write)
        {
            output = OutputPath(full);
            doc.Save(output);
        }
        else doc.Normalize();
        return new NotebookRunResult(full, output, runs, total.Elapsed, doc, session.Notes.Distinct().ToList());
    }

    public ValueTask DisposeAsync() => _exporter.DisposeAsync();
}

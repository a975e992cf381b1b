using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;
using KernelInfo = Microsoft.DotNet.Interactive.Documents.KernelInfo;

namespace SelfSim.Cli.Notebooks;

/// <summary>
/// Runs ONE notebook on the real .NET Interactive C# kernel, hosted in this process: a CompositeKernel holding a
/// CSharpKernel with the kernel's own NuGet support (#r "nuget:"), helpers (display, HTML), #!who and value sharing,
/// the way dotnet-interactive builds it. The .ipynb is read and written with Microsoft.DotNet.Interactive.Documents.
/// The working directory is the notebook's folder (as VS Code and Jupyter start the kernel), so #load paths resolve
/// relative to it. `selfsim run` starts one such process per notebook (see <see cref="NotebookRunner"/>).
/// Protocol on stdout, one line each: "@selfsim cell-start N" before cell N (1-based among all cells); the result JSON
/// goes to the file named by the caller.
/// </summary>
public static class KernelNotebookHost
{
    public const string CellStartMarker = "@selfsim cell-start ";

    static readonly KernelInfoCollection KernelInfos = new()
    {
        new KernelInfo("csharp", "C#", new[] { "c#", "C#", "cs" }),
        new KernelInfo("markdown", "Markdown", new[] { "md" }),
    };

    static KernelInfoCollection Infos()
    {
        var k = KernelInfos.Clone();
        k.DefaultKernelName = "csharp";
        return k;
    }

    /// <summary>The kernel dotnet-interactive builds for C#, minus the F#/PowerShell/connect parts.</summary>
    public static CompositeKernel CreateKernel()
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((k, refs) =>
            {
                k.AddAssemblyReferences(refs.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseWho()
            .UseValueSharing();
        var composite = new CompositeKernel();
        composite.Add(csharp, new[] { "c#", "C#" });
        composite.DefaultKernelName = "csharp";
        return composite;
    }

    public static InteractiveDocument Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"notebook {path} does not exist", path);
        NotebookDocument.Load(path);   // the nbformat checks, with the file's name (.Documents reads "4" as 4 silently)
        try { return Notebook.Parse(File.ReadAllText(path), Infos()); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"{path} is not a Jupyter notebook that .NET Interactive can read ({e.Message}).", e);
        }
    }

    public static void Write(InteractiveDocument doc, string path)
    {
        using var ms = new MemoryStream();
        Notebook.Write(doc, ms, Infos());
        AtomicFile.WriteAllBytes(path, ms.ToArray());
    }

    static bool IsCSharp(string? kernel) => kernel is null or "" or "csharp" or "C#" or "c#" or "cs";
    static bool IsFrontEndOnly(string? kernel) => kernel is "markdown" or "md" or "mermaid" or "value" or "raw";

    /// <summary>Runs the notebook, writes it with outputs to <paramref name="output"/> (null: not written) and returns the result JSON.</summary>
    public static async Task<JsonObject> RunAsync(string notebook, string? output, Action<string> progress, TextWriter protocol, bool echo)
    {
        var full = Path.GetFullPath(notebook);
        var doc = Read(full);
        // The content policy: only code cells run. Jupyter shows raw cells (and types it does not know) as inert text,
        // so they stay inert here, whatever kernel name .NET Interactive's reader gives them.
        var types = NotebookDocument.Load(full).Cells.Select(c => (string?)c.Json["cell_type"]).ToList();
        bool aligned = types.Count == doc.Elements.Count;
        Directory.SetCurrentDirectory(Path.GetDirectoryName(full)!);
        using var kernel = CreateKernel();
        var cells = new JsonArray();
        var total = Stopwatch.StartNew();
        int order = 0;
        bool stopped = false;
        for (int i = 0; i < doc.Elements.Count; i++)
        {
            var el = doc.Elements[i];
            var number = i + 1;
            if (IsFrontEndOnly(el.KernelName) || (aligned && types[i] != "code")) continue;
            if (stopped) { el.Outputs.Clear(); continue; }
            el.Outputs.Clear();
            protocol.WriteLine(CellStartMarker + number);
            protocol.Flush();
            var watch = Stopwatch.StartNew();
            JsonObject? failure;
            if (!IsCSharp(el.KernelName))
            {
                failure = Failure(number, null, null, null, "kernel", "UnsupportedKernel",
                    $"the cell runs in the '{el.KernelName}' kernel; selfsim run executes C# cells only. Rewrite it in C#, or make it a markdown cell.");
                el.Outputs.Add(new ErrorElement((string)failure["message"]!, "UnsupportedKernel"));
            }
            else
            {
                el.ExecutionOrder = ++order;
                var result = await kernel.SendAsync(new SubmitCode(el.Contents, "csharp"));
                failure = Record(result, el, number, echo);
            }
            watch.Stop();
            cells.Add(new JsonObject { ["cell"] = number, ["seconds"] = watch.Elapsed.TotalSeconds, ["failure"] = failure });
            progress(failure == null ? $"  cell {number,3}  {watch.Elapsed.TotalSeconds,8:F2} s" : $"  cell {number,3}  FAILED");
            if (failure != null) stopped = true;
        }
        if (output != null) Write(doc, output);
        return new JsonObject
        {
            ["notebook"] = full,
            ["output"] = output,
            ["seconds"] = total.Elapsed.TotalSeconds,
            ["cells"] = cells,
        };
    }

    /// <summary>Turns the kernel's events for one cell into notebook outputs; returns the failure, if any.</summary>
    static JsonObject? Record(KernelCommandResult result, InteractiveDocumentElement el, int number, bool echo)
    {
        JsonObject? failure = null;
        var text = new CellText(el, CellText.Limit(), echo ? Console.Error : null);
        foreach (var e in result.Events)
        {
            if (e is ReturnValueProduced or DisplayedValueUpdated or DisplayedValueProduced or CommandFailed) text.Flush();
            switch (e)
            {
                case StandardOutputValueProduced so:
                    text.Add(Plain(so), "stdout");
                    break;
                case StandardErrorValueProduced se:
                    text.Add(Plain(se), "stderr");
                    break;
                case DiagnosticsProduced d:
                    // as the Jupyter front end shows them: warnings on stderr (errors come with CommandFailed)
                    // CS1701/CS1702 (assembly version unification, e.g. TorchSharp built against .NET 8) carry no
                    // location and ask nothing of the notebook's author; Jupyter shows them, the runner leaves them out.
                    var warnings = d.Diagnostics.Where(x => x.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning
                                                            && x.Code is not ("CS1701" or "CS1702"))
                        .Select(x => x.ToString()).ToList();
                    if (warnings.Count > 0) text.Add(string.Join("\n", warnings) + "\n", "stderr", echoed: false);
                    break;
                case ReturnValueProduced rv:
                    var ret = new ReturnValueElement { ExecutionOrder = el.ExecutionOrder };
                    foreach (var f in rv.FormattedValues) ret.Data[f.MimeType] = f.Value;
                    el.Outputs.Add(ret);
                    break;
                case DisplayedValueUpdated du:
                    el.Outputs.Add(new DisplayElement(du.FormattedValues.ToDictionary(f => f.MimeType, f => (object)f.Value)));
                    break;
                case DisplayedValueProduced dv:
                    el.Outputs.Add(new DisplayElement(dv.FormattedValues.ToDictionary(f => f.MimeType, f => (object)f.Value)));
                    break;
                case CommandFailed cf:
                    failure = Describe(cf, number);
                    var stack = cf.Exception?.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToArray() ?? Array.Empty<string>();
                    el.Outputs.Add(new ErrorElement((string)failure["message"]!, (string)failure["type"]!, stack));
                    break;
            }
        }
        text.End();
        return failure;
    }

    static string Plain(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(f => f.MimeType == PlainTextFormatter.MimeType)?.Value ?? e.Value?.ToString() ?? "";

    /// <summary>
    /// A cell's stdout/stderr, appended in one pass (a builder per run of one stream, never string + string, which made
    /// a cell printing 50 MB quadratic) and capped at <see cref="Limit"/> characters per cell: what is past the cap is
    /// counted, not kept, and the cell's output ends with a note that says how much was left out.
    /// </summary>
    sealed class CellText(InteractiveDocumentElement el, long limit, TextWriter? echo)
    {
        public const string LimitVariable = "SELFSIM_CELL_OUTPUT_LIMIT";
        public const long DefaultLimit = 1 << 20;
        StringBuilder? _open;
        string _stream = "";
        long _kept, _dropped;

        /// <summary>The cap in characters: <see cref="LimitVariable"/> when it is a positive integer, else 1 MiB.</summary>
        public static long Limit() =>
            long.TryParse(Environment.GetEnvironmentVariable(LimitVariable), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v : DefaultLimit;

        public void Add(string text, string stream, bool echoed = true)
        {
            long room = limit - _kept;
            if (text.Length > room) { _dropped += text.Length - Math.Max(0, room); text = room > 0 ? text[..(int)room] : ""; }
            if (text.Length == 0) return;
            if (echoed) echo?.Write(text);
            if (_open == null || _stream != stream) { Flush(); _open = new StringBuilder(); _stream = stream; }
            _open.Append(text);
            _kept += text.Length;
        }

        /// <summary>Ends the open run of text (before a display or an error, so the outputs keep their order).</summary>
        public void Flush()
        {
            if (_open != null) el.Outputs.Add(new TextElement(_open.ToString(), _stream));
            _open = null;
        }

        public void End()
        {
            Flush();
            if (_dropped == 0) return;
            var note = $"\n[selfsim: output truncated. This cell printed {_kept + _dropped:N0} characters; the first {_kept:N0} are kept " +
                       $"and {_dropped:N0} were left out. Print less, or write large results to a file ({LimitVariable} sets the cap).]\n";
            echo?.Write(note);
            el.Outputs.Add(new TextElement(note, "stderr"));
        }
    }

    static JsonObject Failure(int cell, int? line, string? file, int? fileLine, string kind, string type, string message, IEnumerable<string>? details = null) => new()
    {
        ["cell"] = cell,
        ["line"] = line,
        ["file"] = file,
        ["fileLine"] = fileLine,
        ["kind"] = kind,
        ["type"] = type,
        ["message"] = message,
        ["details"] = new JsonArray((details ?? Array.Empty<string>()).Select(d => (JsonNode)JsonValue.Create(d)!).ToArray()),
    };

    static readonly Regex CompileError = new(@"^(?<file>.*?)\((?<line>\d+),(?<col>\d+)\): error (?<id>CS\d+): (?<msg>.*)$", RegexOptions.Multiline);
    static readonly Regex CsxFrame = new(@" in (?<file>.*?\.csx):line (?<line>\d+)");
    static readonly Regex CellFrame = new(@"Submission#\d+.* in (?<file>[^:]*):line (?<line>\d+)");

    /// <summary>Names the cell and line (and the shared file and line, when the error is in a #load-ed file).</summary>
    static JsonObject Describe(CommandFailed cf, int cell)
    {
        var message = cf.Message ?? cf.Exception?.Message ?? "the cell failed";
        var errors = CompileError.Matches(message).Cast<Match>().ToList();
        if (errors.Count > 0)
        {
            var first = errors[0];
            var file = first.Groups["file"].Value.Trim();
            int line = int.Parse(first.Groups["line"].Value);
            var details = errors.Take(10).Select(m => (m.Groups["file"].Value.Trim() is { Length: > 0 } f ? f : $"cell {cell}") +
                                                      $", line {m.Groups["line"].Value}: {m.Groups["id"].Value}: {m.Groups["msg"].Value.Trim()}");
            return Failure(cell, file.Length == 0 ? line : null, file.Length == 0 ? null : file, file.Length == 0 ? null : line,
                "compile", "CompilationError", $"{first.Groups["id"].Value}: {first.Groups["msg"].Value.Trim()}", details);
        }
        if (cf.Exception is Exception ex)
        {
            var trace = ex.ToString();
            var csx = CsxFrame.Match(trace);
            var inCell = CellFrame.Match(trace);
            int? cellLine = inCell.Success ? int.Parse(inCell.Groups["line"].Value) : null;
            var inner = ex is AggregateException { InnerException: { } ie } ? ie : ex;
            return Failure(cell, cellLine, csx.Success ? csx.Groups["file"].Value : null, csx.Success ? int.Parse(csx.Groups["line"].Value) : null,
                "runtime", inner.GetType().FullName ?? "Exception", inner.Message, trace.Split('\n').Take(12).Select(l => l.TrimEnd()));
        }
        var nuget = message.Contains("nuget", StringComparison.OrdinalIgnoreCase) || message.Contains("package", StringComparison.OrdinalIgnoreCase);
        return Failure(cell, null, null, null, nuget ? "directive" : "kernel", nuget ? "PackageError" : "KernelError", message.Trim());
    }
}

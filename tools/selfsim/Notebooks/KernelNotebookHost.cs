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
            ["notebook"] = full, ["output"] = output, ["seconds"] = total.Elapsed.TotalSeconds, ["cells"] = cells,
        };
    }

    /// <summary>Turns the kernel's events for one cell into notebook outputs; returns the failure, if any.</summary>
    static JsonObject? Record(KernelCommandResult result, InteractiveDocumentElement el, int number, bool echo)
    {
        JsonObject? failure = null;
        foreach (var e in result.Events)
        {
            switch (e)
            {
                case StandardOutputValueProduced so:
                    AddText(el, Plain(so), "stdout", echo ? Console.Error : null);
                    break;
                case StandardErrorValueProduced se:
                    AddText(el, Plain(se), "stderr", echo ? Console.Error : null);
                    break;
                case DiagnosticsProduced d:
                    // as the Jupyter front end shows them: warnings on stderr (errors come with CommandFailed)
                    // CS1701/CS1702 (assembly version unification, e.g. TorchSharp built against .NET 8) carry no
                    // location and ask nothing of the notebook's author; Jupyter shows them, the runner leaves them out.
                    var warnings = d.Diagnostics.Where(x => x.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning
                                                            && x.Code is not ("CS1701" or "CS1702"))
                        .Select(x => x.ToString()).ToList();
                    if (warnings.Count > 0) AddText(el, string.Join("\n", warnings) + "\n", "stderr", null);
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
        return failure;
    }

    static string Plain(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(f => f.MimeType == PlainTextFormatter.MimeType)?.Value ?? e.Value?.ToString() ?? "";

    static void AddText(InteractiveDocumentElement el, string text, string stream, TextWriter? echo)
    {
        echo?.Write(text);
        if (el.Outputs.LastOrDefault() is TextElement last && last.Name == stream)
        {
            el.Outputs[^1] = new TextElement(last.Text + text, stream);
            return;
        }
        el.Outputs.Add(new TextElement(text, stream));
    }

    static JsonObject Failure(int cell, int? line, string? file, int? fileLine, string kind, string type, string message, IEnumerable<string>? details = null) => new()
    {
        ["cell"] = cell, ["line"] = line, ["file"] = file, ["fileLine"] = fileLine, ["kind"] = kind, ["type"] = type,
        ["message"] = message, ["details"] = new JsonArray((details ?? Array.Empty<string>()).Select(d => (JsonNode)JsonValue.Create(d)!).ToArray()),
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

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;

namespace SelfSim.Cli.Notebooks;

/// <summary>
/// Why a cell failed: the cell (1-based, counting every cell), the line in that cell when known, and for errors inside a
/// #load-ed script that file and line; Kind is directive, compile, runtime or kernel.
/// </summary>
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
}

/// <summary>What running one cell did.</summary>
public sealed record CellRun(int Cell, TimeSpan Elapsed, CellFailure? Failure);

/// <summary>
/// One notebook's C# state: cells run as Roslyn script submissions chained with ContinueWithAsync,
/// compiled with Release optimisation, with the C# kernel's default usings and the globals display()/HTML().
/// </summary>
public sealed class ScriptSession
{
    /// <summary>The namespaces the .NET Interactive C# kernel imports by default.</summary>
    public static readonly string[] DefaultImports =
        { "System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq" };

    static readonly Lazy<ImmutableArray<MetadataReference>> FrameworkReferences = new(() =>
    {
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var tpa = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator);
        return tpa.Where(p => p.Length > 0 && string.Equals(Path.GetDirectoryName(p), runtimeDir, StringComparison.Ordinal)
                              && !Path.GetFileName(p).StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(NotebookGlobals).Assembly.Location))
            .ToImmutableArray();
    });

    readonly string _notebookPath;
    readonly string _notebookDir;
    readonly CellPreprocessor _preprocessor;
    readonly NotebookGlobals _globals = new();
    readonly HashSet<string> _referencedAssemblies = new(StringComparer.OrdinalIgnoreCase);
    ScriptOptions _options;
    ScriptState<object?>? _state;

    /// <summary>Notes the preprocessor raised (unpinned versions, display extensions).</summary>
    public List<string> Notes { get; } = new();

    public ScriptSession(string notebookPath, CarriedPackages packages)
    {
        _notebookPath = Path.GetFullPath(notebookPath);
        _notebookDir = Path.GetDirectoryName(_notebookPath)!;
        _preprocessor = new CellPreprocessor(packages);
        _options = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithAllowUnsafe(true)
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, _notebookDir))
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(_notebookDir))
            .WithReferences(FrameworkReferences.Value)
            .WithImports(DefaultImports);
    }

    /// <summary>The pseudo file name a cell compiles under; stack traces and #load resolution use it.</summary>
    public string CellPath(int cell) => Path.Combine(_notebookDir, $"{Path.GetFileNameWithoutExtension(_notebookPath)}.cell{cell}.csx");

    /// <summary>Runs one cell (1-based number in the notebook) and records its outputs.</summary>
    public async Task<CellRun> RunCellAsync(string source, int cell, CellOutputs outputs)
    {
        var sw = Stopwatch.StartNew();
        PreparedCell prepared;
        try { prepared = _preprocessor.Prepare(source); }
        catch (CellDirectiveException e)
        {
            var f = new CellFailure(cell, e.Line, null, null, "directive", "DirectiveError", e.Message, Array.Empty<string>());
            outputs.Error(f.Type, f.Message, new[] { f.Describe() });
            return new CellRun(cell, sw.Elapsed, f);
        }
        Notes.AddRange(prepared.Notes);
        foreach (var p in prepared.Packages) Reference(p);

        var options = _options.WithFilePath(CellPath(cell));
        _globals.Current = outputs;
        try
        {
            ScriptState<object?> next;
            try
            {
                next = _state == null
                    ? await CSharpScript.Create<object?>(prepared.Code, options, typeof(NotebookGlobals)).RunAsync(_globals, _ => true)
                    : await _state.ContinueWithAsync<object?>(prepared.Code, options, _ => true);
            }
            catch (CompilationErrorException e)
            {
                var f = CompileFailure(cell, e);
                outputs.Error(f.Type, f.Message, f.Details.Prepend(f.Describe()));
                return new CellRun(cell, sw.Elapsed, f);
            }
            _state = next;
            if (next.Exception != null)
            {
                var f = RuntimeFailure(cell, next.Exception);
                outputs.Error(f.Type, f.Message, f.Details.Prepend(f.Describe()));
                return new CellRun(cell, sw.Elapsed, f);
            }
            if (next.ReturnValue != null && EndsWithExpression(prepared.Code))
                outputs.Result(Formatters.Format(next.ReturnValue));
            return new CellRun(cell, sw.Elapsed, null);
        }
        finally
        {
            _globals.Current = null;
        }
    }

    void Reference(CarriedPackage p)
    {
        var refs = new List<MetadataReference>();
        foreach (var name in p.AssemblyNames)
        {
            if (!_referencedAssemblies.Add(name)) continue;
            Assembly asm;
            try { asm = Assembly.Load(new AssemblyName(name)); }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                throw new SelfSimException($"selfsim carries {p.Id} {p.Version} but cannot load its assembly {name} ({e.Message}). Rebuild tools/selfsim.");
            }
            if (!string.IsNullOrEmpty(asm.Location)) refs.Add(MetadataReference.CreateFromFile(asm.Location));
        }
        if (refs.Count > 0) _options = _options.AddReferences(refs);
    }

    static bool EndsWithExpression(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest));
        var root = (CompilationUnitSyntax)tree.GetRoot();
        return root.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax e } && e.SemicolonToken.IsMissing;
    }

    CellFailure CompileFailure(int cell, CompilationErrorException e)
    {
        var errors = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count == 0) errors = e.Diagnostics.ToList();
        var first = errors[0];
        var (file, line) = Where(cell, first.Location);
        var cellLine = file == null ? line : null;
        var details = errors.Take(10).Select(d =>
        {
            var (df, dl) = Where(cell, d.Location);
            return $"{(df ?? $"cell {cell}")}{(dl is int l ? $", line {l}" : "")}: {d.Id}: {d.GetMessage()}";
        }).ToList();
        return new CellFailure(cell, cellLine, file, file != null ? line : null, "compile", "CompilationError", $"{first.Id}: {first.GetMessage()}", details);
    }

    (string? File, int? Line) Where(int cell, Location loc)
    {
        if (loc == Location.None || !loc.IsInSource && loc.Kind != LocationKind.ExternalFile) return (null, null);
        var span = loc.GetMappedLineSpan();
        var line = span.StartLinePosition.Line + 1;
        return IsCellFile(cell, span.Path) ? (null, line) : (Relative(span.Path), line);
    }

    bool IsCellFile(int cell, string? path) =>
        string.IsNullOrEmpty(path) || string.Equals(Path.GetFullPath(path, _notebookDir), CellPath(cell), StringComparison.Ordinal);

    string Relative(string path)
    {
        try { return Path.GetRelativePath(_notebookDir, Path.GetFullPath(path, _notebookDir)); }
        catch (ArgumentException) { return path; }
    }

    CellFailure RuntimeFailure(int cell, Exception ex)
    {
        while (ex is TargetInvocationException { InnerException: { } inner }) ex = inner;
        if (ex is AggregateException { InnerExceptions.Count: 1 } agg) ex = agg.InnerExceptions[0];
        int? line = null, fileLine = null;
        string? file = null;
        var frames = new StackTrace(ex, true).GetFrames();
        var cellPath = CellPath(cell);
        var inCell = frames.FirstOrDefault(f => string.Equals(f.GetFileName(), cellPath, StringComparison.Ordinal) && f.GetFileLineNumber() > 0);
        if (inCell != null) line = inCell.GetFileLineNumber();
        // the deepest frame in a #load-ed script, when the exception came from there
        var script = frames.FirstOrDefault(f => f.GetFileName() is string n && n.EndsWith(".csx", StringComparison.OrdinalIgnoreCase) && f.GetFileLineNumber() > 0);
        if (script != null && !string.Equals(script.GetFileName(), cellPath, StringComparison.Ordinal))
        {
            file = Relative(script.GetFileName()!);
            fileLine = script.GetFileLineNumber();
        }
        var details = (ex.ToString() ?? "").Split('\n').Select(l => l.TrimEnd('\r')).Take(40).ToList();
        return new CellFailure(cell, line, file, fileLine, "runtime", ex.GetType().FullName ?? ex.GetType().Name, ex.Message, details);
    }
}

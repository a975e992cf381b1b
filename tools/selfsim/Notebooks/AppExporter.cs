using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace SelfSim.Cli.Notebooks;

/// <summary>
/// Turns a chapter notebook into a file-based app (`dotnet run apps/NN-name.cs`, .NET 10), so the notebook stays the
/// one source and the chapter also runs without the .NET Interactive kernel:
/// <list type="bullet">
/// <item>`#r "nuget: NAME, VERSION"` becomes `#:package NAME`: the version must equal Directory.Packages.props, because
/// central package management, which an app beside that file picks up, refuses a version on the directive (NU1008).
/// Kernel-only packages (Plotly.NET.Interactive, Microsoft.DotNet.Interactive*) are left out.</item>
/// <item>`#load ".../shared/SelfSim.csx"` (or another entry script of shared/, such as SelfSimOnnx.csx) becomes one
/// `#:project .../shared/SelfSim.Shared.csproj`, which compiles the files the entry loads; the entry's own statements
/// (NotebookKernel.Prepare(), OnnxNativeLoader.EnsureLoadable()) stay where the #load was, as the kernel runs them. They
/// act only where needed: in an app the build has patched TorchSharp's native library (tools/build/NativePatch.targets).</item>
/// <item>Markdown cells become // comments; code cells follow in order; `#!` magics are dropped (said in a comment).</item>
/// <item>A cell's last bare expression, which the kernel displays, becomes display(EXPR); the app defines display and
/// HTML as the kernel's look-alikes over shared/figures/Show.csx.</item>
/// <item>A name a later cell declares again (each cell is its own scope in the kernel, one file is one) is renamed
/// NAME_2, NAME_3 from there on; `using` lines move to the top and type declarations to the end, as C# requires.</item>
/// </list>
/// </summary>
public static class AppExporter
{
    /// <summary>The kernel's default usings (Microsoft.DotNet.Interactive.CSharp) plus those the shared scripts bring in
    /// with #load, which the kernel carries into every later cell.</summary>
    static readonly string[] KernelUsings =
    {
        "System", "System.Collections", "System.Collections.Generic", "System.Linq", "System.Text", "System.Threading.Tasks",
    };

    static readonly string[] KernelOnlyPackages = { "Plotly.NET.Interactive", "Microsoft.DotNet.Interactive" };

    /// <summary>The command that regenerates every app (in the header of each app and in messages).</summary>
    public const string RegenerateCommand = "selfsim export notebooks --to app --out apps";

    /// <summary>The notebooks of a folder that get an app: every *.ipynb, in name order (notebooks/ holds only chapters,
    /// NN-name.ipynb, so a new chapter gets its app, and its smoke run, with no change elsewhere).</summary>
    public static string[] NotebooksIn(string folder) =>
        Directory.GetFiles(folder, "*.ipynb").OrderBy(f => f, StringComparer.Ordinal).ToArray();

    /// <summary>The app's file name for a notebook: NN-name.cs.</summary>
    public static string AppFileName(string notebookPath) => Path.GetFileNameWithoutExtension(notebookPath) + ".cs";

    /// <summary>Writes the app of one notebook into <paramref name="outDir"/> (atomically; only when its text changed).
    /// Returns the app's path and whether it was rewritten.</summary>
    public static (string Path, bool Changed) Export(string notebookPath, string outDir)
    {
        var app = Path.Combine(Path.GetFullPath(outDir), AppFileName(notebookPath));
        var text = Render(NotebookDocument.Load(notebookPath), notebookPath, app);
        if (File.Exists(app) && File.ReadAllText(app) == text) return (app, false);
        AtomicFile.WriteAllText(app, text);
        return (app, true);
    }

    /// <summary>Null when <paramref name="appPath"/> is what the notebook generates now; else why not (the first
    /// differing line), with the command that regenerates it.</summary>
    public static string? Staleness(NotebookDocument notebook, string notebookPath, string appPath)
    {
        var name = Path.GetFileName(appPath);
        if (!File.Exists(appPath))
            return $"{name}: missing for {Path.GetFileName(notebookPath)}; run `{RegenerateCommand}` and commit apps/.";
        var expected = Render(notebook, notebookPath, appPath).Split('\n');
        var actual = File.ReadAllText(appPath).Split('\n');
        for (int i = 0; i < Math.Max(expected.Length, actual.Length); i++)
        {
            var e = i < expected.Length ? expected[i] : "<end of file>";
            var a = i < actual.Length ? actual[i] : "<end of file>";
            if (e != a)
                return $"{name} is stale against {Path.GetFileName(notebookPath)} (line {i + 1}: the notebook gives \"{Clip(e)}\", " +
                       $"the app has \"{Clip(a)}\"); run `{RegenerateCommand}` and commit apps/.";
        }
        return null;
    }

    static string Clip(string s) => s.Length <= 80 ? s.TrimEnd('\r') : s[..77] + "...";

    /// <summary>The app's text for <paramref name="notebook"/>, which lives (or is treated as living) at
    /// <paramref name="notebookPath"/>, written to <paramref name="appPath"/>: relative paths are computed between them.</summary>
    public static string Render(NotebookDocument notebook, string notebookPath, string appPath)
    {
        notebookPath = Path.GetFullPath(notebookPath);
        appPath = Path.GetFullPath(appPath);
        var nbName = Path.GetFileName(notebookPath);
        var nbDir = Path.GetDirectoryName(notebookPath)!;
        var appDir = Path.GetDirectoryName(appPath)!;
        var appName = Path.GetFileNameWithoutExtension(appPath);

        var packages = new List<(string Name, string? Version, int Cell)>();
        string? sharedEntry = null;
        var usings = new List<string>(KernelUsings.Select(u => $"using {u};"));
        var body = new StringBuilder();
        var types = new StringBuilder();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var current = new Dictionary<string, string>(StringComparer.Ordinal);

        for (int index = 0; index < notebook.Cells.Count; index++)
        {
            var cell = notebook.Cells[index];
            int number = index + 1;
            if (cell.Kind == CellKind.Raw) continue;
            if (cell.Kind == CellKind.Markdown)
            {
                body.Append('\n');
                foreach (var line in Lines(cell.Source)) body.Append(line.Length == 0 ? "//" : "// " + line).Append('\n');
                continue;
            }
            if (!cell.KernelName.Equals("csharp", StringComparison.OrdinalIgnoreCase) && !cell.KernelName.Equals("C#", StringComparison.OrdinalIgnoreCase))
            {
                body.Append($"\n// cell {number} is a {cell.KernelName} cell, which a C# app cannot run:\n");
                foreach (var line in Lines(cell.Source)) body.Append("// ").Append(line).Append('\n');
                continue;
            }

            var code = new List<string>();
            var notes = new List<string>();
            foreach (var line in Lines(cell.Source))
            {
                var t = line.Trim();
                var nuget = Regex.Match(t, @"^#r\s+""nuget:\s*([^,""\s]+)\s*(?:,\s*([^""\s]+))?\s*""\s*$");
                var load = Regex.Match(t, @"^#load\s+""([^""]+)""\s*$");
                if (nuget.Success) packages.Add((nuget.Groups[1].Value, nuget.Groups[2].Success ? nuget.Groups[2].Value : null, number));
                else if (load.Success)
                {
                    var target = Path.GetFullPath(Path.Combine(nbDir, load.Groups[1].Value));
                    if (!EntryScripts(Path.GetDirectoryName(target)!).Contains(Path.GetFileName(target)) || !File.Exists(target))
                        throw new SelfSimException($"{nbName}, cell {number}: `{t}` loads a script an app cannot load; a file-based app " +
                                                   "references shared code as a project, so #load only an entry script of shared/ " +
                                                   "(\"../shared/SelfSim.csx\", \"../shared/SelfSimOnnx.csx\"), and put the code in shared/.");
                    sharedEntry ??= target;
                    // the library compiles the files it loads; what the entry runs after them, the app runs here too
                    var run = EntryStatements(target);
                    if (run.Count > 0)
                    {
                        code.Add($"// {Path.GetFileName(target)}'s own statements (its files are in the #:project library):");
                        code.AddRange(run);
                    }
                }
                else if (t.StartsWith("#r ", StringComparison.Ordinal) || t.StartsWith("#r\t", StringComparison.Ordinal))
                    throw new SelfSimException($"{nbName}, cell {number}: `{t}` references an assembly an app cannot take; " +
                                               "use #r \"nuget: NAME, VERSION\" with a package that Directory.Packages.props pins.");
                else if (t.StartsWith("#!", StringComparison.Ordinal)) notes.Add($"// (kernel magic left out: {t})");
                else code.Add(line);
            }
            if (code.All(string.IsNullOrWhiteSpace))
            {
                if (notes.Count > 0) body.Append('\n').Append(string.Join("\n", notes)).Append('\n');
                continue;
            }
            var (statements, cellUsings, cellTypes) = Translate(string.Join("\n", code), nbName, number, declared, current);
            foreach (var u in cellUsings) if (!usings.Contains(u)) usings.Add(u);
            body.Append('\n');
            foreach (var n in notes) body.Append(n).Append('\n');
            if (statements.Trim().Length > 0) body.Append(statements.TrimEnd()).Append('\n');
            foreach (var type in cellTypes)
                types.Append($"\n// (from cell {number}: C# puts type declarations after the top-level statements)\n")
                     .Append(type.Trim()).Append('\n');
        }

        if (sharedEntry == null)
            throw new SelfSimException($"{nbName} never loads the shared code (#load \"../shared/SelfSim.csx\"); an app of it would " +
                                       "have no SelfSim library. Add the project's second cell (`selfsim notebook new` writes it).");
        var sharedDir = Path.GetDirectoryName(sharedEntry)!;
        var project = Path.Combine(sharedDir, "SelfSim.Shared.csproj");
        if (!File.Exists(project))
            throw new SelfSimException($"{nbName}: {project} does not exist beside {Path.GetFileName(sharedEntry)}; the app references it with #:project.");
        var pins = CentralVersions(Path.GetDirectoryName(sharedDir)!, nbName);

        var sb = new StringBuilder();
        var repo = Path.GetDirectoryName(sharedDir)!;
        sb.Append($"// {appName}: the chapter {Rel(repo, notebookPath)} as a file-based app, generated from it by `{RegenerateCommand}`.\n");
        sb.Append("// Do not edit: edit the notebook and regenerate (a test fails while this file is stale).\n");
        sb.Append($"// Run from the checkout: `dotnet run {Rel(repo, appPath)}`; SELFSIM_SIZE=smoke|default|full picks the size,\n");
        sb.Append("// SELFSIM_FIGURES the folder its charts go to (as HTML files; tables print as text).\n");
        var kept = new List<string>();
        var left = new List<string>();
        foreach (var (name, version, cellNo) in packages)
        {
            if (KernelOnlyPackages.Any(k => name.Equals(k, StringComparison.OrdinalIgnoreCase) || name.StartsWith(k + ".", StringComparison.OrdinalIgnoreCase)))
            {
                left.Add(name);
                continue;
            }
            if (!pins.TryGetValue(name, out var pinned))
                throw new SelfSimException($"{nbName}, cell {cellNo}: package {name} is not in Directory.Packages.props; add " +
                                           $"<PackageVersion Include=\"{name}\" Version=\"{version ?? "X.Y.Z"}\" /> there (apps take versions from it).");
            if (version != null && version != pinned)
                throw new SelfSimException($"{nbName}, cell {cellNo}: #r \"nuget: {name}, {version}\" but Directory.Packages.props pins {pinned}; " +
                                           "make them agree (the notebook and its app must use the same version).");
            if (!kept.Contains(name)) kept.Add(name);
        }
        sb.Append("// Packages: the notebook's #r lines, without versions: central package management pins them in Directory.Packages.props\n");
        sb.Append("// (" + string.Join(", ", kept.Select(k => $"{k} {pins[k]}")) + ")" + (left.Count > 0 ? ";" : ".") + "\n");
        if (left.Count > 0) sb.Append($"// the kernel's own {string.Join(", ", left)} is left out.\n");
        foreach (var k in kept) sb.Append($"#:package {k}\n");
        sb.Append("// A file-based app is native-AOT by default, which turns off reflection-based JSON (the shared code uses it);\n");
        sb.Append("// nullable warnings off, as the kernel compiles cells. Each app has its own build output; hard links to the NuGet\n");
        sb.Append("// cache keep libtorch (1 GB) from being copied into every one (the GLIBCXX patch replaces its file, never the cache's).\n");
        sb.Append("#:property PublishAot=false\n#:property Nullable=disable\n#:property CreateHardLinksForCopyLocalIfPossible=true\n");
        sb.Append($"#:project {Rel(appDir, project)}\n\n");
        foreach (var u in usings) sb.Append(u).Append('\n');
        sb.Append($"\nglobal::Show.StartApp(\"{appName}\", System.IO.Path.Combine(AppFolder(), \"{Rel(appDir, nbDir)}\"));\n");
        sb.Append(body);
        sb.Append("\n// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is\n"
                  + "// (global:: because a chapter may name a local Show or HtmlFragment of its own).\n");
        sb.Append("static void display(object value) => global::Show.Display(value);\n");
        sb.Append("static global::HtmlFragment HTML(string html) => new(html);\n");
        sb.Append("static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = \"\") =>\n");
        sb.Append("    System.IO.Path.GetDirectoryName(file)!;\n");
        sb.Append(types);
        return sb.ToString();
    }

    /// <summary>One code cell as app text: the statements (last bare expression wrapped in display, redeclared names
    /// renamed), its using directives and its type declarations.</summary>
    static (string Statements, List<string> Usings, List<string> Types) Translate(
        string code, string nbName, int number, HashSet<string> declared, Dictionary<string, string> current)
    {
        // the last bare expression (no semicolon) is what the kernel displays; only a script parse allows it
        var script = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code,
            new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Script)).GetRoot();
        if (script.Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } bare })
            code = code[..bare.Expression.SpanStart] + "display(" + code[bare.Expression.SpanStart..bare.Expression.Span.End] + ");"
                   + code[bare.Expression.Span.End..];
        var tree = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular));
        var root = (CompilationUnitSyntax)tree.GetRoot();
        var edits = new List<(TextSpan Span, string Text)>();
        var usings = root.Usings.Select(u => u.ToString().Trim()).ToList();
        edits.AddRange(root.Usings.Select(u => (u.FullSpan, "")));
        var types = new List<string>();
        foreach (var m in root.Members.Where(m => m is not GlobalStatementSyntax))
        {
            types.Add(m.ToFullString());
            edits.Add((m.FullSpan, ""));
        }
        var globals = root.Members.OfType<GlobalStatementSyntax>().ToList();

        // names this cell declares at top level; a name an earlier cell declared is renamed from its declaration on
        var renames = new List<(int From, string Name, string NewName)>();
        foreach (var g in globals)
            foreach (var token in TopLevelDeclarations(g.Statement))
            {
                var name = token.ValueText;
                if (declared.Add(name)) continue;
                int k = 2;
                while (declared.Contains($"{name}_{k}")) k++;
                var fresh = $"{name}_{k}";
                declared.Add(fresh);
                renames.Add((token.SpanStart, name, fresh));
                edits.Add((token.Span, fresh));
            }
        string? Effective(string name, int position)
        {
            var own = renames.Where(r => r.Name == name && r.From <= position).Select(r => r.NewName).LastOrDefault();
            return own ?? (current.TryGetValue(name, out var c) ? c : null);
        }
        foreach (var id in root.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (!IsLocalReference(id)) continue;
            var fresh = Effective(id.Identifier.ValueText, id.SpanStart);
            if (fresh == null) continue;
            // `new { name }` takes its member name from the variable: keep the member's name
            var text = id.Parent is AnonymousObjectMemberDeclaratorSyntax { NameEquals: null } ? $"{id.Identifier.ValueText} = {fresh}" : fresh;
            edits.Add((id.Span, text));
        }
        foreach (var r in renames) current[r.Name] = r.NewName;

        // CS8803 (statements after a type) is what moving the types to the end mends
        var errors = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8803").ToList();
        if (errors.Count > 0)
            throw new SelfSimException($"{nbName}, cell {number}: the code does not parse as C# ({errors[0].GetMessage()} at line " +
                                       $"{errors[0].Location.GetLineSpan().StartLinePosition.Line + 1}); fix the notebook cell.");

        var sb = new StringBuilder(code);
        foreach (var (span, text) in edits.OrderByDescending(e => e.Span.Start).ThenByDescending(e => e.Span.Length))
            sb.Remove(span.Start, span.Length).Insert(span.Start, text);
        return (sb.ToString(), usings, types);
    }

    /// <summary>The variables and local functions a top-level statement puts in the file's scope (not those in blocks,
    /// lambdas, queries or a statement's own scope such as for and foreach).</summary>
    static IEnumerable<SyntaxToken> TopLevelDeclarations(StatementSyntax statement)
    {
        switch (statement)
        {
            case LocalDeclarationStatementSyntax local:
                foreach (var v in local.Declaration.Variables) yield return v.Identifier;
                foreach (var d in Designations(local.Declaration)) yield return d;
                break;
            case LocalFunctionStatementSyntax function:
                yield return function.Identifier;
                break;
            case ExpressionStatementSyntax expression:
                foreach (var d in Designations(expression)) yield return d;
                break;
        }
    }

    static IEnumerable<SyntaxToken> Designations(SyntaxNode node) =>
        node.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or QueryExpressionSyntax or BlockSyntax))
            .OfType<SingleVariableDesignationSyntax>().Select(d => d.Identifier);

    /// <summary>An identifier that can name a local: not a member after a dot, a named argument or an anonymous
    /// type's member name.</summary>
    static bool IsLocalReference(IdentifierNameSyntax id) => id.Parent switch
    {
        MemberAccessExpressionSyntax ma when ma.Name == id => false,
        MemberBindingExpressionSyntax => false,
        QualifiedNameSyntax q when q.Right == id => false,
        NameColonSyntax or NameEqualsSyntax => false,
        _ => true,
    };

    /// <summary>The entry scripts beside a SelfSim.Shared.csproj: the .csx files its Compile item excludes by name (they
    /// hold the #load lines and a statement or two; the library compiles what they load). Empty without the project.</summary>
    static HashSet<string> EntryScripts(string folder)
    {
        var project = Path.Combine(folder, "SelfSim.Shared.csproj");
        if (!File.Exists(project)) return new HashSet<string>();
        return XDocument.Load(project).Descendants("Compile")
            .SelectMany(e => ((string?)e.Attribute("Exclude") ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(x => x.EndsWith(".csx", StringComparison.Ordinal) && !x.Contains('*') && !x.Contains('/'))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The statements of a shared entry script (SelfSim.csx, SelfSimOnnx.csx): every line but its #load and
    /// #nullable lines, comments and blank lines.</summary>
    static List<string> EntryStatements(string entry) =>
        Lines(File.ReadAllText(entry)).Where(l =>
        {
            var t = l.Trim();
            return t.Length > 0 && !t.StartsWith("//", StringComparison.Ordinal) && !t.StartsWith('#');
        }).ToList();

    /// <summary>PackageVersion pins of Directory.Packages.props in <paramref name="root"/>.</summary>
    static Dictionary<string, string> CentralVersions(string root, string nbName)
    {
        var props = Path.Combine(root, "Directory.Packages.props");
        if (!File.Exists(props))
            throw new SelfSimException($"{nbName}: {props} does not exist; apps take package versions from it (central package management).");
        return XDocument.Load(props).Descendants("PackageVersion")
            .Where(e => e.Attribute("Include") != null && e.Attribute("Version") != null)
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);
    }

    static string Rel(string from, string to) => Path.GetRelativePath(from, to).Replace('\\', '/');

    static IEnumerable<string> Lines(string text) => text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
}

using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace SelfSim.Cli.Notebooks;

/// <summary>A directive the runner cannot honour, with the 1-based line of the cell it is on.</summary>
public sealed class CellDirectiveException : Exception
{
    public int Line { get; }
    public CellDirectiveException(int line, string message) : base(message) => Line = line;
}

/// <summary>A cell ready for Roslyn: the code to compile and the carried packages it asked for.</summary>
public sealed record PreparedCell(string Code, IReadOnlyList<CarriedPackage> Packages, IReadOnlyList<string> Notes);

/// <summary>
/// Turns a notebook cell into a C# script submission with the C# kernel's directive semantics:
/// <list type="bullet">
/// <item><c>#r "nuget: Id, Version"</c> is accepted when the runner carries Id at that version (its assemblies are then referenced);
/// display extensions such as Plotly.NET.Interactive are accepted and ignored; anything else is an error naming the package.</item>
/// <item><c>#i "nuget: source"</c> (a package source) is ignored.</item>
/// <item><c>#load "file.csx"</c> and <c>#r "path.dll"</c> stay for Roslyn (resolved relative to the notebook's folder), hoisted
/// above the code with #line so they may appear anywhere in the cell and errors keep the cell's line numbers.</item>
/// <item>A leading <c>#!csharp</c> (or #!c#, #!cs) selects C# and is dropped; other magic commands are errors.</item>
/// </list>
/// </summary>
public sealed class CellPreprocessor
{
    static readonly Regex NugetRef = new(@"^\s*#r\s+""nuget\s*:\s*(?<spec>[^""]*)""\s*$", RegexOptions.Compiled);
    static readonly Regex SourceRef = new(@"^\s*#i\s+""[^""]*""\s*$", RegexOptions.Compiled);
    static readonly Regex KeptDirective = new(@"^\s*#(r|load)\s+""[^""]*""\s*$", RegexOptions.Compiled);
    static readonly Regex Magic = new(@"^\s*#!(?<name>[\w#-]+)", RegexOptions.Compiled);

    readonly CarriedPackages _packages;
    public CellPreprocessor(CarriedPackages packages) => _packages = packages;

    public PreparedCell Prepare(string source)
    {
        var lines = source.Replace("\r\n", "\n").Split('\n');
        var packages = new List<CarriedPackage>();
        var notes = new List<string>();
        var hoisted = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            int lineNo = i + 1;
            Match m;
            if ((m = NugetRef.Match(line)).Success)
            {
                var p = Resolve(m.Groups["spec"].Value, lineNo, notes);
                if (p != null) packages.Add(p);
                lines[i] = "";
            }
            else if (SourceRef.IsMatch(line))
            {
                lines[i] = "";
            }
            else if (KeptDirective.IsMatch(line))
            {
                hoisted.Append("#line ").Append(lineNo).Append('\n').Append(line.Trim()).Append('\n');
                lines[i] = "";
            }
            else if ((m = Magic.Match(line)).Success)
            {
                var name = m.Groups["name"].Value;
                if (name is "csharp" or "c#" or "cs" or "time")
                    lines[i] = "";
                else
                    throw new CellDirectiveException(lineNo,
                        $"the magic command #!{name} is not supported by selfsim run, which runs C# cells only. " +
                        "Move that code to C#, or keep it out of notebooks that CI runs.");
            }
        }
        var body = string.Join("\n", lines);
        var code = hoisted.Length == 0 ? body : hoisted.Append("#line 1\n").Append(body).ToString();
        return new PreparedCell(code, packages, notes);
    }

    CarriedPackage? Resolve(string spec, int line, List<string> notes)
    {
        var parts = spec.Split(',', 2, StringSplitOptions.TrimEntries);
        var id = parts[0];
        var version = parts.Length > 1 ? parts[1].Trim('[', ']', ' ') : "";
        if (id.Length == 0)
            throw new CellDirectiveException(line, "#r \"nuget:\" names no package. Write #r \"nuget: Id, Version\".");
        if (id.StartsWith('/') || id.StartsWith('.') || id.Contains('\\') || id.Contains(":/"))
            throw new CellDirectiveException(line, $"#r \"nuget: {id}\" looks like a package source; selfsim run needs no sources (it carries {_packages.Describe()}).");

        if (CarriedPackages.DisplayExtensions.TryGetValue(id, out var formats))
        {
            var target = _packages.Find(formats);
            if (target != null && version.Length > 0 && Major(version) is int vm && Major(target.Version) is int tm && vm != tm)
                throw new CellDirectiveException(line,
                    $"{id} {version} does not match {formats} {target.Version} (the real kernel would load two majors). " +
                    $"Write #r \"nuget: {id}, {target.Version}\".");
            return null; // the kernel's formatter for {formats}; selfsim run formats those charts itself
        }

        var p = _packages.Find(id);
        if (p == null && CarriedPackages.TorchBackends.Contains(id) && _packages.TorchBackend is { } backend)
        {
            notes.Add($"{id} stands for the carried TorchSharp backend {backend.Id} {backend.Version} (selfsim was built with another -p:SelfSimBackend).");
            p = backend;
        }
        if (p == null)
            throw new CellDirectiveException(line,
                $"the package {id}{(version.Length > 0 ? " " + version : "")} is not carried by selfsim run. " +
                $"It carries {_packages.Describe()}. Use one of those, or add the package to Directory.Packages.props " +
                "and shared/SelfSim.Shared.csproj so the runner carries it.");
        if (version.Length == 0 || version is "*" or "*-*")
        {
            notes.Add($"#r \"nuget: {id}\" has no pinned version; selfsim run uses {p.Version}. Pin it: #r \"nuget: {id}, {p.Version}\".");
            return p;
        }
        if (!SameVersion(version, p.Version))
            throw new CellDirectiveException(line,
                $"the notebook asks for {id} {version} but selfsim run carries {id} {p.Version}. " +
                $"Pin the notebook to the project's version: #r \"nuget: {id}, {p.Version}\".");
        return p;
    }

    static int? Major(string v) => int.TryParse(v.Split('.', '-')[0], out var m) ? m : null;

    static bool SameVersion(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase)) return true;
        return Version.TryParse(Pad(a), out var va) && Version.TryParse(Pad(b), out var vb) && va == vb;
        static string Pad(string v) => v.Split('.').Length == 2 ? v + ".0" : v;
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

// Plain-text edge lists as read by networkx read_edgelist: one "u v" pair per line, '#' comments.

/// <summary>
/// Reads an undirected edge list. Each non-empty line holds two node labels separated by whitespace, a comma or a tab
/// (extra columns such as weights are ignored); lines starting with '#' or '%' are comments. Labels are arbitrary tokens,
/// mapped to ids 0..n-1 in order of first appearance (<see cref="Labels"/> maps back).
/// Documented behaviour for bad input: self-loops are dropped and duplicate edges merged (both counted in the graph's
/// SelfLoopsDropped / DuplicatesMerged), a line with fewer than two tokens throws a <see cref="SelfSimException"/>
/// naming the line, and a file with no edges throws.
/// </summary>
public sealed record EdgeListFile(CsrGraph Graph, string[] Labels)
{
    public static EdgeListFile Read(string path, SelfLoopPolicy selfLoops = SelfLoopPolicy.Drop)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Edge list file '{path}' does not exist: pass the path of a text file with one 'u v' pair per line.", path);
        using var reader = new StreamReader(path);
        return Parse(reader, path, selfLoops);
    }

    public static EdgeListFile Parse(TextReader reader, string name = "edge list", SelfLoopPolicy selfLoops = SelfLoopPolicy.Drop)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = new List<string>();
        var src = new List<int>(); var dst = new List<int>();
        int lineNo = 0;
        string? line;
        var seps = new[] { ' ', '\t', ',', ';' };
        while ((line = reader.ReadLine()) != null)
        {
            lineNo++;
            var t = line.Trim();
            if (t.Length == 0 || t[0] == '#' || t[0] == '%') continue;
            var parts = t.Split(seps, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
                throw new SelfSimException($"{name} line {lineNo} ('{Truncate(t)}') has fewer than two node labels: write one edge per line as 'u v'.");
            src.Add(Id(parts[0])); dst.Add(Id(parts[1]));
        }
        if (src.Count == 0)
            throw new SelfSimException($"{name} holds no edges: write one edge per line as 'u v' ('#' starts a comment).");
        var g = CsrGraph.FromEdges(labels.Count, src.ToArray(), dst.ToArray(), selfLoops);
        return new EdgeListFile(g, labels.ToArray());

        int Id(string label)
        {
            if (!ids.TryGetValue(label, out var id)) { id = labels.Count; ids[label] = id; labels.Add(label); }
            return id;
        }
    }

    static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

// Plain-text edge lists as read by networkx read_edgelist: one "u v" pair per line, '#' comments.

/// <summary>
/// Reads an undirected edge list. Each non-empty line holds two node labels separated by whitespace, a comma or a tab
/// (extra columns such as weights are ignored); lines starting with '#' or '%' are comments. Labels are arbitrary tokens,
/// mapped to ids 0..n-1 in order of first appearance (<see cref="Labels"/> maps back).
/// Documented behaviour for bad input: self-loops are dropped and duplicate edges merged (both counted in the graph's
/// SelfLoopsDropped / DuplicatesMerged), a line with fewer than two tokens throws a <see cref="SelfSimException"/>
/// naming the line, and a file with no edges throws. Above numeric edges, the first line follows the one header rule
/// (<see cref="CsvHeader"/>; --header yes|no decides); pandas' index column under a header (an empty first header cell
/// or "Unnamed: 0") is dropped with a warning.
/// </summary>
public sealed record EdgeListFile(CsrGraph Graph, string[] Labels)
{
    public static EdgeListFile Read(string path, SelfLoopPolicy selfLoops = SelfLoopPolicy.Drop, CsvHeaderMode header = CsvHeaderMode.Auto)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Edge list file '{path}' does not exist: pass the path of a text file with one 'u v' pair per line.", path);
        using var reader = new StreamReader(path);
        return Parse(reader, path, selfLoops, header);
    }

    public static EdgeListFile Parse(TextReader reader, string name = "edge list", SelfLoopPolicy selfLoops = SelfLoopPolicy.Drop,
                                     CsvHeaderMode header = CsvHeaderMode.Auto)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = new List<string>();
        var src = new List<int>(); var dst = new List<int>();
        var rows = new List<(int Line, string Text, string[] Parts)>();
        int lineNo = 0;
        string? line;
        var seps = new[] { ' ', '\t', ',', ';' };
        while ((line = reader.ReadLine()) != null)
        {
            lineNo++;
            var t = line.Trim();
            if (t.Length == 0 || t[0] == '#' || t[0] == '%') continue;
            var parts = t.Split(seps, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 && !(rows.Count == 0 && t[0] == ','))
                throw new SelfSimException($"{name} line {lineNo} ('{Truncate(t)}') has fewer than two node labels: write one edge per line as 'u v'.");
            rows.Add((lineNo, t, parts));
        }
        // A CSV header (e.g. pandas' to_csv) would silently become an edge between nodes "source" and "target": a first line
        // of words over numeric rows is a header, skipped with a warning; pandas' index column (an empty first header cell,
        // or "Unnamed: 0") is dropped with a warning.
        // The one header rule (CsvHeader) decides when the rows under the first line are numeric ids (labels that are words
        // leave nothing to tell a header by, so the first line is then an edge unless --header yes): a line of words is a
        // header, pandas' "0,1" is one with a warning, "1,000" or 0x1F is refused.
        int first = 0, skipCol = 0;
        static bool Numeric(string p) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        if (rows.Count > 0)
        {
            bool numericBelow = rows.Count > 1 && rows.Skip(1).All(r => r.Parts.Take(2).All(Numeric));
            var cells = rows[0].Text[0] == ',' ? rows[0].Parts.Prepend("").ToArray() : rows[0].Parts;
            var mode = header == CsvHeaderMode.Auto && !numericBelow ? CsvHeaderMode.No : header;
            var (isHeader, guess) = CsvHeader.Decide(cells, mode, name, rows[0].Line, rows[0].Text.Contains(','));
            if (isHeader)
            {
                first = 1;
                bool index = rows[0].Text[0] == ',' || rows[0].Parts[0] == "Unnamed:";
                if (index && rows.Skip(1).All(r => r.Parts.Length >= 3)) skipCol = 1;
                if (header == CsvHeaderMode.Auto)
                    Console.Error.WriteLine(guess ?? $"warning: {name} line {rows[0].Line} ('{Truncate(rows[0].Text)}') is a header, not an edge; it is skipped" +
                                            (skipCol == 1 ? ", and the first column (a pandas index) is dropped. Save with to_csv(path, index=False, header=False)." : ". Remove it (or pass --header yes) to silence this warning."));
            }
        }
        foreach (var r in rows.Skip(first))
        {
            if (r.Parts.Length < 2 + skipCol)
                throw new SelfSimException($"{name} line {r.Line} ('{Truncate(r.Text)}') has fewer than two node labels: write one edge per line as 'u v'.");
            src.Add(Id(r.Parts[skipCol])); dst.Add(Id(r.Parts[skipCol + 1]));
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

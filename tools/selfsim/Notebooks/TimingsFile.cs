using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace SelfSim.Cli.Notebooks;

/// <summary>One notebook's measured run time at one size.</summary>
public sealed record TimingRow(string Notebook, double Seconds, string Date, string Machine);

/// <summary>
/// docs/timings.md, the one place measured run times are written: `selfsim run … --timings docs/timings.md` records
/// each notebook that succeeded (its wall time from the run summary, the date and the machine) in the table of the run's
/// size, keeping the rows of notebooks and sizes it did not run. It also rewrites the one run-time line in each
/// notebook's header (the line that starts with <see cref="HeaderPrefix"/>) from that file, touching nothing else.
/// </summary>
public static class TimingsFile
{
    /// <summary>The start of the run-time line in a notebook's header cell.</summary>
    public const string HeaderPrefix = "*Run time";

    const string Intro =
        "# Measured run times\n\n" +
        "Written by `selfsim run notebooks … --timings docs/timings.md` from its run summary; do not edit by hand. A run\n" +
        "replaces the rows of the notebooks it ran at its size and keeps the others, so rows can come from different days.\n" +
        "Times are wall time per notebook (a fresh kernel process each, `#r` restore and `#load` included), without the\n" +
        "build; notebooks 01-03 and 07 reuse what 00-06 saved, so alone they take longer. Each notebook's header line\n" +
        "`*Run time …*` is rewritten from this file.\n";

    public static readonly string[] Sizes = RunMode.Names;

    /// <summary>The machine in a few words: cores and memory.</summary>
    public static string Machine()
    {
        var bytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return $"{Environment.ProcessorCount} cores, {bytes / (double)(1L << 30):F0} GB";
    }

    /// <summary>The rows of a timings file, by size then notebook.</summary>
    public static Dictionary<string, Dictionary<string, TimingRow>> Parse(string text)
    {
        var all = Sizes.ToDictionary(s => s, _ => new Dictionary<string, TimingRow>(StringComparer.Ordinal));
        string? size = null;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                var name = line[3..].Trim().Split(' ')[0];
                size = all.ContainsKey(name) ? name : null;
                continue;
            }
            if (size == null || !line.StartsWith('|')) continue;
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length < 5 || cells[0].StartsWith("**", StringComparison.Ordinal)) continue;
            if (!double.TryParse(cells[2].Replace(",", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) continue;
            all[size][cells[0]] = new TimingRow(cells[0], seconds, cells[3], cells[4]);
        }
        return all;
    }

    /// <summary>The file's text for these rows.</summary>
    public static string Render(IReadOnlyDictionary<string, Dictionary<string, TimingRow>> all)
    {
        var sb = new StringBuilder(Intro);
        foreach (var size in Sizes)
        {
            if (!all.TryGetValue(size, out var rows) || rows.Count == 0) continue;
            sb.Append("\n## ").Append(size).Append("\n\n| notebook | time | seconds | measured | machine |\n|---|---|---|---|---|\n");
            foreach (var r in rows.Values.OrderBy(r => r.Notebook, StringComparer.Ordinal))
                sb.Append($"| {r.Notebook} | {Time(r.Seconds)} | {r.Seconds.ToString("F0", CultureInfo.InvariantCulture)} | {r.Date} | {r.Machine} |\n");
            var total = rows.Values.Sum(r => r.Seconds);
            sb.Append($"| **all {rows.Count}** | **{Time(total)}** | {total.ToString("F0", CultureInfo.InvariantCulture)} | | |\n");
        }
        return sb.ToString();
    }

    /// <summary>"42 s" under 90 s, else "5.9 min".</summary>
    public static string Time(double seconds) =>
        seconds < 90 ? $"{seconds.ToString("F0", CultureInfo.InvariantCulture)} s"
                     : $"{(seconds / 60).ToString("F1", CultureInfo.InvariantCulture)} min";

    /// <summary>Records the notebooks of a run that succeeded in <paramref name="path"/> (created when absent, written
    /// atomically), then, when the file is in the notebooks' checkout, rewrites each one's header run-time line.
    /// Returns the notebooks whose header has no such line.</summary>
    public static IReadOnlyList<string> Record(string path, IEnumerable<NotebookRunResult> results, string size, DateTime when)
    {
        var all = File.Exists(path) ? Parse(File.ReadAllText(path)) : Parse("");
        var ran = results.Where(r => r.Succeeded).ToList();
        foreach (var r in ran)
        {
            var stem = Stem(r.Notebook);
            // whole seconds, as the file keeps them: the header and the time column then come from the number a later
            // Parse reads back (734.6 s would say "12.3 min" now and "12.2 min" from the file's 735)
            all[size][stem] = new TimingRow(stem, Math.Round(r.Elapsed.TotalSeconds),
                when.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Machine());
        }
        AtomicFile.WriteAllText(path, Render(all));
        var without = new List<string>();
        // A header links to the file, so only a file in the notebook's own checkout rewrites it (a timings file
        // written elsewhere, e.g. for a trial run, leaves the notebooks alone).
        var fileRoot = Checkout(Path.GetDirectoryName(Path.GetFullPath(path))!);
        foreach (var r in ran.Where(r => fileRoot != null && Checkout(Path.GetDirectoryName(Path.GetFullPath(r.Notebook))!) == fileRoot))
        {
            var link = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(r.Notebook))!, Path.GetFullPath(path)).Replace('\\', '/');
            if (!UpdateHeader(r.Notebook, HeaderLine(Stem(r.Notebook), all, link))) without.Add(r.Notebook);
        }
        return without;
    }

    /// <summary>The folder holding global.json at or above <paramref name="dir"/>: the checkout, or null.</summary>
    static string? Checkout(string dir)
    {
        for (var d = new DirectoryInfo(dir); d != null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "global.json"))) return d.FullName;
        return null;
    }

    static string Stem(string notebook)
    {
        var name = Path.GetFileNameWithoutExtension(notebook);
        return name.EndsWith(".executed", StringComparison.OrdinalIgnoreCase) ? name[..^".executed".Length] : name;
    }

    /// <summary>The header line: "*Run time: smoke 24 s, default 1.9 min, full 4.0 min (2 cores, 8 GB; [timings](LINK)).*"
    /// ASCII only, so it is written into the notebook's JSON as it is.</summary>
    public static string HeaderLine(string notebook, IReadOnlyDictionary<string, Dictionary<string, TimingRow>> all, string link)
    {
        var parts = Sizes.Where(s => all.TryGetValue(s, out var rows) && rows.ContainsKey(notebook))
            .Select(s => $"{s} {Time(all[s][notebook].Seconds)}").ToList();
        var machines = Sizes.Where(s => all[s].ContainsKey(notebook)).Select(s => all[s][notebook].Machine).Distinct().ToList();
        var on = machines.Count == 1 ? machines[0] + "; " : "";
        var text = $"{HeaderPrefix}: {(parts.Count > 0 ? string.Join(", ", parts) : "not measured yet")} ({on}[timings]({link})).*";
        return new string(text.Where(c => c < 128).ToArray());
    }

    /// <summary>Replaces the line that starts with <see cref="HeaderPrefix"/> in the notebook's first Markdown cell
    /// that has one (a line of its own in the cell's source array) by <paramref name="line"/>, editing only that JSON
    /// string in the file's text, so the rest of the file stays byte for byte. False when there is no such line.</summary>
    public static bool UpdateHeader(string notebookPath, string line)
    {
        if (!File.Exists(notebookPath)) return false;
        var text = File.ReadAllText(notebookPath);
        JsonObject? doc;
        try { doc = JsonNode.Parse(text)?.AsObject(); }
        catch (System.Text.Json.JsonException) { return false; }
        var old = doc?["cells"]?.AsArray().OfType<JsonObject>()
            .Where(c => (string?)c["cell_type"] == "markdown" && c["source"] is JsonArray)
            .SelectMany(c => c["source"]!.AsArray().Select(x => (string?)x ?? ""))
            .FirstOrDefault(l => l.StartsWith(HeaderPrefix, StringComparison.Ordinal));
        if (old == null) return false;
        var newline = old.EndsWith('\n') ? "\n" : "";
        var from = Quote(old);
        var at = text.IndexOf(from, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(from, at + from.Length, StringComparison.Ordinal) >= 0) return false;
        var updated = text[..at] + Quote(line + newline) + text[(at + from.Length)..];
        if (updated != text) AtomicFile.WriteAllText(notebookPath, updated);
        return true;
    }

    /// <summary>A JSON string literal as nbformat writes one (non-ASCII kept as is; quote, backslash, controls escaped).</summary>
    static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                < ' ' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return sb.Append('"').ToString();
    }
}

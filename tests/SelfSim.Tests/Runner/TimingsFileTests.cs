using System;
using System.IO;
using System.Linq;
using SelfSim.Cli.Notebooks;
using Xunit;

namespace SelfSim.Tests.Runner;

/// <summary>docs/timings.md: a run records its notebooks' times there, keeps the other rows, and each notebook's
/// header line is rewritten from it without touching another byte of the notebook.</summary>
public sealed class TimingsFileTests : IDisposable
{
    readonly string _tmp = Path.Combine(Path.GetTempPath(), "selfsim-timings-" + Guid.NewGuid().ToString("N")[..8]);
    public TimingsFileTests() => Directory.CreateDirectory(_tmp);
    public void Dispose() { try { Directory.Delete(_tmp, true); } catch (IOException) { } }

    static NotebookRunResult Ran(string notebook, double seconds, bool ok = true) =>
        new(notebook, null, new[] { new CellRun(1, TimeSpan.FromSeconds(seconds), ok ? null :
                new CellFailure(1, null, null, null, "runtime", "E", "boom", Array.Empty<string>())) },
            TimeSpan.FromSeconds(seconds), Array.Empty<string>(), Array.Empty<string>());

    [Fact]
    public void A_run_replaces_its_rows_keeps_the_others_and_skips_failures()
    {
        var file = Path.Combine(_tmp, "timings.md");
        var nbs = Path.Combine(_tmp, "nbs");
        Directory.CreateDirectory(nbs);
        string a = Path.Combine(nbs, "00-a.ipynb"), b = Path.Combine(nbs, "01-b.ipynb");
        TimingsFile.Record(file, new[] { Ran(a, 115.4), Ran(b, 13) }, "default", new DateTime(2026, 12, 3));
        TimingsFile.Record(file, new[] { Ran(a, 24) }, "smoke", new DateTime(2026, 12, 4));
        TimingsFile.Record(file, new[] { Ran(b, 21), Ran(a, 999, ok: false) }, "default", new DateTime(2026, 12, 5));

        var all = TimingsFile.Parse(File.ReadAllText(file));
        Assert.Equal(115.4, all["default"]["00-a"].Seconds, 0);      // the failed rerun did not replace it
        Assert.Equal("2026-12-03", all["default"]["00-a"].Date);
        Assert.Equal(21, all["default"]["01-b"].Seconds);
        Assert.Equal("2026-12-05", all["default"]["01-b"].Date);
        Assert.Equal(24, all["smoke"]["00-a"].Seconds);
        Assert.Empty(all["full"]);
        var text = File.ReadAllText(file);
        Assert.Contains("| 00-a | 1.9 min | 115 | 2026-12-03 |", text);
        Assert.Contains("| **all 2** | **2.3 min** | 136 | | |", text);   // 115 + 21
        Assert.DoesNotContain("## full", text);
        Assert.Equal(text, TimingsFile.Render(all));                    // what it parses is what it writes
    }

    [Fact]
    public void Only_a_timings_file_in_the_notebooks_checkout_rewrites_their_headers()
    {
        var checkout = Path.Combine(_tmp, "checkout");
        Directory.CreateDirectory(Path.Combine(checkout, "notebooks"));
        File.WriteAllText(Path.Combine(checkout, "global.json"), "{}");
        var nb = Path.Combine(checkout, "notebooks", "00-a.ipynb");
        const string notebook = "{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n   \"source\": [\n" +
                                "    \"*Run time: old.*\"\n   ]\n  }\n ]\n}\n";
        File.WriteAllText(nb, notebook);
        TimingsFile.Record(Path.Combine(_tmp, "elsewhere.md"), new[] { Ran(nb, 30) }, "smoke", new DateTime(2026, 12, 7));
        Assert.Equal(notebook, File.ReadAllText(nb));
        Assert.Empty(TimingsFile.Record(Path.Combine(checkout, "docs", "timings.md"), new[] { Ran(nb, 30) }, "smoke",
            new DateTime(2026, 12, 7)));
        Assert.Contains($"\"*Run time: smoke 30 s ({TimingsFile.Machine()}; [timings](../docs/timings.md)).*\"", File.ReadAllText(nb));
    }

    [Fact]
    public void The_header_line_is_the_only_change_to_the_notebook()
    {
        var nb = Path.Combine(_tmp, "02-c.ipynb");
        var original = "{\n \"cells\": [\n  {\n   \"cell_type\": \"markdown\",\n   \"metadata\": {},\n   \"source\": [\n" +
                       "    \"# 02 · Chapter\\n\",\n    \"\\n\",\n    \"*Run time: old (x; [timings](t.md)).*\\n\",\n" +
                       "    \"Prose “quoted” stays.\"\n   ]\n  }\n ],\n \"nbformat\": 4\n}";
        File.WriteAllText(nb, original);
        var line = "*Run time: smoke 24 s (2 cores; [timings](../docs/timings.md)).*";
        Assert.True(TimingsFile.UpdateHeader(nb, line));
        var expected = original.Replace("*Run time: old (x; [timings](t.md)).*\\n", line + "\\n");
        Assert.Equal(expected, File.ReadAllText(nb));

        File.WriteAllText(nb, original.Replace("*Run time", "Run time"));
        Assert.False(TimingsFile.UpdateHeader(nb, line));
    }

    [Fact]
    public void Header_and_file_agree_at_a_rounding_midpoint()
    {
        // 734.6 s is 12.24 min; the file keeps 735 s, which is 12.25 min: both must print the same tenth
        var file = Path.Combine(_tmp, "timings.md");
        var nbs = Path.Combine(_tmp, "nbs");
        Directory.CreateDirectory(nbs);
        var nb = Path.Combine(nbs, "04-x.ipynb");
        TimingsFile.Record(file, new[] { Ran(nb, 734.6) }, "full", new DateTime(2026, 12, 7));
        var all = TimingsFile.Parse(File.ReadAllText(file));
        Assert.Equal(735, all["full"]["04-x"].Seconds);
        var time = TimingsFile.Time(735);
        Assert.Contains($"| 04-x | {time} | 735 |", File.ReadAllText(file));
        Assert.Contains($"full {time} (", TimingsFile.HeaderLine("04-x", all, "t.md"));
    }

    [Fact]
    public void Every_measured_notebook_header_states_its_time_as_docs_timings_md_has_it()
    {
        var all = TimingsFile.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "timings.md")));
        Assert.True(all["default"].Count >= 8, "docs/timings.md should time every chapter at the default size");
        foreach (var nb in Directory.GetFiles(RepoPaths.Notebooks, "0*.ipynb").OrderBy(f => f, StringComparer.Ordinal))
        {
            var stem = Path.GetFileNameWithoutExtension(nb);
            if (!all.Values.Any(rows => rows.ContainsKey(stem))) continue;   // a chapter not measured yet
            var want = TimingsFile.HeaderLine(stem, all, "../docs/timings.md");
            var text = File.ReadAllText(nb);
            Assert.True(text.Contains("\"" + want), $"{stem}'s header should carry the line\n{want}\n(`selfsim run … --timings docs/timings.md` writes it)");
        }
    }
}

using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using SelfSim.Cli.Notebooks;
using SelfSim.Cli.Site;
using Xunit;

namespace SelfSim.Tests.Site;

/// <summary>
/// The offline site: the builder renders an executed notebook in C# (NotebookHtml), points its charts at a local plotly.js, and a
/// real Chromium (Debian's, through Playwright, with every non-file request blocked) opens the index and the chapter
/// from the file system and finds the chart drawn: an SVG .main-svg with plotted traces.
/// </summary>
public sealed class SiteTests : IDisposable
{
    readonly string _tmp = Path.Combine(Path.GetTempPath(), "selfsim-site-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() { try { Directory.Delete(_tmp, true); } catch (IOException) { } }

    /// <summary>An executed notebook as `selfsim run` writes it: a heading, prose, and a code cell whose output is a chart.</summary>
    string ExecutedNotebook()
    {
        var chart = Plotly.NET.CSharp.Chart.Line<double, double, string>(new[] { 1.0, 2.0, 4.0 }, new[] { 8.0, 4.0, 2.0 }, Name: "N_B");
        var data = new JsonObject();
        // The kernel's first chart output (ChartDisplay) carries plotly.js inline: the site drops that copy and its
        // local plotly.js must draw the chart.
        data["text/html"] = ChartDisplay.ToNotebookHtml(
            ChartLayout.Titled(chart, "Boxes against size", "l_B", "N_B", logX: true, logY: true), withLibrary: true);
        data["text/plain"] = "GenericChart";
        JsonObject Markdown(string s) => new() { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = s };
        var nb = new JsonObject
        {
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            },
            ["cells"] = new JsonArray
            {
                Markdown("# 99 · A test chapter\n\nOne chart of a **power law**, drawn offline."),
                new JsonObject
                {
                    ["cell_type"] = "code", ["execution_count"] = 1, ["metadata"] = new JsonObject(),
                    ["source"] = "BoxCoveringCharts.Curve(cover)",
                    ["outputs"] = new JsonArray { new JsonObject
                    {
                        ["output_type"] = "execute_result", ["execution_count"] = 1, ["metadata"] = new JsonObject(), ["data"] = data,
                    } },
                },
            },
        };
        var dir = Path.Combine(_tmp, "notebooks");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "99-test.ipynb");
        File.WriteAllText(path, nb.ToJsonString());
        return dir;
    }

    [Fact]
    public void The_run_summary_gives_the_index_its_run_times_and_size()
    {
        Directory.CreateDirectory(_tmp);
        var path = Path.Combine(_tmp, "summary.json");
        var run = new NotebookRunResult("notebooks/04-architectures.ipynb", "out/notebooks/04-architectures.ipynb",
            new[] { new CellRun(1, TimeSpan.FromSeconds(355.25), null) }, TimeSpan.FromSeconds(355.25), Array.Empty<string>(), Array.Empty<string>());
        RunSummary.Write(path, new[] { run }, new RunSettings { Size = RunSize.Full });
        var (size, seconds) = RunSummary.Read(path);
        Assert.Equal("full", size);
        Assert.Equal(355.25, seconds["04-architectures.ipynb"], 9);
        File.WriteAllText(path, "{ not json");
        var e = Assert.Throws<SelfSimException>(() => RunSummary.Read(path));
        Assert.Contains("is not JSON", e.Message);
        Assert.Contains("selfsim run --summary", e.Message);
    }

    [Fact]
    public void Pages_point_every_plotly_reference_at_the_local_copy()
    {
        var html = "<div><script>s.src = 'https://cdn.plot.ly/plotly-2.28.0.min.js'; " +
                   "requirejs.config({paths:{plotly:'https://cdn.plot.ly/plotly-2.28.0.min'}});</script>" +
                   "<script type=\"text/javascript\">(function(define, module, exports){/* plotly.js v2.28.0 */})" +
                   ".call(window);</script>\n<div id=\"chart\"></div></div>";
        var local = SiteBuilder.MakeOffline(html, "plotly-2.28.0.min.js");
        Assert.DoesNotContain("cdn.plot.ly", local);
        Assert.Contains("s.src = 'plotly-2.28.0.min.js'", local);
        Assert.Contains("plotly:'plotly-2.28.0.min'", local);
        // the inline copy the kernel's first chart carries is dropped: the page loads the site's one copy
        Assert.DoesNotContain("plotly.js v2.28.0", local);
        Assert.Contains("<div id=\"chart\"></div>", local);
    }

    [Fact]
    public async Task The_site_opens_offline_in_Chromium_and_its_charts_draw()
    {
        if (StaticFigureExporter.Unavailable() is string noBrowser) Assert.Fail(noBrowser);
        var site = Path.Combine(_tmp, "site");
        var chapters = SiteBuilder.Build(new[] { ExecutedNotebook() }, site, "smoke");
        Assert.Single(chapters);
        Assert.Equal("99 · A test chapter", chapters[0].Title);
        Assert.True(File.Exists(Path.Combine(site, "index.html")));
        Assert.Single(Directory.GetFiles(site, "plotly-*.min.js"));
        var page = File.ReadAllText(Path.Combine(site, chapters[0].Page));
        Assert.DoesNotContain("cdn.plot.ly", page);
        Assert.Contains("Smoke run.", page);
        Assert.DoesNotContain("(function(define, module, exports)", page); // no 3.6 MB inline plotly.js per page
        Assert.True(page.Length < 1_000_000, $"the page is {page.Length} characters");
        Assert.Contains("href=\"index.html\"", page);

        var checks = await SiteCheck.RunAsync(site, new[] { "index.html", chapters[0].Page }, Path.Combine(_tmp, "shots"));
        var index = checks[0];
        Assert.Equal(0, index.Charts);
        Assert.True(index.Links >= 1);
        var chapter = checks[1];
        Assert.True(chapter.Charts == 1, $"expected one chart script, found {chapter.Charts}; errors: {string.Join("; ", chapter.Errors)}");
        Assert.True(chapter.ChartsDraw, $"{chapter.DrawnCharts}/{chapter.Charts} charts drew, {chapter.Traces} traces; errors: {string.Join("; ", chapter.Errors)}");
        Assert.True(chapter.Traces >= 1);
        Assert.Empty(chapter.Errors);
        Assert.True(new FileInfo(chapter.Screenshot!).Length > 10_000);
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;

namespace SelfSim.Tests.Apps;

/// <summary>
/// shared/figures/Show.csx, the display of a file-based app: a table from Tables prints as aligned text (hand-checked),
/// a chart becomes a self-contained HTML file in the figures folder. Outside the kernel and an app it takes the app
/// path too. In the "Runner" collection: it reads SELFSIM_FIGURES and SELFSIM_SIZE, which the runner tests set.
/// </summary>
[Collection("Runner")]
public sealed class ShowTests
{
    [Fact]
    public void A_table_prints_as_aligned_text_under_its_caption()
    {
        var html = Tables.Of(new { Name = "x", Value = 12.5, Count = 1200 }, "Cap");
        var text = Show.HtmlAsText(html);
        Assert.Equal(string.Join(Environment.NewLine,
            "Cap",
            "  quantity  value",
            "  --------  -----",
            "  Name      x",
            "  Value      12.5",
            "  Count     1,200"), text);
        Assert.Equal(text, new HtmlFragment(html).ToString());
    }

    [Fact]
    public void Rows_and_markup_around_a_table_print_as_text()
    {
        var html = "<p>Before &amp; after</p>" + Tables.Rows(new object[] { new { a = 1.0, b = "long text" }, new { a = 22.25, b = "t" } }, "Two rows");
        Assert.Equal(string.Join(Environment.NewLine,
            "Before & after",
            "Two rows",
            "  a      b",
            "  -----  ---------",
            "      1  long text",
            "  22.25  t"), Show.HtmlAsText(html));
        Assert.Equal("plain", Show.HtmlAsText("<b>plain</b>"));
    }

    [Fact]
    public void A_chart_is_written_as_an_html_file_in_the_figures_folder()
    {
        var tmp = Directory.CreateTempSubdirectory("selfsim-show-").FullName;
        var before = Environment.GetEnvironmentVariable(Figures.FolderVariable);
        try
        {
            Environment.SetEnvironmentVariable(Figures.FolderVariable, tmp);
            var chart = StudyCharts.Lines(new[] { new ChartSeries("a", new List<double> { 1, 2 }, new List<double> { 1, 4 }) },
                "Squares by hand", "x", "y");
            var line = Show.WriteChart(chart);
            var m = Regex.Match(line, @"^figure: (.+\.html)$");
            Assert.True(m.Success, line);
            var file = m.Groups[1].Value;
            Assert.Equal(tmp, Path.GetDirectoryName(file));
            Assert.Matches(@"^chart-\d\d-squares-by-hand(-smoke)?\.html$", Path.GetFileName(file));
            var page = File.ReadAllText(file);
            Assert.Contains("Plotly.newPlot", page);
            Assert.Contains("Squares by hand", page);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Figures.FolderVariable, before);
            Directory.Delete(tmp, true);
        }
    }
}

#nullable enable
using System;
using System.IO;
using System.Threading;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

/// <summary>
/// How a chart shows in a notebook: an HTML output that draws with plotly.js carried inline, so charts draw offline
/// (Jupyter, VS Code, saved notebooks, CI). Plotly.NET.Interactive's own formatter loads plotly.js from a CDN through
/// requirejs, which draws nothing without internet. The first chart of a kernel session carries the whole library
/// (Plotly.NET's embedded copy, about 3.5 MB); later charts wait for it in the page instead of carrying it again, the
/// way Python's plotly offline mode works. Re-running the cell that #loads SelfSim.csx starts again with the library.
/// </summary>
public static class ChartDisplay
{
    static int _libraryWritten;
    static int _registered;

    /// <summary>Registers the formatter (idempotent); later registrations win, so this replaces Plotly.NET.Interactive's.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ToNotebookHtml(chart)), HtmlFormatter.MimeType);
    }

    /// <summary>The HTML fragment of one chart output; <paramref name="withLibrary"/> forces plotly.js inline.</summary>
    public static string ToNotebookHtml(GenericChart chart, bool? withLibrary = null)
    {
        bool library = withLibrary ?? Interlocked.Exchange(ref _libraryWritten, 1) == 0;
        // "</" never appears raw inside a script element (JSON allows the escaped form "<\/").
        var figure = PlotlyFigureJson.Serialize(chart).Replace("</", "<\\/");
        var config = PlotlyFigureJson.SerializeConfig(chart).Replace("</", "<\\/");
        var id = "selfsim-chart-" + Guid.NewGuid().ToString("N");
        var w = new StringWriter();
        if (library)
        {
            // Hide AMD/CommonJS (Jupyter's requirejs) so the bundle sets window.Plotly.
            w.Write("<script type=\"text/javascript\">(function(define, module, exports){\n");
            w.Write(Figures.PlotlyJsSource());
            w.Write("\n}).call(window);</script>\n");
        }
        w.Write($"<div id=\"{id}\" class=\"selfsim-chart\"></div>\n");
        w.Write("<script type=\"text/javascript\">(function(){\n");
        w.Write($"var fig = {figure};\nvar config = {config};\nvar tries = 0;\n");
        w.Write("function draw(){\n");
        w.Write($"  var el = document.getElementById('{id}'); if (!el) return;\n");
        w.Write("  if (!window.Plotly) {\n");
        w.Write("    if (tries++ < 100) { setTimeout(draw, 100); return; }\n");
        w.Write("    el.textContent = 'plotly.js is not loaded in this page: run the cell that #loads SelfSim.csx again, then this one.';\n");
        w.Write("    return;\n  }\n");
        w.Write("  window.Plotly.newPlot(el, fig.data, fig.layout, Object.assign({displaylogo: false}, config));\n");
        w.Write("}\ndraw();\n})();</script>\n");
        return w.ToString();
    }
}

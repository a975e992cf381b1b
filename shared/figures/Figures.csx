#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Plotly.NET;

/// <summary>The files one Figures.Save call wrote. Note says why SVG/PNG were not written, when they were not.</summary>
public sealed record SavedFigure(string Name, string Html, IReadOnlyList<string> StaticFiles, string? Note);

/// <summary>
/// Saves charts for papers: <c>Figures.Save(chart, "fig-3", xTitle: "log r", yTitle: "log N")</c> applies a PaperStyle and writes
/// fig-3.html (self-contained: plotly.js inlined from Plotly.NET's embedded copy, no CDN) into the figures folder, and
/// fig-3.svg / fig-3.png when the notebook runs under `selfsim run` (Chromium through Playwright, via the runner's hook).
/// In the interactive kernel the HTML is written and `selfsim figures render FOLDER` makes the SVG/PNG later.
/// The folder is $SELFSIM_FIGURES (set by `selfsim run --figures`), else ./figures in the working directory (the notebook's folder).
/// At smoke size (RunMode.Smoke) Save names the files fig-3-smoke.* and adds " (smoke)" to the title, whatever the notebook
/// passed, so a pipeline check can never pass for a finding.
/// </summary>
public static class Figures
{
    public const string FolderVariable = "SELFSIM_FIGURES";
    /// <summary>AppDomain data key of the runner's exporter: Func&lt;string htmlPath, string[] formats, double scale, string[] files&gt;.</summary>
    public const string ExportHookKey = "SelfSim.Figures.StaticExport";

    /// <summary>Where figures go.</summary>
    public static string Folder
    {
        get
        {
            var env = Environment.GetEnvironmentVariable(FolderVariable);
            return string.IsNullOrWhiteSpace(env) ? Path.Combine(Directory.GetCurrentDirectory(), "figures") : Path.GetFullPath(env);
        }
    }

    /// <summary>Styles and saves a chart as NAME.html, plus NAME.svg and NAME.png (or the formats given, e.g. "svg").</summary>
    public static SavedFigure Save(GenericChart chart, string name, string? xTitle = null, string? yTitle = null, string? title = null,
                                   PaperStyle? style = null, string formats = "svg,png")
    {
        if (chart == null) throw new ArgumentNullException(nameof(chart));
        if (string.IsNullOrWhiteSpace(name) || !Regex.IsMatch(name, @"^[A-Za-z0-9][A-Za-z0-9._-]*$"))
            throw new SelfSimException($"'{name}' is not a usable figure name; use letters, digits, '-', '_' or '.', e.g. \"fig-3\".");
        style ??= PaperStyle.Default;
        (name, title) = Labelled(name, title ?? TitleOf(chart));
        var styled = style.Apply(chart, xTitle, yTitle, title);
        var html = Path.Combine(Folder, name + ".html");
        AtomicFile.WriteAllBytes(html, Encoding.UTF8.GetBytes(ToHtml(styled, title ?? name)));

        var wanted = formats.Split(new[] { ',', ' ', ';' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Trim().TrimStart('.').ToLowerInvariant()).Where(f => f != "html").Distinct().ToArray();
        if (wanted.Length == 0) return new SavedFigure(name, html, Array.Empty<string>(), null);
        if (AppDomain.CurrentDomain.GetData(ExportHookKey) is not Func<string, string[], double, string[]> export)
        {
            var note = $"{name}: wrote HTML only; SVG/PNG come from `selfsim run` or `selfsim figures render {Folder}` (Chromium via Playwright).";
            return new SavedFigure(name, html, Array.Empty<string>(), note);
        }
        try
        {
            return new SavedFigure(name, html, export(html, wanted, style.PngScale), null);
        }
        catch (Exception e)
        {
            // A missing browser must not lose the figure: the HTML is written; say how to get the static files.
            var inner = e is AggregateException { InnerException: { } ie } ? ie : e;
            var note = $"{name}: wrote {html}, but SVG/PNG export failed: {inner.Message}";
            Console.Error.WriteLine(note);
            return new SavedFigure(name, html, Array.Empty<string>(), note);
        }
    }

    /// <summary>The file name and title a figure gets in this run: at smoke size the name ends in "-smoke" and the title
    /// says "(smoke)", so a pipeline check can never pass for a finding (a title that already says smoke is kept).</summary>
    public static (string Name, string? Title) Labelled(string name, string? title) =>
        (RunMode.FileName(name), RunMode.Smoke ? RunMode.Title(string.IsNullOrWhiteSpace(title) ? name : title) : title);

    /// <summary>The chart's title text, or null when it has none.</summary>
    public static string? TitleOf(GenericChart chart) =>
        GenericChart.getLayout(chart).TryGetPropertyValue("title")?.Value is DynamicObj.DynamicObj t
        && t.TryGetPropertyValue("text")?.Value is string s ? s : null;

    /// <summary>A standalone HTML page with plotly.js inlined and the chart at its layout size.</summary>
    public static string ToHtml(GenericChart chart, string title = "figure")
    {
        // "</" never appears raw inside the script element (JSON allows the escaped form "<\/").
        var figure = PlotlyFigureJson.Serialize(chart).Replace("</", "<\\/");
        var config = PlotlyFigureJson.SerializeConfig(chart).Replace("</", "<\\/");
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>")
          .Append(System.Net.WebUtility.HtmlEncode(title))
          .Append("</title>\n<style>body{margin:0;background:#fff}</style>\n<script type=\"text/javascript\">")
          .Append(PlotlyJsSource())
          .Append("</script>\n</head>\n<body>\n<div id=\"figure\"></div>\n<script type=\"text/javascript\">\nvar fig = ")
          .Append(figure)
          .Append(";\nvar config = ")
          .Append(config)
          .Append(";\nPlotly.newPlot('figure', fig.data, fig.layout, Object.assign({}, config, {responsive: false, displaylogo: false}));\n</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    static string? _plotlyJs;

    /// <summary>plotly.js as embedded in the Plotly.NET assembly.</summary>
    public static string PlotlyJsSource()
    {
        if (_plotlyJs != null) return _plotlyJs;
        var asm = typeof(GenericChart).Assembly;
        var res = asm.GetManifestResourceNames().FirstOrDefault(n => Regex.IsMatch(n, @"plotly-[\d.]+\.min\.js$"))
                  ?? throw new SelfSimException($"Plotly.NET {asm.GetName().Version} embeds no plotly.js; self-contained figures need Plotly.NET 6.0.0 as pinned.");
        using var s = asm.GetManifestResourceStream(res)!;
        using var r = new StreamReader(s);
        return _plotlyJs = r.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    }
}

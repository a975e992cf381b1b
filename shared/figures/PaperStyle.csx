#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Plotly.NET;

/// <summary>
/// A consistent look for figures in papers: one font family and size, white background, black axis lines with
/// outside ticks, light grid, fixed size in CSS pixels (96 per inch). Apply returns a restyled copy of the chart.
/// <code>var styled = PaperStyle.SingleColumn.Apply(chart, xTitle: "log r", yTitle: "log N(r)");</code>
/// </summary>
public sealed record PaperStyle
{
    public string FontFamily { get; init; } = "Arial, Helvetica, sans-serif";
    public int FontSize { get; init; } = 12;
    public int TitleFontSize { get; init; } = 14;
    /// <summary>Width and height in CSS pixels; SVG keeps them, PNG multiplies them by PngScale.</summary>
    public int Width { get; init; } = 640;
    public int Height { get; init; } = 420;
    /// <summary>PNG pixel density: 3 gives about 300 dpi at the figure's physical size.</summary>
    public double PngScale { get; init; } = 3;
    public bool Grid { get; init; } = true;
    public string GridColor { get; init; } = "#e6e6e6";
    public string LineColor { get; init; } = "#000000";

    /// <summary>640 x 420 px, 12 px text: a screen and report default.</summary>
    public static PaperStyle Default { get; } = new();
    /// <summary>One column of a two-column paper (3.5 in wide).</summary>
    public static PaperStyle SingleColumn { get; } = new() { Width = 336, Height = 252, FontSize = 9, TitleFontSize = 10 };
    /// <summary>Full text width of a two-column paper (7 in wide).</summary>
    public static PaperStyle DoubleColumn { get; } = new() { Width = 672, Height = 336, FontSize = 10, TitleFontSize = 12 };
    /// <summary>16:9 slides.</summary>
    public static PaperStyle Slide { get; } = new() { Width = 960, Height = 540, FontSize = 18, TitleFontSize = 24 };

    /// <summary>A copy of <paramref name="chart"/> with this style, and axis labels and a title when given.
    /// The original chart is left unchanged.</summary>
    public GenericChart Apply(GenericChart chart, string? xTitle = null, string? yTitle = null, string? title = null)
    {
        var layout = (Layout)Copy(GenericChart.getLayout(chart), typeof(Layout));
        layout.SetProperty("width", Width);
        layout.SetProperty("height", Height);
        layout.SetProperty("font", FontObj(FontSize));
        layout.SetProperty("paper_bgcolor", "#ffffff");
        layout.SetProperty("plot_bgcolor", "#ffffff");
        var margin = new DynamicObj.DynamicObj();
        margin.SetProperty("l", FontSize * 5 + 10);
        margin.SetProperty("r", FontSize + 8);
        margin.SetProperty("b", FontSize * 4 + 10);
        margin.SetProperty("t", (title ?? TitleOf(layout)) != null ? TitleFontSize * 3 : FontSize + 8);
        layout.SetProperty("margin", margin);
        var legend = Copy(layout.TryGetPropertyValue("legend")?.Value, typeof(DynamicObj.DynamicObj));
        legend.SetProperty("font", FontObj(FontSize));
        legend.SetProperty("bgcolor", "rgba(255,255,255,0.8)");
        layout.SetProperty("legend", legend);
        if (title != null || TitleOf(layout) != null)
            layout.SetProperty("title", TitleObj(layout.TryGetPropertyValue("title")?.Value, RunMode.Title(title ?? TitleOf(layout)!), TitleFontSize));

        var axes = layout.GetPropertyNames(true).Where(IsAxisKey).ToList();
        foreach (var key in new[] { "xaxis", "yaxis" }) if (!axes.Contains(key)) axes.Add(key);
        foreach (var key in axes)
        {
            var axis = Copy(layout.TryGetPropertyValue(key)?.Value, typeof(DynamicObj.DynamicObj));
            axis.SetProperty("showline", true);
            axis.SetProperty("linecolor", LineColor);
            axis.SetProperty("linewidth", 1);
            axis.SetProperty("mirror", true);
            axis.SetProperty("ticks", "outside");
            axis.SetProperty("tickcolor", LineColor);
            axis.SetProperty("ticklen", 4);
            axis.SetProperty("tickfont", FontObj(FontSize));
            axis.SetProperty("showgrid", Grid);
            axis.SetProperty("gridcolor", GridColor);
            axis.SetProperty("zeroline", false);
            var label = key == "xaxis" ? xTitle : key == "yaxis" ? yTitle : null;
            axis.SetProperty("title", TitleObj(axis.TryGetPropertyValue("title")?.Value, label, FontSize));
            layout.SetProperty(key, axis);
        }
        return GenericChart.setLayout(layout, chart);
    }

    static bool IsAxisKey(string k) =>
        (k.StartsWith("xaxis", StringComparison.Ordinal) || k.StartsWith("yaxis", StringComparison.Ordinal))
        && k.Skip(5).All(char.IsDigit);

    DynamicObj.DynamicObj FontObj(int size)
    {
        var f = new DynamicObj.DynamicObj();
        f.SetProperty("family", FontFamily);
        f.SetProperty("size", size);
        f.SetProperty("color", LineColor);
        return f;
    }

    DynamicObj.DynamicObj TitleObj(object? existing, string? text, int size)
    {
        var t = Copy(existing, typeof(DynamicObj.DynamicObj));
        if (text != null) t.SetProperty("text", text);
        t.SetProperty("font", FontObj(size));
        return t;
    }

    static string? TitleOf(Layout layout) =>
        layout.TryGetPropertyValue("title")?.Value is DynamicObj.DynamicObj t && t.TryGetPropertyValue("text")?.Value is string s ? s : null;

    /// <summary>A shallow copy (same type when it is a DynamicObj) so styling never changes the caller's chart.</summary>
    internal static DynamicObj.DynamicObj Copy(object? existing, Type fallback)
    {
        DynamicObj.DynamicObj fresh;
        switch (existing)
        {
            case DynamicObj.DynamicObj d:
                fresh = (DynamicObj.DynamicObj)Activator.CreateInstance(d.GetType())!;
                foreach (var kv in d.GetProperties(true)) fresh.SetProperty(kv.Key, kv.Value);
                return fresh;
            case IDictionary<string, object> dict:
                fresh = (DynamicObj.DynamicObj)Activator.CreateInstance(fallback)!;
                foreach (var kv in dict) fresh.SetProperty(kv.Key, kv.Value);
                return fresh;
            default:
                return (DynamicObj.DynamicObj)Activator.CreateInstance(fallback)!;
        }
    }
}

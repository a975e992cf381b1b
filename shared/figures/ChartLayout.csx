#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Plotly.NET;

// Chart titles, axis labels and log axes for the notebooks' figures, in the one paper style
// (plotly.js layout attributes, https://plotly.com/javascript/reference/layout/).

/// <summary>
/// Titles a chart and labels its axes (with units), optionally on logarithmic axes (<see cref="Titled"/>), and gives
/// it the one look of every figure here, <see cref="PaperStyle.Default"/> (<see cref="Styled"/>). Returns a copy; the
/// input chart is not changed.
/// <code>ChartLayout.Styled(chart, "Box covering of blocks.2", "box size l_B (distance units)", "boxes N_B", logX: true, logY: true)</code>
/// </summary>
public static class ChartLayout
{
    /// <summary>A copy of <paramref name="chart"/> with a title, axis titles and (optionally) log-scaled axes, and nothing else.</summary>
    public static GenericChart Titled(GenericChart chart, string title, string xTitle, string yTitle, bool logX = false, bool logY = false)
    {
        if (chart is null) throw new SelfSimException("ChartLayout.Titled: the chart is null.");
        if (string.IsNullOrWhiteSpace(title) || string.IsNullOrWhiteSpace(xTitle) || string.IsNullOrWhiteSpace(yTitle))
            throw new SelfSimException("ChartLayout.Titled: every figure needs a title and both axis labels (with units); pass non-empty strings.");
        var layout = (Layout)PaperStyle.Copy(GenericChart.getLayout(chart), typeof(Layout));
        layout.SetProperty("title", Text(RunMode.Title(title)));
        layout.SetProperty("xaxis", Axis(layout, "xaxis", xTitle, logX));
        layout.SetProperty("yaxis", Axis(layout, "yaxis", yTitle, logY));
        return GenericChart.setLayout(layout, chart);
    }

    /// <summary><see cref="Titled"/> in the paper style (<see cref="PaperStyle.Default"/>: font, white background, axis
    /// lines, grid, 640 × 420 px), the look notebooks 00–07 share. A width or height the chart set itself is kept.</summary>
    public static GenericChart Styled(GenericChart chart, string title, string xTitle, string yTitle, bool logX = false, bool logY = false)
    {
        var before = GenericChart.getLayout(chart);
        var width = before.TryGetPropertyValue("width")?.Value;
        var height = before.TryGetPropertyValue("height")?.Value;
        var styled = PaperStyle.Default.Apply(Titled(chart, title, xTitle, yTitle, logX, logY));
        if (width is not null) styled = With(styled, "width", width);
        if (height is not null) styled = With(styled, "height", height);
        return styled;
    }

    /// <summary>Sets one layout attribute (e.g. "yaxis.autorange" = "reversed", "xaxis.scaleanchor" = "y") on a copy of the chart.</summary>
    public static GenericChart With(GenericChart chart, string path, object value)
    {
        var layout = (Layout)PaperStyle.Copy(GenericChart.getLayout(chart), typeof(Layout));
        var parts = path.Split('.');
        DynamicObj.DynamicObj target = layout;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            var child = PaperStyle.Copy(target.TryGetPropertyValue(parts[i])?.Value, typeof(DynamicObj.DynamicObj));
            target.SetProperty(parts[i], child);
            target = child;
        }
        target.SetProperty(parts[^1], value);
        return GenericChart.setLayout(layout, chart);
    }

    static DynamicObj.DynamicObj Axis(Layout layout, string key, string title, bool log)
    {
        var axis = PaperStyle.Copy(layout.TryGetPropertyValue(key)?.Value, typeof(DynamicObj.DynamicObj));
        axis.SetProperty("title", Text(title));
        if (log) axis.SetProperty("type", "log");
        return axis;
    }

    static DynamicObj.DynamicObj Text(string text)
    {
        var t = new DynamicObj.DynamicObj();
        t.SetProperty("text", text);
        return t;
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Plotly.NET;

// Chart titles, axis labels and log axes for the notebooks' figures (plotly.js layout attributes, https://plotly.com/javascript/reference/layout/).

/// <summary>
/// Titles a chart and labels its axes (with units), optionally on logarithmic axes. Returns a copy; the input chart is
/// not changed. <code>ChartLayout.Titled(chart, "Box covering of blocks.2", "box size l_B (distance units)", "boxes N_B", logX: true, logY: true)</code>
/// </summary>
public static class ChartLayout
{
    /// <summary>A copy of <paramref name="chart"/> with a title, axis titles and (optionally) log-scaled axes.</summary>
    public static GenericChart Titled(GenericChart chart, string title, string xTitle, string yTitle, bool logX = false, bool logY = false)
    {
        if (chart is null) throw new SelfSimException("ChartLayout.Titled: the chart is null.");
        if (string.IsNullOrWhiteSpace(title) || string.IsNullOrWhiteSpace(xTitle) || string.IsNullOrWhiteSpace(yTitle))
            throw new SelfSimException("ChartLayout.Titled: every figure needs a title and both axis labels (with units); pass non-empty strings.");
        var layout = CopyLayout(GenericChart.getLayout(chart));
        layout.SetProperty("title", Text(RunMode.Title(title)));
        layout.SetProperty("xaxis", Axis(layout, "xaxis", xTitle, logX));
        layout.SetProperty("yaxis", Axis(layout, "yaxis", yTitle, logY));
        return GenericChart.setLayout(layout, chart);
    }

    /// <summary>Sets one layout attribute (e.g. "yaxis.autorange" = "reversed", "xaxis.scaleanchor" = "y") on a copy of the chart.</summary>
    public static GenericChart With(GenericChart chart, string path, object value)
    {
        var layout = CopyLayout(GenericChart.getLayout(chart));
        var parts = path.Split('.');
        DynamicObj.DynamicObj target = layout;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            var child = Copy(target.TryGetPropertyValue(parts[i])?.Value);
            target.SetProperty(parts[i], child);
            target = child;
        }
        target.SetProperty(parts[^1], value);
        return GenericChart.setLayout(layout, chart);
    }

    static DynamicObj.DynamicObj Axis(Layout layout, string key, string title, bool log)
    {
        var axis = Copy(layout.TryGetPropertyValue(key)?.Value);
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

    static Layout CopyLayout(Layout source)
    {
        var fresh = new Layout();
        foreach (var kv in source.GetProperties(true)) fresh.SetProperty(kv.Key, kv.Value);
        return fresh;
    }

    static DynamicObj.DynamicObj Copy(object? existing)
    {
        var fresh = new DynamicObj.DynamicObj();
        if (existing is DynamicObj.DynamicObj d) foreach (var kv in d.GetProperties(true)) fresh.SetProperty(kv.Key, kv.Value);
        else if (existing is IDictionary<string, object> dict) foreach (var kv in dict) fresh.SetProperty(kv.Key, kv.Value);
        return fresh;
    }
}

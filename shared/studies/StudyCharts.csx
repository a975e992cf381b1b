#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Plotly.NET;

// Chart builders for the study notebooks (04-07): every chart carries a title and labelled axes (PaperStyle.Default),
// non-finite points are dropped (plotly cannot draw NaN), intervals are error bars or shaded bands.

/// <summary>Which per-layer quantity a chart shows.</summary>
public enum LayerMetric
{
    /// <summary>S, the Srate self-similarity rate (dimensionless; 0 = the box-covering curve is the straight chord).</summary>
    S,
    /// <summary>d_B, the box dimension of the exact box cover, with its 95 % interval as error bars.</summary>
    BoxDimension,
}

/// <summary>One line of a chart: points (X, Y), and optionally an interval [Low, High] per point drawn as error bars or a band.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y,
    IReadOnlyList<double>? Low = null, IReadOnlyList<double>? High = null, bool Band = false, bool Markers = true,
    bool Lines = true);

/// <summary>Plotly charts for S, d_B, box-covering curves and experiment arms, titled and labelled.</summary>
public static class StudyCharts
{
    /// <summary>The colour cycle (Okabe-Ito, readable in grey and by colour-blind readers).</summary>
    public static IReadOnlyList<string> Palette { get; } = new[] { "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442" };

    /// <summary>The axis label of a metric, with its unit.</summary>
    public static string Label(LayerMetric metric) => metric == LayerMetric.S ? "S (Srate, dimensionless)" : "d_B (box dimension, dimensionless)";

    static double Value(LayerMeasures m, LayerMetric metric) => metric == LayerMetric.S ? m.S : m.BoxDimension.Value;

    /// <summary>
    /// A line chart of <paramref name="series"/>, titled, with axis labels (units in the labels), optionally log axes.
    /// </summary>
    public static GenericChart Lines(IEnumerable<ChartSeries> series, string title, string xTitle, string yTitle,
        bool logX = false, bool logY = false)
    {
        var traces = new List<Trace>();
        int k = 0;
        foreach (var s in series)
        {
            var color = Palette[k++ % Palette.Count];
            var idx = Enumerable.Range(0, Math.Min(s.X.Count, s.Y.Count))
                .Where(i => double.IsFinite(s.X[i]) && double.IsFinite(s.Y[i]) && (!logX || s.X[i] > 0) && (!logY || s.Y[i] > 0)).ToArray();
            var x = idx.Select(i => s.X[i]).ToArray();
            var y = idx.Select(i => s.Y[i]).ToArray();
            bool hasInterval = s.Low != null && s.High != null;
            if (hasInterval && s.Band)
            {
                var ok = idx.Where(i => double.IsFinite(s.Low![i]) && double.IsFinite(s.High![i])).ToArray();
                var bx = ok.Select(i => s.X[i]).ToArray();
                var lower = Scatter(s.Name + " (low)", bx, ok.Select(i => s.Low![i]).ToArray(), color, markers: false, legend: false, width: 0);
                var upper = Scatter(s.Name + " (high)", bx, ok.Select(i => s.High![i]).ToArray(), color, markers: false, legend: false, width: 0);
                upper.SetProperty("fill", "tonexty");
                upper.SetProperty("fillcolor", Rgba(color, 0.2));
                traces.Add(lower);
                traces.Add(upper);
            }
            var main = Scatter(s.Name, x, y, color, s.Markers, legend: true, width: 2, lines: s.Lines);
            if (hasInterval && !s.Band)
            {
                var err = new DynamicObj.DynamicObj();
                err.SetProperty("type", "data");
                err.SetProperty("symmetric", false);
                err.SetProperty("array", idx.Select(i => double.IsFinite(s.High![i]) ? s.High[i] - s.Y[i] : 0).ToArray());
                err.SetProperty("arrayminus", idx.Select(i => double.IsFinite(s.Low![i]) ? s.Y[i] - s.Low[i] : 0).ToArray());
                err.SetProperty("color", color);
                err.SetProperty("thickness", 1);
                err.SetProperty("width", 3);
                main.SetProperty("error_y", err);
            }
            traces.Add(main);
        }
        if (traces.Count == 0) throw new SelfSimException($"The chart '{title}' has no series to draw.");
        var chart = GenericChart.ofTraceObjects(true, traces);
        var layout = GenericChart.getLayout(chart);
        if (logX) layout.SetProperty("xaxis", AxisType("log"));
        if (logY) layout.SetProperty("yaxis", AxisType("log"));
        return PaperStyle.Default.Apply(chart, xTitle, yTitle, title);
    }

    /// <summary>S or d_B against relative depth (0 = first hooked layer, 1 = last), one line per architecture.</summary>
    public static GenericChart PerLayer(IEnumerable<LayerMeasures> layers, LayerMetric metric, string? title = null)
    {
        var series = layers.GroupBy(m => m.Architecture).Select(g =>
        {
            var rows = g.OrderBy(m => m.Index).ToList();
            return metric == LayerMetric.S
                ? new ChartSeries(g.Key, rows.Select(m => m.Depth).ToList(), rows.Select(m => m.S).ToList())
                : new ChartSeries(g.Key, rows.Select(m => m.Depth).ToList(), rows.Select(m => m.BoxDimension.Value).ToList(),
                    rows.Select(m => m.BoxDimension.Lower).ToList(), rows.Select(m => m.BoxDimension.Upper).ToList());
        }).ToList();
        return Lines(series, title ?? (metric == LayerMetric.S ? "Srate S per layer" : "Box dimension d_B per layer (95 % CI)"),
            "relative depth (0 = first hooked layer, 1 = last)", Label(metric));
    }

    /// <summary>S or d_B against epochs trained (0 = initialisation), one line per layer.</summary>
    public static GenericChart OverEpochs(IEnumerable<EpochLayerMeasure> records, LayerMetric metric, string? title = null)
    {
        var series = records.GroupBy(r => (r.Index, r.Layer)).OrderBy(g => g.Key.Index).Select(g =>
        {
            var rows = g.OrderBy(r => r.Epoch).ToList();
            var x = rows.Select(r => (double)r.Epoch).ToList();
            return metric == LayerMetric.S
                ? new ChartSeries(g.Key.Layer, x, rows.Select(r => r.S).ToList())
                : new ChartSeries(g.Key.Layer, x, rows.Select(r => r.BoxDimension.Value).ToList(),
                    rows.Select(r => r.BoxDimension.Lower).ToList(), rows.Select(r => r.BoxDimension.Upper).ToList());
        }).ToList();
        return Lines(series, title ?? (metric == LayerMetric.S ? "Srate S per layer through training" : "Box dimension d_B per layer through training"),
            "epochs trained (0 = initialisation)", Label(metric));
    }

    /// <summary>Mean over seeds per arm and epoch with a ±1 standard deviation band.</summary>
    public static GenericChart ArmCurves(IEnumerable<ArmPoint> points, string title, string yTitle, string xTitle = "epoch (0-based)")
    {
        var series = points.GroupBy(p => p.Arm).Select(g =>
        {
            var rows = g.OrderBy(p => p.Epoch).ToList();
            var sd = rows.Select(p => double.IsFinite(p.Std) ? p.Std : 0).ToList();
            return new ChartSeries($"{g.Key} (n = {rows.Max(p => p.Runs)})", rows.Select(p => (double)p.Epoch).ToList(), rows.Select(p => p.Mean).ToList(),
                rows.Select((p, i) => p.Mean - sd[i]).ToList(), rows.Select((p, i) => p.Mean + sd[i]).ToList(), Band: true);
        }).ToList();
        return Lines(series, title, xTitle, yTitle);
    }

    /// <summary>A scatter trace drawn as a line (with markers when asked), built directly so the shared scripts need only Plotly.NET.</summary>
    static Trace2D Scatter(string name, double[] x, double[] y, string color, bool markers, bool legend, double width,
        bool lines = true)
    {
        var t = new Trace2D("scatter");
        t.SetProperty("name", name);
        t.SetProperty("x", x);
        t.SetProperty("y", y);
        t.SetProperty("mode", !lines ? "markers" : markers ? "lines+markers" : "lines");
        t.SetProperty("showlegend", legend);
        var line = new DynamicObj.DynamicObj();
        line.SetProperty("color", color);
        line.SetProperty("width", width);
        t.SetProperty("line", line);
        var marker = new DynamicObj.DynamicObj();
        marker.SetProperty("color", color);
        marker.SetProperty("size", 5);
        t.SetProperty("marker", marker);
        return t;
    }

    static DynamicObj.DynamicObj AxisType(string type)
    {
        var a = new DynamicObj.DynamicObj();
        a.SetProperty("type", type);
        return a;
    }

    static string Rgba(string hex, double alpha)
    {
        int r = Convert.ToInt32(hex.Substring(1, 2), 16), g = Convert.ToInt32(hex.Substring(3, 2), 16), b = Convert.ToInt32(hex.Substring(5, 2), 16);
        return string.Format(CultureInfo.InvariantCulture, "rgba({0},{1},{2},{3})", r, g, b, alpha);
    }
}

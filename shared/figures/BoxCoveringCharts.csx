#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Plotly.NET;

// Box-covering curves N_B(l_B) on log-log axes (Song, Havlin & Makse 2005) with their fits, exact (the reference's box_edge)
// and Srate's approximation (Ding et al. 2025, arXiv 2507.17785).

/// <summary>Charts of box-covering curves. Every chart comes titled, with labelled (log) axes.</summary>
public static class BoxCoveringCharts
{
    public const string SizeAxis = "box size l_B (distance, Euclidean/√samples)";
    public const string CountAxis = "number of boxes N_B";

    /// <summary>The exact curve's points (l_B &gt; 0 only: a log axis cannot show 0) as a marker trace.</summary>
    public static GenericChart Curve(BoxCoverResult r, string name)
    {
        var pts = r.Curve.Where(p => p.BoxSize > 0).ToArray();
        return Plotly.NET.CSharp.Chart.Point<double, int, string>(pts.Select(p => p.BoxSize), pts.Select(p => p.Boxes), Name: name);
    }

    /// <summary>Srate's approximate curve N_B(l) as a line.</summary>
    public static GenericChart SrateCurve(SrateResult s, string name)
    {
        var idx = Enumerable.Range(0, s.Scales.Length).Where(k => s.Scales[k] > 0).ToArray();
        return Plotly.NET.CSharp.Chart.Line<double, double, string>(idx.Select(k => s.Scales[k]), idx.Select(k => s.BoxCount[k]), Name: name);
    }

    /// <summary>The fitted power law N_B = e^c · l_B^(−d_B) over the fit's range, as a dashed line.</summary>
    public static GenericChart FitLine(BoxDimensionFit e, string name)
    {
        var xs = new[] { e.MinSize, e.MaxSize };
        var ys = xs.Select(l => Math.Exp(e.Intercept) * Math.Pow(l, -e.Dimension.Value));
        return Plotly.NET.CSharp.Chart.Line<double, double, string>(xs, ys, Name: name, LineDash: StyleParam.DrawingStyle.Dash, LineWidth: 2.5);
    }

    /// <summary>Exact curves of several layers (or sets) on one log-log chart: the one chart of several box-covering
    /// curves (notebooks 02 and 07). Merges with l_B = 0 cannot be drawn on a log axis and are left out.</summary>
    public static GenericChart Layers(IEnumerable<(string Name, BoxCoverResult Cover)> curves, string title) =>
        ChartLayout.Styled(Plotly.NET.CSharp.Chart.Combine(curves.Select(c => Curve(c.Cover, c.Name))), title, SizeAxis, CountAxis, logX: true, logY: true);

    /// <summary>One layer: the exact curve, Srate's approximate curve, and the log-log fit of each with its d_B in the legend.</summary>
    public static GenericChart ExactVsSrate(BoxCoverResult cover, SrateResult srate, string title)
    {
        var exact = BoxDimensionFitter.LogLogByBoxes(cover);
        var approx = BoxDimensionFitter.LogLogByBoxes(srate);
        return ChartLayout.Styled(Plotly.NET.CSharp.Chart.Combine(new[]
        {
            Curve(cover, "exact box cover"),
            SrateCurve(srate, $"Srate approximation (S = {srate.S:F3})"),
            FitLine(exact, $"exact fit d_B = {exact.Dimension.Value:F2} [{exact.Dimension.Lower:F2}, {exact.Dimension.Upper:F2}]"),
            FitLine(approx, $"Srate fit d_B = {approx.Dimension.Value:F2} [{approx.Dimension.Lower:F2}, {approx.Dimension.Upper:F2}]"),
        }), title, SizeAxis, CountAxis, logX: true, logY: true);
    }

    /// <summary>The reference's normalised coordinates x = ln(1+l_B)/max, y = ln N_B/ln n for several curves, with their fitted lines.</summary>
    public static GenericChart Normalised(IEnumerable<(string Name, NormalisedBoxFit Fit)> fits, string title)
    {
        var traces = new List<GenericChart>();
        foreach (var (name, f) in fits)
        {
            traces.Add(Plotly.NET.CSharp.Chart.Point<double, double, string>(f.X, f.Y, Name: name));
            traces.Add(Plotly.NET.CSharp.Chart.Line<double, double, string>(new[] { 0.0, 1.0 }, new[] { f.Intercept, f.Intercept + f.Slope },
                Name: $"{name}: slope {f.Slope:F3}", LineDash: StyleParam.DrawingStyle.Dash));
        }
        return ChartLayout.Styled(Plotly.NET.CSharp.Chart.Combine(traces), title,
            "ln(1 + l_B) / max ln(1 + l_B) (dimensionless)", "ln N_B / ln n (dimensionless)");
    }
}

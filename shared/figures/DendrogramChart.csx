#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Plotly.NET;

// Drawing a dendrogram as scipy.cluster.hierarchy.dendrogram does (U-shaped links, leaves left to right), one trace whose
// links are separated by gaps (NaN points, which plotly.js leaves unconnected).

/// <summary>Dendrogram and edge-set drawings as single line traces with gaps.</summary>
public static class DendrogramChart
{
    /// <summary>The dendrogram's links; y is the merge height (the box size l_B for a box cover's tree).</summary>
    public static GenericChart Create(Dendrogram d, string title, string yTitle = "merge height l_B (distance)")
    {
        var (xs, ys) = Polyline(d.Links.Select(l => (l.X, l.Y)));
        var chart = Plotly.NET.CSharp.Chart.Line<double, double, string>(xs, ys, Name: "links", ShowLegend: false, LineWidth: 1);
        return ChartLayout.Styled(chart, title, "leaf (node, in dendrogram order)", yTitle);
    }

    /// <summary>Concatenates polylines into one pair of arrays, with a NaN point between polylines.</summary>
    public static (double[] X, double[] Y) Polyline(IEnumerable<(double[] X, double[] Y)> parts)
    {
        var xs = new List<double>(); var ys = new List<double>();
        foreach (var (x, y) in parts)
        {
            if (x.Length != y.Length) throw new SelfSimException("Polyline: a part has different numbers of x and y values.");
            if (xs.Count > 0) { xs.Add(double.NaN); ys.Add(double.NaN); }
            xs.AddRange(x); ys.AddRange(y);
        }
        return (xs.ToArray(), ys.ToArray());
    }
}

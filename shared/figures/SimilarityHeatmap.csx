#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Plotly.NET;

// A layer-by-layer similarity matrix (e.g. linear CKA, Kornblith et al. 2019, Fig. 2) as a labelled heatmap.

/// <summary>Heatmaps of square similarity matrices whose rows and columns are named layers.</summary>
public static class SimilarityHeatmap
{
    /// <summary>
    /// <paramref name="values"/>[i, j] for rows and columns labelled by <paramref name="labels"/> (row 0 at the top),
    /// in the paper style; values are rounded to 4 decimals (the colour range is the data's).
    /// </summary>
    public static GenericChart Create(double[,] values, IReadOnlyList<string> labels, string title, string valueName = "CKA",
        string xTitle = "layer", string yTitle = "layer")
    {
        if (values is null || labels is null) throw new SelfSimException("SimilarityHeatmap needs a matrix and its labels.");
        int r = values.GetLength(0), c = values.GetLength(1);
        if (labels.Count != r || r != c)
            throw new SelfSimException($"SimilarityHeatmap needs a square matrix with one label per row; got {r}×{c} and {labels.Count} labels.");
        var z = Enumerable.Range(0, r).Select(i => (IEnumerable<double>)Enumerable.Range(0, c).Select(j => Math.Round(values[i, j], 4)).ToArray());
        var chart = Plotly.NET.CSharp.Chart.Heatmap<double, string, string, string>(z, X: labels.ToArray(), Y: labels.ToArray(), Name: valueName,
            ColorScale: StyleParam.Colorscale.Viridis, ReverseYAxis: true);
        chart = ChartLayout.With(chart, "yaxis.scaleanchor", "x");
        return ChartLayout.Styled(chart, title, xTitle, yTitle);
    }
}

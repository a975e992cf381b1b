#nullable enable
using System;
using System.Linq;
using Plotly.NET;

// The node-distance matrix as a heatmap, rows and columns in a chosen (e.g. dendrogram leaf) order, as seriated
// distance matrices are shown in cluster analysis (Ding et al. 2025's feature networks; leaf order from the box cover's tree).

/// <summary>Heatmaps of n×n distance (or adjacency) matrices.</summary>
public static class DistanceHeatmap
{
    /// <summary>
    /// The matrix <paramref name="d"/> (row-major n×n) with rows and columns permuted by <paramref name="order"/>
    /// (order[i] is the node shown at position i; null keeps 0..n−1). Position 0 is at the top-left.
    /// </summary>
    public static GenericChart Create(double[] d, int n, int[]? order, string title, string valueName = "distance")
    {
        if (d is null || d.Length != (long)n * n) throw new SelfSimException($"DistanceHeatmap needs a row-major {n}×{n} matrix; got {d?.Length ?? 0} values.");
        order ??= Enumerable.Range(0, n).ToArray();
        if (order.Length != n || order.Distinct().Count() != n || order.Any(v => v < 0 || v >= n))
            throw new SelfSimException($"DistanceHeatmap: the order must be a permutation of 0..{n - 1}; got {order.Length} entries.");
        // four decimals keep the picture and shrink the notebook output (plotly writes every value)
        var z = Reorder(d, n, order).Select(row => row.Select(v => Math.Round(v, 4)).ToArray()).ToArray();
        var pos = Enumerable.Range(0, n).ToArray();
        var chart = Plotly.NET.CSharp.Chart.Heatmap<double, int, int, string>(z.Select(row => (System.Collections.Generic.IEnumerable<double>)row),
            X: pos, Y: pos, Name: valueName, ColorScale: StyleParam.Colorscale.Viridis, ReverseYAxis: true);
        chart = ChartLayout.With(chart, "yaxis.scaleanchor", "x");   // square cells
        return ChartLayout.Styled(chart, title, "node (position in order)", "node (position in order)");
    }

    /// <summary>Rows of the permuted matrix: z[i][j] = d[order[i], order[j]].</summary>
    public static double[][] Reorder(double[] d, int n, int[] order) =>
        Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Select(j => d[(long)order[i] * n + order[j]]).ToArray()).ToArray();
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Plotly.NET;
using TorchSharp;
using static TorchSharp.torch;

// Threshold feature graphs at several scales (Ding et al. 2025's feature networks; Song, Havlin & Makse 2005's scale l):
// per-scale graph statistics (edges, degrees, components, clustering after Watts & Strogatz 1998), scales picked as
// quantiles of the pairwise distances, and a picture of one graph on the nodes' first two principal components.

/// <summary>Statistics of the threshold graph at one scale: edges where distance &lt; Scale.</summary>
public sealed record ThresholdGraphStats(double Scale, double PairFraction, int Edges, double MeanDegree, int MaxDegree,
    int Isolated, int Components, double LargestComponentFraction, double AverageClustering);

/// <summary>Threshold graphs of one distance matrix over a range of scales.</summary>
public static class FeatureGraphScan
{
    /// <summary>The scales l at which the given fractions of node pairs are closer than l (quantiles of the pair distances).</summary>
    public static double[] ScalesAtPairFractions(double[] distances, int n, params double[] fractions) =>
        FeatureGraphs.ScalesAtPairFractions(distances, n, fractions);

    /// <summary>Builds the threshold graph at each scale and reports its statistics.</summary>
    public static IReadOnlyList<ThresholdGraphStats> Run(double[] distances, int n, IEnumerable<double> scales)
    {
        var pairs = UpperTriangle(distances, n);
        Array.Sort(pairs);
        var rows = new List<ThresholdGraphStats>();
        foreach (var l in scales)
        {
            var g = FeatureGraphs.Threshold(distances, n, l);
            rows.Add(Describe(g, l, pairs.Length == 0 ? 0 : (double)LowerBound(pairs, l) / pairs.Length));
        }
        return rows;
    }

    /// <summary>The statistics of one graph (Scale and PairFraction as given).</summary>
    public static ThresholdGraphStats Describe(CsrGraph g, double scale, double pairFraction)
    {
        var deg = g.DegreeSequence();
        var comps = GraphComponents.Compute(g);
        return new ThresholdGraphStats(scale, pairFraction, g.EdgeCount, deg.Length == 0 ? 0 : deg.Average(), deg.Length == 0 ? 0 : deg.Max(),
            deg.Count(k => k == 0), comps.Count, g.NodeCount == 0 ? 0 : (double)comps.Sizes[0] / g.NodeCount, ClusteringCoefficients.Average(g));
    }

    /// <summary>The first two principal-component coordinates of each row of a [nodes, samples] matrix (for drawing).</summary>
    public static (double[] X, double[] Y) PrincipalPlane(Tensor nodes)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = nodes.detach().cpu().to(ScalarType.Float64);
        x = x - x.mean(new long[] { 0 }, keepdim: true);
        var (u, s, _) = linalg.svd(x, fullMatrices: false);
        var pc = u.narrow(1, 0, Math.Min(2, (int)u.shape[1])) * s.narrow(0, 0, Math.Min(2, (int)s.shape[0]));
        var a = pc.contiguous().data<double>().ToArray();
        int cols = (int)pc.shape[1];
        int n = (int)pc.shape[0];
        return (Enumerable.Range(0, n).Select(i => a[i * cols]).ToArray(),
                Enumerable.Range(0, n).Select(i => cols > 1 ? a[i * cols + 1] : 0.0).ToArray());
    }

    /// <summary>A graph drawn at given node positions: edges as one line trace, nodes coloured by degree.</summary>
    public static GenericChart Picture(CsrGraph g, double[] x, double[] y, string title, string axisUnit = "principal component (activation units)")
    {
        if (x.Length != g.NodeCount || y.Length != g.NodeCount) throw new SelfSimException($"Picture needs one position per node ({g.NodeCount}); got {x.Length}.");
        var (ex, ey) = DendrogramChart.Polyline(g.Edges().Select(e => (new[] { x[e.U], x[e.V] }, new[] { y[e.U], y[e.V] })));
        var deg = g.DegreeSequence();
        var edges = Plotly.NET.CSharp.Chart.Line<double, double, string>(ex, ey, Name: $"{g.EdgeCount} edges", LineWidth: 0.5,
            LineColor: Color.fromString("rgba(120,120,120,0.35)"));
        var nodes = Plotly.NET.CSharp.Chart.Point<double, double, string>(x, y, Name: $"{g.NodeCount} nodes (colour: degree)",
            MarkerColor: Color.fromColors(deg.Select(k => Color.fromString(DegreeColour(k, deg.Max())))));
        return ChartLayout.Styled(Plotly.NET.CSharp.Chart.Combine(new[] { edges, nodes }), title, "first " + axisUnit, "second " + axisUnit);
    }

    static string DegreeColour(int k, int max)
    {
        double t = max > 0 ? Math.Log(1 + k) / Math.Log(1 + max) : 0;
        int r = (int)(68 + t * (253 - 68)), gr = (int)(1 + t * (231 - 1)), b = (int)(84 + t * (37 - 84));
        return $"rgb({r},{gr},{b})";
    }

    static double[] UpperTriangle(double[] d, int n)
    {
        if (d.Length != (long)n * n) throw new SelfSimException($"Expected a row-major {n}×{n} distance matrix; got {d.Length} values.");
        var p = new double[(long)n * (n - 1) / 2];
        long t = 0;
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) p[t++] = d[(long)i * n + j];
        return p;
    }

    static int LowerBound(double[] sorted, double v)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi) { int mid = (lo + hi) / 2; if (sorted[mid] < v) lo = mid + 1; else hi = mid; }
        return lo;
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Plotly.NET;

// Validation of the box-dimension estimators on objects of known dimension: (u,v)-flowers (Rozenfeld, Havlin &
// ben-Avraham 2007), lattices, and point sets (KnownDimensionSets); graph methods of Song, Gallos, Havlin & Makse (2007).

/// <summary>One estimate of a known dimension: which object, which method, the estimate with its 95% interval, and the error.</summary>
public sealed record DimensionCheck(string Object, int Nodes, string Method, double Known, Estimate Estimate, string Range)
{
    /// <summary>Estimate − known.</summary>
    public double Error => Estimate.Value - Known;
    /// <summary>Whether the 95% interval covers the known value.</summary>
    public bool Covered => Estimate.Lower <= Known && Known <= Estimate.Upper;
}

/// <summary>Runs the estimators on objects of known dimension and tabulates the results.</summary>
public static class DimensionValidation
{
    /// <summary>The three graph box-covering methods (greedy colouring, MEMB, CBB) on <paramref name="graph"/>, with their results for plotting.</summary>
    public static (IReadOnlyList<DimensionCheck> Rows, IReadOnlyList<GraphBoxCoverResult> Covers) Graph(string name, CsrGraph graph, double known, int seed = 0)
    {
        var covers = new[] { GreedyColoringBoxCover.Run(graph, seed: seed), MembBoxCover.Run(graph, seed: seed), CbbBoxCover.Run(graph, seed: seed) };
        var rows = covers.Select(c =>
        {
            var f = c.FitDimension();
            return new DimensionCheck(name, c.NodesCovered, c.Method, known, f.Dimension, f.Range);
        }).ToList();
        return (rows, covers);
    }

    /// <summary>The exact box cover of a point set, fitted over the N_B fraction ranges given (default: the library default 0.2%–10%, and large boxes 0.5%–5%).</summary>
    public static (IReadOnlyList<DimensionCheck> Rows, BoxCoverResult Cover) PointSet(KnownDimensionSet set, params (double Min, double Max)[] ranges)
    {
        if (ranges.Length == 0) ranges = new[] { (0.002, 0.1), (0.005, 0.05) };
        using var t = set.ToTensor();
        var cover = BoxCover.Compute(t);
        var rows = ranges.Select(r =>
        {
            var e = BoxDimensionFitter.LogLogByBoxes(cover, r.Min, r.Max);
            return new DimensionCheck(set.Name, set.Count, $"exact box cover, N_B in [{r.Min:P1}, {r.Max:P1}] of n", set.Dimension, e.Dimension,
                $"l_B in [{e.MinSize:G3}, {e.MaxSize:G3}], {e.Points} points");
        }).ToList();
        return (rows, cover);
    }

    /// <summary>N_B(l_B) of graph box covers on log-log axes, with the known slope drawn through the first method's fit range.</summary>
    public static GenericChart GraphCurves(IEnumerable<GraphBoxCoverResult> covers, string title, double? known = null)
    {
        var list = covers.ToList();
        var traces = list.Select(c =>
        {
            var idx = Enumerable.Range(0, c.BoxSizes.Length).Where(i => c.BoxCounts[i] > 0).ToArray();
            return Plotly.NET.CSharp.Chart.Line<int, int, string>(idx.Select(i => c.BoxSizes[i]), idx.Select(i => c.BoxCounts[i]), Name: c.Method, ShowMarkers: true);
        }).ToList();
        if (known is double d && list.Count > 0)
        {
            var f = list[0].FitDimension();
            var xs = new[] { (double)f.MinSize, f.MaxSize };
            traces.Add(Plotly.NET.CSharp.Chart.Line<double, double, string>(xs, xs.Select(l => Math.Exp(f.Intercept) * Math.Pow(l / f.MinSize, -d) * Math.Pow(f.MinSize, -f.Dimension.Value)),
                Name: $"slope −{d:F3} (known d_B)", LineDash: StyleParam.DrawingStyle.Dash));
        }
        return ChartLayout.Styled(Plotly.NET.CSharp.Chart.Combine(traces), title, "box size l_B (hops)", "number of boxes N_B", logX: true, logY: true);
    }
}

/// <summary>A graph box cover's d_B fit as a table row; Note holds the reason when no fit was possible.</summary>
public sealed record GraphFitRow(string Method, int NodesCovered, int BoxSizes, Estimate Dimension,
    bool PowerLawPreferred, string Range, string? Note);

/// <summary>Table rows for graph box covers whose dimension is not known in advance (e.g. feature graphs).</summary>
public static class GraphFitTable
{
    public static IReadOnlyList<GraphFitRow> Of(IEnumerable<GraphBoxCoverResult> covers) => covers.Select(c =>
    {
        try
        {
            var f = c.FitDimension();
            return new GraphFitRow(c.Method, c.NodesCovered, c.BoxSizes.Length, f.Dimension, f.PowerLawPreferred, f.Range, null);
        }
        catch (SelfSimException e)
        {
            return new GraphFitRow(c.Method, c.NodesCovered, c.BoxSizes.Length, new Estimate(double.NaN, double.NaN, double.NaN, double.NaN), false, "", e.Message);
        }
    }).ToList();
}

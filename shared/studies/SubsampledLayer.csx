#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The measures of a layer too wide to measure whole (more nodes than <see cref="ResourceLimits.MaxDistanceMatrixNodes"/>):
/// <see cref="Row"/> is <see cref="LayerMeasures.Of"/> on the first of <see cref="Draws"/> seeded subsamples of
/// <see cref="MeasuredNodes"/> of the <see cref="TotalNodes"/> nodes (rows drawn without replacement), and
/// <see cref="S"/> and <see cref="BoxDimension"/> hold the value of every draw, so their spread shows what subsampling
/// costs. For a layer that fits, there is one draw of every node and <see cref="Subsampled"/> is false.
/// </summary>
public sealed record SubsampledLayer(LayerMeasures Row, int TotalNodes, int MeasuredNodes, int Draws, int Seed,
    IReadOnlyList<double> S, IReadOnlyList<double> BoxDimension)
{
    /// <summary>Whether only some nodes were measured.</summary>
    public bool Subsampled => MeasuredNodes < TotalNodes;

    /// <summary>Smallest and largest S over the draws.</summary>
    public (double Min, double Max) SRange => Range(S);
    /// <summary>Smallest and largest d_B over the draws.</summary>
    public (double Min, double Max) BoxDimensionRange => Range(BoxDimension);

    static (double, double) Range(IReadOnlyList<double> v)
    {
        var f = v.Where(double.IsFinite).ToList();
        return f.Count == 0 ? (double.NaN, double.NaN) : (f.Min(), f.Max());
    }

    /// <summary>E.g. "subsampled: 16383 of 50176 nodes, 3 seeded draws (seed 0); S 0.512-0.518, d_B 2.10-2.14".</summary>
    public string? Describe() => !Subsampled ? null : FormattableString.Invariant(
        $"subsampled: {MeasuredNodes} of {TotalNodes} nodes, {Draws} seeded draws (seed {Seed}); S {SRange.Min:F4}-{SRange.Max:F4}, ") +
        (double.IsNaN(BoxDimensionRange.Min) ? "d_B not fitted" : FormattableString.Invariant($"d_B {BoxDimensionRange.Min:F3}-{BoxDimensionRange.Max:F3}"));

    /// <summary>The default number of subsamples of a layer above the limit.</summary>
    public const int DefaultDraws = 3;

    /// <summary>
    /// Measures <paramref name="m"/> whole when it has at most <paramref name="maxNodes"/> nodes, else on
    /// <paramref name="draws"/> subsamples of <paramref name="maxNodes"/> rows, drawn by a generator seeded with
    /// <paramref name="seed"/> + draw (the same rows on every run). The row's note says when it was subsampled.
    /// </summary>
    public static SubsampledLayer Measure(NodeMatrix m, string architecture = "", int index = 0, int layers = 1,
        int maxNodes = ResourceLimits.MaxDistanceMatrixNodes, int draws = DefaultDraws, int seed = 0, int scales = Srate.DefaultScales)
    {
        if (m is null) throw new SelfSimException("SubsampledLayer.Measure: the node matrix is null.");
        if (maxNodes < 2) throw new SelfSimException($"the node limit must be at least 2; got {maxNodes}.");
        if (draws < 1) throw new SelfSimException($"subsampling needs at least one draw; got {draws}.");
        if (m.Nodes <= maxNodes)
        {
            var whole = LayerMeasures.Of(m, architecture, index, layers, scales);
            return new SubsampledLayer(whole, m.Nodes, m.Nodes, 1, seed, new[] { whole.S }, new[] { whole.BoxDimension });
        }
        var rows = new List<LayerMeasures>();
        for (int k = 0; k < draws; k++)
        {
            var rng = new Random(seed + k);
            var pick = Enumerable.Range(0, m.Nodes).OrderBy(_ => rng.Next()).Take(maxNodes).OrderBy(i => i).Select(i => (long)i).ToArray();
            using var idx = tensor(pick);
            using var sub = NodeMatrix.FromTensor(m.Name, m.Features.index_select(0, idx));
            rows.Add(LayerMeasures.Of(sub, architecture, index, layers, scales));
        }
        var result = new SubsampledLayer(rows[0] with { Nodes = m.Nodes }, m.Nodes, maxNodes, draws, seed,
            rows.Select(r => r.S).ToList(), rows.Select(r => r.BoxDimension).ToList());
        var note = result.Describe();
        return result with { Row = result.Row with { Note = result.Row.Note is null ? note : note + ". " + result.Row.Note } };
    }
}

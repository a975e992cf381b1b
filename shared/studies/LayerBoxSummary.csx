#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// One row per layer of the measures the paper reports (Ding et al. 2025, arXiv 2507.17785): Srate S, the reference's
// normalised box-covering slope, and the box dimension d_B from the exact and from Srate's approximate curve.

/// <summary>The self-similarity measures of one node matrix, with 95% intervals.</summary>
public sealed record LayerBoxSummary(string Layer, int Nodes, double S, double NormalisedSlope, double SlopeLower, double SlopeUpper,
    double DB, double DBLower, double DBUpper, double SrateDB, double SrateDBLower, double SrateDBUpper)
{
    /// <summary>Computes every column from a [nodes, samples] matrix; the box cover and Srate results are returned too, for plotting.</summary>
    public static (LayerBoxSummary Row, BoxCoverResult Cover, SrateResult Srate) Measure(string layer, Tensor nodes)
    {
        var cover = BoxCover.Compute(nodes);
        SrateResult s;
        using (no_grad()) s = Srate.Measure(nodes.detach());
        s.Rate.Dispose();
        var nf = cover.NormalisedFit();
        var (lo, hi, _) = BoxCurveFits.NormalisedSlopeInterval(nf);
        var db = BoxDimensionFit.LogLogByBoxes(cover);
        var sdb = BoxCurveFits.Srate(s);
        return (new LayerBoxSummary(layer, cover.Nodes, s.S, nf.Slope, lo, hi, db.Dimension, db.Lower, db.Upper, sdb.Dimension, sdb.Lower, sdb.Upper), cover, s);
    }

    /// <summary>The summary of a captured layer (see <see cref="MlpFeatureLab"/>).</summary>
    public static (LayerBoxSummary Row, BoxCoverResult Cover, SrateResult Srate) Measure(CapturedLayer layer)
    {
        using var t = layer.ToTensor();
        return Measure(layer.Name, t);
    }
}

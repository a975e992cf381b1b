#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

// The correlation dimension: Grassberger & Procaccia, "Characterization of strange attractors", Phys. Rev. Lett. 50,
// 346 (1983): the pair fraction C(l) ∝ l^ν. C(l) is Srate's ρ(l) (Ding et al. 2025), fitted with the box-count window.

/// <summary>A correlation dimension ν: the estimate with its Student-t interval, and the fit behind it.</summary>
public sealed record CorrelationDimensionResult(Estimate Dimension, int Points, int FitPoints, double MinScale, double MaxScale,
    double RSquared, int Duplicates, IReadOnlyList<string> Warnings);

/// <summary>
/// ν from ln C(l) = ν ln l + c, where C(l) is the fraction of point pairs closer than l: exactly Srate's pair fraction
/// ρ(l) over its 256 log-spaced scales (<see cref="SrateResult.PairFraction"/>), so no second count is made. The fit
/// range is the project's one window rule (<see cref="BoxDimensionFit.BoxCountWindow"/>) read with N_B ≈ 1/C(l): a box
/// of size l around a point holds n·C(l) points, so n points need about 1/C(l) boxes; the window keeps
/// 1/C(l) between max(2, 0.2%·n) and 10%·n (C from 10/n up to min(½, 500/n)), and the line is
/// <see cref="BoxDimensionFit.LogLog(IReadOnlyList{double}, IReadOnlyList{double}, double?, double?, double)"/>'s.
/// A Sierpinski triangle of 2000 points gives 1.56 (log 3/log 2 = 1.585).
/// </summary>
public static class CorrelationDimension
{
    /// <summary>ν of the distinct points of <paramref name="cloud"/> (Srate's count in float32, as everywhere).</summary>
    public static CorrelationDimensionResult Measure(PointCloud cloud, double confidence = 0.95)
    {
        if (cloud is null) throw new SelfSimException("CorrelationDimension.Measure: the point cloud is null.");
        using var _ = no_grad();
        using var x32 = cloud.Rows.to(ScalarType.Float32);
        var s = Srate.Measure(x32);
        s.Rate.Dispose();
        return FromSrate(s, confidence, cloud.Duplicates, cloud.Warnings);
    }

    /// <summary>ν from a Srate result already computed on the points (LayerMeasures reuses its own).</summary>
    public static CorrelationDimensionResult FromSrate(SrateResult s, double confidence = 0.95, int duplicates = 0,
        IReadOnlyList<string>? warnings = null)
    {
        if (s is null) throw new SelfSimException("CorrelationDimension.FromSrate: the Srate result is null.");
        var inverse = s.PairFraction.Select(c => c > 0 ? 1 / c : double.PositiveInfinity).ToArray();
        BoxDimensionFit fit;
        try { fit = BoxDimensionFitter.LogLogByBoxes(s.Scales, inverse, s.Nodes, confidence: confidence); }
        catch (SelfSimException e)
        {
            throw new SelfSimException("Correlation dimension: " + e.Message.Replace("box counts", "1/C(l) values").Replace("The d_B fit", "The fit"));
        }
        return new CorrelationDimensionResult(fit.Dimension, s.Nodes, fit.Points, fit.MinSize, fit.MaxSize, fit.RSquared, duplicates,
            warnings ?? Array.Empty<string>());
    }
}

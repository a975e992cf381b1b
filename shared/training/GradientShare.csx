#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>How hard a loss term pushes the parameters, against the cross-entropy: ‖∇θ term‖ / ‖∇θ CE‖ and their cosine.</summary>
public readonly record struct GradientShare(double Ratio, double Cosine);

/// <summary>
/// Backpropagates a constraint term and the cross-entropy apart, so a run can show that its constraint acted (issue 20:
/// "evidence that the constraint acted"). The parameters end with the sum of both gradients, as one backward of CE + term
/// gives, so the optimizer step is unchanged.
/// </summary>
public static class GradientShares
{
    /// <summary>
    /// Backward of <paramref name="term"/> (graph kept), then <paramref name="zeroGrad"/> and backward of <paramref name="ce"/>;
    /// adds the saved term gradients back. Returns ‖∇θ term‖ / ‖∇θ CE‖ (NaN when CE has no gradient) and their cosine
    /// over all <paramref name="parameters"/> taken as one vector (0 when either is zero).
    /// </summary>
    public static GradientShare BackwardApart(IReadOnlyList<Tensor> parameters, Action zeroGrad, Tensor ce, Tensor term)
    {
        term.backward(retain_graph: true);
        var termGrads = parameters.Select(p => p.grad is { } g ? g.detach().clone() : null).ToList();
        zeroGrad();
        ce.backward();
        double tt = 0, cc = 0, tc = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var gc = parameters[i].grad;
            var gt = termGrads[i];
            if (gc is not null) cc += gc.pow(2).sum().to(ScalarType.Float64).item<double>();
            if (gt is null) continue;
            tt += gt.pow(2).sum().to(ScalarType.Float64).item<double>();
            if (gc is null) { parameters[i].grad = gt; continue; }
            tc += gt.mul(gc).sum().to(ScalarType.Float64).item<double>();
            gc.add_(gt);
        }
        double ratio = cc > 0 ? Math.Sqrt(tt / cc) : double.NaN;
        double cos = tt > 0 && cc > 0 ? tc / Math.Sqrt(tt * cc) : 0;
        return new GradientShare(ratio, cos);
    }
}

#nullable enable
using System;
using TorchSharp;
using static TorchSharp.torch;

// The Srate training objective of Ding et al. 2025 (arXiv 2507.17785; reference sfm/sfm_loss_d_v2.py,
// compute_mse_sim_loss): ½(S − target)², on the measure S that Srate.Measure returns.

/// <summary>
/// The objective that pulls a layer's Srate S towards a target: ½(S − target)². S comes from
/// <see cref="Srate.Measure"/> as a differentiable tensor, so d objective/dx = (S − target)·dS/dx with the reference's
/// straight-through dS/dx. The trainer adds z·λ times it to the cross-entropy, gated by <see cref="SrateGate"/>.
/// </summary>
public static class SrateObjective
{
    /// <summary>The target the paper's experiments use when none is given.</summary>
    public const double DefaultTarget = 0.3;

    /// <summary>½(S − target)² as a 0-dim tensor of S's dtype and device, in S's autograd graph.</summary>
    public static Tensor Loss(Tensor s, double target)
    {
        if (s is null) throw new SelfSimException("SrateObjective.Loss: S is null. Pass Srate.Measure(x).Rate.");
        if (double.IsNaN(target) || target < 0) throw new SelfSimException($"SrateObjective.Loss: the target S must be ≥ 0; got {target}.");
        return s.sub(target).pow(2).mul(0.5);
    }
}

#nullable enable
using System;

/// <summary>
/// Learning rate by training progress: timm's CosineLRScheduler as the reference's main.py builds it (warmup_prefix off,
/// one cycle; timm/scheduler/cosine_lr.py): for t &lt; W, warmStart + t·(peak − warmStart)/W; after,
/// floor + ½(peak − floor)(1 + cos(π t / T)). Per epoch (the reference): t = the epoch, T = epochs, W = warm-up epochs.
/// Per step: the same curve with t, T and W counted in optimizer steps.
/// </summary>
public sealed record CosineWarmupSchedule(double Peak, double Floor, double WarmupStart, long WarmupUnits, long TotalUnits, long StepsPerUnit)
{
    /// <summary>The schedule of a run: per epoch (StepsPerUnit = steps per epoch) or per step (StepsPerUnit = 1).</summary>
    public static CosineWarmupSchedule For(TrainingOptions o, long stepsPerEpoch)
    {
        double peak = o.PeakLearningRate;
        double floor = Math.Min(o.MinLearningRate, peak), warm = Math.Min(o.WarmupStartLearningRate, peak);
        return o.Schedule == LrSchedule.PerEpoch
            ? new(peak, floor, warm, (long)Math.Round(o.EffectiveWarmupEpochs), o.Epochs, Math.Max(1, stepsPerEpoch))
            : new(peak, floor, warm, (long)Math.Round(o.EffectiveWarmupEpochs * stepsPerEpoch), o.Epochs * stepsPerEpoch, 1);
    }

    /// <summary>The learning rate at schedule position <paramref name="t"/> (an epoch, or a step for the per-step schedule).</summary>
    public double AtUnit(long t)
    {
        if (t < WarmupUnits) return WarmupStart + t * (Peak - WarmupStart) / WarmupUnits;
        double frac = Math.Clamp((double)t / Math.Max(1, TotalUnits), 0, 1);
        return Floor + 0.5 * (Peak - Floor) * (1 + Math.Cos(Math.PI * frac));
    }

    /// <summary>The learning rate for optimizer step <paramref name="step"/> (0-based, counted over the whole run).</summary>
    public double At(long step) => AtUnit(step / StepsPerUnit);
}

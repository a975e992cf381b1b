#nullable enable
using System;

/// <summary>
/// Learning rate per optimizer step: linear warm-up from <see cref="WarmupStart"/> to <see cref="Peak"/>, then
/// half-cosine decay to <see cref="Floor"/> (timm's cosine scheduler as used by the reference's main.py, here per step).
/// </summary>
public sealed record CosineWarmupSchedule(double Peak, double Floor, double WarmupStart, long WarmupSteps, long TotalSteps)
{
    public static CosineWarmupSchedule For(TrainingOptions o, long stepsPerEpoch) =>
        new(o.LearningRate, Math.Min(o.MinLearningRate, o.LearningRate), Math.Min(o.WarmupStartLearningRate, o.LearningRate),
            (long)Math.Round(o.WarmupEpochs * stepsPerEpoch), o.Epochs * stepsPerEpoch);

    /// <summary>The learning rate for step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        if (step < WarmupSteps) return WarmupStart + (Peak - WarmupStart) * (step + 1) / WarmupSteps;
        long span = Math.Max(1, TotalSteps - WarmupSteps);
        double t = Math.Clamp((double)(step - WarmupSteps) / span, 0, 1);
        return Floor + 0.5 * (Peak - Floor) * (1 + Math.Cos(Math.PI * t));
    }
}

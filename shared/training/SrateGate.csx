#nullable enable
using System;

/// <summary>
/// The reference's gate on the Srate loss (engine.py, Ding et al. 2025). z = 0 until a reference value S_old exists;
/// S_old is the epoch-mean S of epoch 0, refreshed every <see cref="SampleEvery"/> epochs;
/// then z = 1 − min(|S − S_old| / S_old, c) / c, so the constraint fades out as S moves c·100 % away from S_old.
/// </summary>
public sealed class SrateGate
{
    public SrateGate(int sampleEvery = 3, double changeLimit = 0.05)
    {
        if (sampleEvery < 1) throw new SelfSimException($"SrateGate: sampleEvery must be ≥ 1 (got {sampleEvery}).");
        if (!(changeLimit > 0)) throw new SelfSimException($"SrateGate: the change limit c must be > 0 (got {changeLimit}).");
        SampleEvery = sampleEvery;
        ChangeLimit = changeLimit;
    }

    public int SampleEvery { get; }
    public double ChangeLimit { get; }
    /// <summary>The reference S, or null before the first epoch has ended.</summary>
    public double? OldS { get; private set; }
    /// <summary>The epoch <see cref="OldS"/> was taken from.</summary>
    public int OldEpoch { get; private set; } = -1;

    /// <summary>z for a step whose current S is <paramref name="s"/>.</summary>
    public double Z(double s) => OldS is double old ? Formula(s, old, ChangeLimit) : 0.0;

    /// <summary>z = 1 − min(|s − old| / old, c) / c. An S_old of 0 (or non-finite values) gives 0: no reference, no pull.</summary>
    public static double Formula(double s, double old, double c)
    {
        if (!(old != 0) || !double.IsFinite(old) || !double.IsFinite(s)) return 0.0;
        double change = Math.Min(Math.Abs((s - old) / old), c);
        return 1 - change / c;
    }

    /// <summary>Call at the end of each epoch with that epoch's mean S: sets S_old after the first epoch and every SampleEvery epochs after.</summary>
    public void EndEpoch(int epoch, double meanS)
    {
        if (!double.IsFinite(meanS)) return;
        if (OldS is null || epoch - OldEpoch >= SampleEvery)
        {
            OldS = meanS;
            OldEpoch = epoch;
        }
    }

    /// <summary>Restores the state saved in a checkpoint.</summary>
    public void Restore(double? oldS, int oldEpoch)
    {
        OldS = oldS;
        OldEpoch = oldEpoch;
    }
}

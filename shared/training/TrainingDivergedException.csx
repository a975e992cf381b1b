#nullable enable
using System;

/// <summary>A non-finite loss stopped training. The checkpoint of the last good epoch (if any) is kept untouched.</summary>
public sealed class TrainingDivergedException : SelfSimException
{
    public TrainingDivergedException(string message, int epoch, int step, int lastGoodEpoch) : base(message)
    {
        Epoch = epoch; Step = step; LastGoodEpoch = lastGoodEpoch;
    }

    public int Epoch { get; }
    public int Step { get; }
    /// <summary>The epoch the kept checkpoint holds, or −1 when none was written.</summary>
    public int LastGoodEpoch { get; }
}

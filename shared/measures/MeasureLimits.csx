#nullable enable
using System;

/// <summary>
/// The size policy of the feature measures (see shared/measures/README.md, "Size limits"): on the CPU, Srate and the
/// exact box cover take at most <see cref="ResourceLimits.MaxDistanceMatrixNodes"/> nodes (one n×n float64 distance
/// matrix under 2 GB); and before allocating, each checks its memory estimate against the machine and refuses with
/// the estimate and the option that lowers it.
/// </summary>
public static class MeasureLimits
{
    /// <summary>
    /// Bytes Srate needs for n nodes × d samples and K scales on the CPU path, with its gradient. Calibrated by peak RSS of
    /// `selfsim srate --gradient`: 96×32 with K = 256, 10⁶, 10⁷ gave 0.18, 0.45, 2.8 GB (~270 bytes per scale);
    /// 3000×8 with K = 256 gave 0.29 GB (the n² term).
    /// </summary>
    public static double SrateBytes(long n, long d, long scales) =>
        8.0 * n * n * 1.5        // the n×n float64 distances (plus the Gram matrix it comes from)
        + 8.0 * n * d * 4        // the features in float64 and float32, their gradient
        + 320.0 * scales         // per scale: l, ρ, N_B, the chord terms and the gradient weights, in float32 and float64
        + 192.0 * 1024 * 1024;   // the runtime, libtorch and work buffers

    /// <summary>Bytes the exact box cover needs: two n×n float64 matrices.</summary>
    public static double BoxCoverBytes(long n, long d) => 16.0 * n * n + 8.0 * n * d * 2 + 64.0 * 1024 * 1024;

    /// <summary>Refuses a Srate problem above the CPU node limit or the machine's memory.</summary>
    public static void CheckSrate(long n, long d, int scales, bool onCpu)
    {
        if (onCpu && n > ResourceLimits.MaxDistanceMatrixNodes)
            throw new SelfSimException($"srate: {n} nodes exceed the CPU size limit of {ResourceLimits.MaxDistanceMatrixNodes} nodes, the same as the box cover's " +
                                       $"(all {(double)n * (n - 1) / 2:G3} pair distances, about {ResourceLimits.Format(8.0 * n * n)} and minutes of work). " +
                                       "Subsample the nodes (rows), or run on a GPU with --device cuda.");
        ResourceLimits.Require(onCpu ? SrateBytes(n, d, scales) : 320.0 * scales + 8.0 * n * d * 4,
            $"srate on {n} nodes × {d} samples with {scales} scales", "Lower --scales (the reference uses 256) or subsample the nodes.");
    }

    /// <summary>Refuses an exact box cover above the machine's memory (the node limit is BoxCover's own).</summary>
    public static void CheckBoxCover(long n, long d)
    {
        if (n > ResourceLimits.MaxDistanceMatrixNodes) return;   // BoxCover.Compute names the node limit
        ResourceLimits.Require(BoxCoverBytes(n, d), $"boxcover on {n} nodes", "Subsample the nodes (rows).");
    }
}

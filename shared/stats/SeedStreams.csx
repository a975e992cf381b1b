#nullable enable
using System;

// Seed streams for seeded parallel work: the SplitMix64 finaliser (Steele, Lea & Flood 2014).

/// <summary>Independent, reproducible seeds for the streams of one seeded computation.</summary>
public static class SeedStreams
{
    /// <summary>
    /// A deterministic seed for stream <paramref name="stream"/> of a seeded computation (SplitMix64 finaliser). Unlike
    /// HashCode.Combine it is the same in every process, so seeded results reproduce across runs.
    /// </summary>
    public static int Mix(int seed, int stream, int salt = 0)
    {
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)stream * 0xBF58476D1CE4E5B9UL + (ulong)(uint)salt * 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}

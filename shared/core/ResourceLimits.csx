#nullable enable
using System;
using System.Globalization;
using System.IO;

/// <summary>
/// Memory limits derived from the machine: before a large allocation, a command estimates what it needs and
/// refuses with the estimate and the option that lowers it when that exceeds what is available (the smaller of
/// the GC's limit, which honours container limits, and MemAvailable in /proc/meminfo). Tests may lower the limit
/// with SELFSIM_MEMORY_LIMIT (bytes, or with a K/M/G suffix).
/// </summary>
public static class ResourceLimits
{
    public const string LimitVariable = "SELFSIM_MEMORY_LIMIT";

    /// <summary>The largest node count of an n×n float64 distance matrix under 2 GB (one .NET span): the measures' size limit.</summary>
    public const int MaxDistanceMatrixNodes = 16383;

    /// <summary>Bytes this process may still allocate.</summary>
    public static long AvailableBytes
    {
        get
        {
            long avail = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
            if (avail <= 0) avail = long.MaxValue;
            try
            {
                if (File.Exists("/proc/meminfo"))
                    foreach (var line in File.ReadLines("/proc/meminfo"))
                        if (line.StartsWith("MemAvailable:", StringComparison.Ordinal)
                            && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out long kb))
                        { avail = Math.Min(avail, kb * 1024); break; }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            var env = Environment.GetEnvironmentVariable(LimitVariable);
            if (!string.IsNullOrWhiteSpace(env) && ParseBytes(env) is long cap) avail = Math.Min(avail, cap);
            return avail;
        }
    }

    /// <summary>Throws when <paramref name="bytes"/> exceeds what is available: "{what} needs about X of memory … {lower}".</summary>
    public static void Require(double bytes, string what, string lower)
    {
        long avail = AvailableBytes;
        if (bytes > avail)
            throw new SelfSimException($"{what} needs about {Format(bytes)} of memory, but {Format(avail)} is available on this machine. {lower}");
    }

    public static string Format(double bytes)
    {
        var c = CultureInfo.InvariantCulture;
        if (double.IsInfinity(bytes) || bytes >= 1e15) return bytes.ToString("0.0e0", c) + " bytes";
        return bytes >= 1 << 30 ? (bytes / (1 << 30)).ToString("F1", c) + " GB"
             : bytes >= 1 << 20 ? (bytes / (1 << 20)).ToString("F0", c) + " MB"
             : (bytes / 1024).ToString("F0", c) + " KB";
    }

    static long? ParseBytes(string s)
    {
        s = s.Trim();
        long mult = 1;
        char last = char.ToUpperInvariant(s[^1]);
        if (last is 'K' or 'M' or 'G') { mult = last == 'K' ? 1L << 10 : last == 'M' ? 1L << 20 : 1L << 30; s = s[..^1]; }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? (long)(v * mult) : null;
    }
}

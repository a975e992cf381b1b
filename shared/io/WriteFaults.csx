#nullable enable
using System;
using System.IO;

/// <summary>
/// A test seam for write failures that a test cannot cause for real (a full disk, a folder the user may not write):
/// when the environment variable SELFSIM_INJECT_WRITE_FAULT is "NAME=nospace" or "NAME=denied", every write through
/// <see cref="AtomicFile"/> or <see cref="OutputGuard"/> to a file or folder called NAME fails as the OS would fail it;
/// NAME may be a path tail such as "run/checkpoint.bin"; "NAME=nospace@K" lets the first K−1 such writes succeed (e.g. the disk fills up after the first epoch).
/// Unset (always, outside tests), it does nothing.
/// </summary>
public static class WriteFaults
{
    public const string EnvironmentVariable = "SELFSIM_INJECT_WRITE_FAULT";
    static readonly System.Collections.Generic.Dictionary<string, int> Counts = new();

    /// <summary>Forgets how many writes each fault has seen (tests call it before setting the variable).</summary>
    public static void Reset() { lock (Counts) Counts.Clear(); }

    /// <summary>Throws the injected failure when <paramref name="path"/> (or one of its folders) is the named target.</summary>
    public static void Check(string path)
    {
        var spec = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(spec)) return;
        int eq = spec.LastIndexOf('=');
        if (eq <= 0) return;
        string name = spec[..eq], kind = spec[(eq + 1)..];
        int from = 1, at = kind.IndexOf('@');
        if (at > 0) { int.TryParse(kind[(at + 1)..], out from); kind = kind[..at]; }
        var full = Path.GetFullPath(path);
        bool hit = name.Contains('/') && full.Replace('\\', '/').EndsWith("/" + name, StringComparison.Ordinal);
        for (var p = full; !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
            if (string.Equals(Path.GetFileName(p), name, StringComparison.Ordinal)) { hit = true; break; }
        if (!hit) return;
        lock (Counts)
        {
            Counts[spec] = Counts.TryGetValue(spec, out var c) ? c + 1 : 1;
            if (Counts[spec] < from) return;
        }
        if (kind == "denied") throw new UnauthorizedAccessException($"Access to the path '{full}' is denied.");
        if (kind == "nospace") throw new IOException($"No space left on device : '{full}'", 28);
    }
}

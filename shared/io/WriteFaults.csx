using System;
using System.IO;

/// <summary>
/// A test seam for write failures that a test cannot cause for real (a full disk, a folder the user may not write):
/// when the environment variable SELFSIM_INJECT_WRITE_FAULT is "NAME=nospace" or "NAME=denied", every write through
/// <see cref="AtomicFile"/> or <see cref="OutputGuard"/> to a file or folder called NAME fails as the OS would fail it.
/// Unset (always, outside tests), it does nothing.
/// </summary>
public static class WriteFaults
{
    public const string EnvironmentVariable = "SELFSIM_INJECT_WRITE_FAULT";

    /// <summary>Throws the injected failure when <paramref name="path"/> (or one of its folders) is the named target.</summary>
    public static void Check(string path)
    {
        var spec = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(spec)) return;
        int eq = spec.LastIndexOf('=');
        if (eq <= 0) return;
        string name = spec[..eq], kind = spec[(eq + 1)..];
        var full = Path.GetFullPath(path);
        bool hit = false;
        for (var p = full; !string.IsNullOrEmpty(p); p = Path.GetDirectoryName(p))
            if (string.Equals(Path.GetFileName(p), name, StringComparison.Ordinal)) { hit = true; break; }
        if (!hit) return;
        if (kind == "denied") throw new UnauthorizedAccessException($"Access to the path '{full}' is denied.");
        if (kind == "nospace") throw new IOException($"No space left on device : '{full}'", 28);
    }
}

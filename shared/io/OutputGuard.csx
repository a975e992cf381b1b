#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

/// <summary>
/// The one check every command runs on a path it will write, before any work: the output is not one of the inputs
/// (full paths compared with symbolic links resolved), a file output is not a folder and a folder output is not a
/// file, and the place can be written (a probe file is created and removed). Each refusal names the option, the
/// path and the fix, so a long computation never ends by failing to save or by overwriting its own input.
/// </summary>
public static class OutputGuard
{
    static StringComparison PathComparison => OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    /// <summary>Checks an output file; returns its full path. <paramref name="example"/> is a file name the error suggests when the path is a folder.</summary>
    public static string File(string path, string option, string example, params string?[] inputs)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new SelfSimException($"{option} is empty. Give a file path.");
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new SelfSimException($"{option} '{path}' is a folder. Give a file path, e.g. '{Path.Combine(path, example)}'.");
        RefuseInputs(full, path, option, inputs);
        RefuseLink(full, option);
        Probe(Path.GetDirectoryName(full)!, path, option);
        return full;
    }

    /// <summary>Checks (and creates) an output folder; returns its full path.</summary>
    public static string Folder(string path, string option, params string?[] inputs)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new SelfSimException($"{option} is empty. Give a folder path.");
        var full = Path.GetFullPath(path);
        if (System.IO.File.Exists(full))
            throw new SelfSimException($"{option} '{path}' is a file, not a folder. Give a folder path (it is created when missing).");
        RefuseInputs(full, path, option, inputs);
        Probe(full, path, option);
        return full;
    }

    /// <summary>
    /// Checks a batch of outputs, one per input, before any is written: no two inputs share an output (one/x.ipynb and
    /// two/x.ipynb into one folder would keep only the second), and no output is an input (run nbs --out nbs), except
    /// each input's own copy when <paramref name="inPlace"/>. Returns the full output paths.
    /// </summary>
    public static string[] Many(IReadOnlyList<(string Input, string Output)> pairs, string option, bool inPlace = false, string fix = "Choose another folder.")
    {
        var seen = new Dictionary<string, string>(OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
        var inputs = pairs.Select(p => Resolve(p.Input)).ToArray();
        var result = new string[pairs.Count];
        for (int i = 0; i < pairs.Count; i++)
        {
            var (input, output) = pairs[i];
            var full = Resolve(output);
            if (seen.TryGetValue(full, out var other))
                throw new SelfSimException($"{option}: '{other}' and '{input}' would both be written to '{output}', and the first would be lost. " +
                                           "Run them into separate folders, or rename one.");
            seen[full] = input;
            for (int k = 0; k < inputs.Length; k++)
                if (string.Equals(full, inputs[k], PathComparison) && !(inPlace && k == i))
                    throw new SelfSimException($"{option} '{output}' is the input '{pairs[k].Input}': writing it would destroy the input. {fix}");
            RefuseLink(output, option);
            result[i] = Path.GetFullPath(output);
        }
        return result;
    }

    /// <summary>Refuses an output file that is a symbolic link (writing through it would change a file elsewhere, which may lie outside the output folder).</summary>
    public static void RefuseLink(string path, string option)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
            throw new SelfSimException($"{option}: '{path}' is a symbolic link to '{info.LinkTarget}'; writing through it would change that file. Remove the link, or choose another path.");
    }

    /// <summary>True when two paths name the same file or folder once symbolic links are resolved.</summary>
    public static bool Same(string a, string b) => string.Equals(Resolve(a), Resolve(b), PathComparison);

    /// <summary>The full path with every symbolic link along it resolved (the parts that do not exist yet kept as written).</summary>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full)!;
        var cur = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(cur, part);
            for (int hops = 0; hops < 40; hops++)
            {
                FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
                if (!info.Exists || info.LinkTarget is null) break;
                var target = info.LinkTarget;
                next = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(Path.GetDirectoryName(next)!, target));
            }
            cur = next;
        }
        return cur;
    }

    static void RefuseInputs(string full, string path, string option, string?[] inputs)
    {
        foreach (var input in inputs.Where(i => !string.IsNullOrWhiteSpace(i)))
            if (Same(full, input!))
                throw new SelfSimException($"{option} '{path}' is the input '{input}': writing it would destroy the input. Choose another output path.");
    }

    /// <summary>Creates <paramref name="dir"/> and a probe file in it, so an unwritable place fails now, not after the work.</summary>
    static void Probe(string dir, string path, string option)
    {
        string what = $"{option} '{path}'";
        try
        {
            Directory.CreateDirectory(dir);
            var probe = Path.Combine(dir, $".selfsim-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            try
            {
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
                WriteFaults.Check(probe);
            }
            finally { if (System.IO.File.Exists(probe)) System.IO.File.Delete(probe); }
        }
        catch (UnauthorizedAccessException)
        {
            throw new SelfSimException($"{what}: '{dir}' cannot be written (permission denied). Choose a folder you can write to.");
        }
        catch (IOException e) when (IsDiskFull(e))
        {
            throw new SelfSimException($"{what}: the disk holding '{dir}' is full. Free some space or choose another folder.");
        }
        catch (IOException e)
        {
            throw new SelfSimException($"{what}: '{dir}' cannot be created or written ({e.Message.TrimEnd('.')}). Check that no part of the path is a file, or choose another folder.");
        }
    }

    /// <summary>ENOSPC (28) on Unix, ERROR_DISK_FULL (112) / ERROR_HANDLE_DISK_FULL (39) on Windows.</summary>
    public static bool IsDiskFull(Exception e) =>
        e is IOException io && ((io.HResult & 0xFFFF) is 28 or 39 or 112 || io.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase));
}

#nullable enable
using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;

/// <summary>
/// An exclusive lock on a run folder, so two processes never write one run: the file .selfsim.lock is held open with
/// FileShare.None (an OS lock the system releases when the process ends, even by kill -9), and .selfsim.lock.json names
/// the holder (pid, host, start time). A second taker gets an error naming the holder; a lock file left by a process
/// that is gone is taken over with a warning. Dispose releases it.
/// </summary>
public sealed class RunFolderLock : IDisposable
{
    public const string FileName = ".selfsim.lock";
    public const string OwnerFileName = ".selfsim.lock.json";

    public sealed record Holder(int Pid, string Host, DateTime StartedUtc, string Command);

    readonly FileStream stream;
    readonly string dir;

    RunFolderLock(FileStream stream, string dir) { this.stream = stream; this.dir = dir; }

    /// <summary>The warning printed when a stale lock was taken over, or null.</summary>
    public string? TakenOver { get; private init; }

    /// <summary>Locks <paramref name="folder"/> (created when missing) or throws a <see cref="SelfSimException"/> naming the holder.</summary>
    public static RunFolderLock Acquire(string folder, string command = "selfsim")
    {
        Directory.CreateDirectory(folder);
        var lockPath = Path.Combine(folder, FileName);
        var ownerPath = Path.Combine(folder, OwnerFileName);
        FileStream fs;
        try
        {
            fs = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            var h = ReadHolder(ownerPath);
            string who = h is null ? "another process" : $"pid {h.Pid} on {h.Host} ({h.Command}, started {h.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC)";
            throw new SelfSimException($"'{folder}' is in use by {who}. Wait for it to finish, stop it, or choose another --out folder.");
        }
        string? warning = null;
        var old = ReadHolder(ownerPath);
        if (old is not null)
            warning = $"warning: took over a stale lock on '{folder}' left by pid {old.Pid} on {old.Host} (started {old.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC), " +
                      $"which {(old.Host == Environment.MachineName && !Alive(old.Pid) ? "is no longer running" : "no longer holds it")}.";
        var me = new Holder(Environment.ProcessId, Environment.MachineName, Process.GetCurrentProcess().StartTime.ToUniversalTime(), command);
        AtomicFile.WriteAllText(ownerPath, JsonSerializer.Serialize(me));
        if (warning is not null) Console.Error.WriteLine(warning);
        return new RunFolderLock(fs, folder) { TakenOver = warning };
    }

    /// <summary>Who holds (or last held) the lock of <paramref name="folder"/>, or null.</summary>
    public static Holder? ReadHolder(string ownerPath)
    {
        try { return System.IO.File.Exists(ownerPath) ? JsonSerializer.Deserialize<Holder>(System.IO.File.ReadAllText(ownerPath)) : null; }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return null; }
    }

    static bool Alive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    public void Dispose()
    {
        try { System.IO.File.Delete(Path.Combine(dir, OwnerFileName)); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        try { System.IO.File.Delete(Path.Combine(dir, FileName)); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        stream.Dispose();
    }
}

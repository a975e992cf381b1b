#nullable enable
using System;
using System.IO;
using System.Linq;

/// <summary>
/// The guard a training run takes on its --out folder before it writes anything: the folder can be written, it is
/// locked against a second run (<see cref="RunFolderLock"/>), and a run already there is not replaced unless asked:
/// without --resume or --overwrite a finished or checkpointed run is refused, naming --resume.
/// </summary>
public static class RunFolder
{
    /// <summary>Checks and locks <paramref name="dir"/>; dispose the result when the run ends.</summary>
    public static RunFolderLock Open(string dir, bool resume, bool overwrite, string command = "selfsim train")
    {
        if (resume && overwrite)
            throw new SelfSimException("--resume continues the run in --out and --overwrite replaces it: give only one of them.");
        OutputGuard.Folder(dir, "--out");
        var held = RunFolderLock.Acquire(dir, command);
        try
        {
            if (!resume)
            {
                var existing = Describe(dir);
                if (existing is not null && !overwrite)
                    throw new SelfSimException($"'{dir}' holds {existing}. Continue it with --resume, replace it with --overwrite, or choose another --out folder.");
                if (overwrite)
                    foreach (var f in new[] { TrainingCheckpoint.FileName, RunLog.JsonName, RunLog.CsvName })
                        File.Delete(Path.Combine(dir, f));
            }
            return held;
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>"a finished run (…)" or "an unfinished run (…)" when <paramref name="dir"/> holds work that a fresh start would erase; else null.</summary>
    public static string? Describe(string dir)
    {
        bool hasCheckpoint = File.Exists(Path.Combine(dir, TrainingCheckpoint.FileName));
        RunReport? report = null;
        if (File.Exists(Path.Combine(dir, RunLog.JsonName)))
            try { report = RunLog.Read(dir); } catch (SelfSimException) { }
        if (report is { Status: "completed" })
        {
            var last = report.Epochs.LastOrDefault();
            return $"a finished run ({report.Epochs.Count} epochs of {report.Options.Model} on {report.Options.Dataset}" +
                   (last is null ? "" : $", test top-1 {last.TestTop1:F2}%") + ")";
        }
        if (hasCheckpoint)
            return $"an unfinished run ({(report is null ? "a checkpoint" : $"status '{report.Status}', {report.Epochs.Count} epochs done")})";
        return null;
    }
}

#nullable enable
using System;
using System.IO;

/// <summary>Where datasets live: $SELFSIM_DATA, else the data/ folder of the checkout this code runs from.</summary>
public static class DataPaths
{
    public const string EnvironmentVariable = "SELFSIM_DATA";

    /// <summary>The data folder. Search order: $SELFSIM_DATA, then data/ beside global.json above the working directory, then above the program.</summary>
    public static string Default
    {
        get
        {
            var env = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
            return FindAbove(Directory.GetCurrentDirectory()) ?? FindAbove(AppContext.BaseDirectory)
                   ?? Path.GetFullPath("data");
        }
    }

    /// <summary>The data/ folder beside the first global.json at or above <paramref name="start"/>, or null.</summary>
    public static string? FindAbove(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "global.json")) && Directory.Exists(Path.Combine(dir.FullName, "data")))
                return Path.Combine(dir.FullName, "data");
        return null;
    }

    /// <summary>The error for a dataset file that is absent, naming the file and the command that brings it.</summary>
    public static SelfSimException Missing(string file, string dataset) =>
        new SelfSimException($"Dataset file not found: {file}. Fetch it with `selfsim data fetch {dataset}` " +
                             $"(or point {EnvironmentVariable} at a folder that holds {dataset}/).");

    /// <summary>The error for a dataset file that is present but unreadable.</summary>
    public static SelfSimException Corrupt(string file, string dataset, string what) =>
        new SelfSimException($"Dataset file is corrupt: {file} ({what}). Delete it and run `selfsim data fetch {dataset}` to fetch a verified copy.");
}

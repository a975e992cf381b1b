using System;
using System.IO;

namespace SelfSim.Tests;

/// <summary>Paths inside the checkout, found from the test binary's folder.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.Combine(Root, "shared");
    public static string Data => Path.Combine(Root, "data");
    public static string Notebooks => Path.Combine(Root, "notebooks");
    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "global.json")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Could not find the repository root (global.json) above " + AppContext.BaseDirectory);
    }
}

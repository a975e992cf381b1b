using System;
using System.CommandLine;
using System.Linq;

namespace SelfSim.Cli;

/// <summary>The `selfsim` root command with every <see cref="ICliCommand"/> found by reflection (Program and the CLI tests use it).</summary>
public static class CliRoot
{
    public static RootCommand Create()
    {
        var root = new RootCommand("selfsim: self-similarity analysis of the feature networks inside deep networks.");
        foreach (var cmd in typeof(ICliCommand).Assembly.GetTypes()
                     .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
                     .Select(t => ((ICliCommand)Activator.CreateInstance(t)!).Create())
                     .OrderBy(c => c.Name, StringComparer.Ordinal))
            root.Subcommands.Add(cmd);
        CliNumbers.Guard(root);
        return root;
    }
}

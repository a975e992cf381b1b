using System;
using System.CommandLine;
using System.IO;
using System.Threading.Tasks;

namespace SelfSim.Cli;

/// <summary>Runs the parser and turns the project's expected failures into one clear line and exit code 1.</summary>
public static class CliErrors
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(config);
        }
        catch (Exception e) when (e is SelfSimException or FileNotFoundException or DirectoryNotFoundException
                                      or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"selfsim: {e.Message}");
            return 1;
        }
    }
}

using System.CommandLine;

namespace SelfSim.Cli;

/// <summary>Options every command that reads a text table shares.</summary>
public static class CliInputs
{
    /// <summary>--header yes|no|auto: the one header rule of <see cref="CsvHeader"/>, or the user's word on it.</summary>
    public static Option<string> HeaderOption() => new("--header") { Description = CsvHeader.OptionHelp, DefaultValueFactory = _ => "auto" };
}

using System.CommandLine;

namespace SelfSim.Cli;

/// <summary>
/// A top-level `selfsim` command. Program finds every implementation by reflection,
/// so adding a command is adding one file.
/// </summary>
public interface ICliCommand
{
    Command Create();
}

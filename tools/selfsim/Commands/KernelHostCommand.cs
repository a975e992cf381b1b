using System;
using System.CommandLine;
using System.IO;
using System.Text.Json.Nodes;
using SelfSim.Cli.Notebooks;

namespace SelfSim.Cli;

/// <summary>
/// `selfsim kernel-host NOTEBOOK --result FILE [--output FILE]`: the per-notebook process of `selfsim run` (hidden).
/// Runs the notebook on the hosted .NET Interactive kernel and writes the result JSON, which the runner reads.
/// </summary>
public sealed class KernelHostCommand : ICliCommand
{
    public Command Create()
    {
        var notebook = new Argument<string>("notebook") { Description = "the .ipynb to run" };
        var result = new Option<string>("--result") { Description = "where to write the result JSON", Required = true };
        var output = new Option<string?>("--output") { Description = "where to write the executed notebook" };
        var echo = new Option<bool>("--echo") { Description = "copy cell console output to stderr as it happens" };
        var cmd = new Command("kernel-host", "Run one notebook on the hosted .NET Interactive kernel (used by `selfsim run`).")
        {
            notebook, result, output, echo,
        };
        cmd.Hidden = true;
        cmd.SetAction(async (parse, ct) =>
        {
            // The kernel redirects Console while cells run; the protocol and progress use the process's own streams.
            using var protocol = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
            using var progress = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
            await using var exporter = new StaticFigureExporter();
            // Without Chromium the hook writes nothing: Figures.Save writes the HTML and returns it alone, silently
            // (`selfsim run`'s preflight has said once what that costs), instead of a failure per figure.
            AppDomain.CurrentDomain.SetData(StaticFigureExporter.HookKey, StaticFigureExporter.FindChromium() != null
                ? exporter.Hook()
                : new Func<string, string[], double, string[]>((_, _, _) => Array.Empty<string>()));
            JsonObject json;
            try
            {
                json = await KernelNotebookHost.RunAsync(parse.GetValue(notebook)!, parse.GetValue(output), progress.WriteLine, protocol, parse.GetValue(echo));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or SelfSimException or UnauthorizedAccessException)
            {
                json = new JsonObject { ["error"] = e.Message, ["cells"] = new JsonArray() };
            }
            AtomicFile.WriteAllText(parse.GetValue(result)!, json.ToJsonString());
            return 0;
        });
        return cmd;
    }
}

using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using SelfSim.Cli.Notebooks;

namespace SelfSim.Cli;

/// <summary>`selfsim run`: executes notebooks headless (the maintained replacement for the deprecated .NET Interactive kernel in CI).</summary>
public sealed class RunCommand : ICliCommand
{
    public Command Create()
    {
        var paths = new Argument<string[]>("notebooks") { Description = "notebook files (.ipynb) or folders of notebooks", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string?>("--out") { Description = "folder for the executed notebooks (default: NAME.executed.ipynb next to each notebook)" };
        var inPlace = new Option<bool>("--in-place") { Description = "write the outputs into the source notebooks" };
        var smoke = new Option<bool>("--smoke") { Description = "set SELFSIM_SMOKE=1 so notebooks shrink epochs and samples (RunMode.Smoke)" };
        var cont = new Option<bool>("--continue-on-error") { Description = "record a failing cell's error as its output and go on" };
        var figures = new Option<string?>("--figures") { Description = "folder for Figures.Save (default: ./figures next to each notebook)" };
        var quiet = new Option<bool>("--quiet") { Description = "do not echo cell console output" };
        var cmd = new Command("run", "Execute C# notebooks headless with Roslyn (one shared state per notebook) and write them with their outputs.")
        {
            paths, outDir, inPlace, smoke, cont, figures, quiet,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(inPlace) && parse.GetValue(outDir) != null)
                throw new ArgumentException("--in-place and --out exclude each other: choose where the executed notebooks go.");
            var settings = new RunSettings
            {
                OutDir = parse.GetValue(outDir),
                InPlace = parse.GetValue(inPlace),
                Smoke = parse.GetValue(smoke),
                ContinueOnError = parse.GetValue(cont),
                FiguresDir = parse.GetValue(figures),
                Echo = !parse.GetValue(quiet),
            };
            var notebooks = NotebookRunner.Expand(parse.GetValue(paths) ?? Array.Empty<string>());
            var log = Console.Error;
            await using var runner = new NotebookRunner(settings) { Log = line => log.WriteLine(line) };
            var failed = new List<string>();
            foreach (var nb in notebooks)
            {
                log.WriteLine($"selfsim run: {nb}{(settings.Smoke ? " (smoke)" : "")}");
                var result = await runner.RunAsync(nb);
                foreach (var note in result.Notes().Distinct()) log.WriteLine($"  note: {note}");
                if (result.Succeeded)
                    log.WriteLine($"  ok: {result.Cells.Count} cells in {result.Elapsed.TotalSeconds:F1} s -> {result.Output}");
                else
                    foreach (var f in result.Failures)
                    {
                        var line = $"{nb}: {f.Describe()}";
                        log.WriteLine($"selfsim run: {line}");
                        failed.Add(line);
                    }
            }
            if (failed.Count == 0) return 0;
            if (notebooks.Count > 1)
                log.WriteLine($"selfsim run: {failed.Count} failure(s) in {notebooks.Count} notebooks");
            return 1;
        });
        return cmd;
    }
}

using System;
using System.CommandLine;
using System.Linq;

namespace SelfSim.Cli;

/// <summary>`selfsim summarize --out DIR`: gathers the finished runs of a grid plan into runs.csv and summary.csv and lists missing tasks.</summary>
public sealed class SummarizeCommand : ICliCommand
{
    public Command Create()
    {
        var output = new Option<string>("--out") { Description = "the grid's folder (holds plan.json)", Required = true };
        var strict = new Option<bool>("--strict") { Description = "exit with status 1 when any task of the plan has not finished" };
        var cmd = new Command("summarize", "Gather the finished runs of an experiment grid (selfsim experiment --plan) into OUT/runs.csv and OUT/summary.csv " +
                                           "(per model × dataset: both arms over seeds, paired 95% interval); list the tasks still missing.") { output, strict };
        cmd.SetAction((parse, cancel) =>
        {
            var s = ExperimentGrid.Summarize(parse.GetValue(output)!);
            int total = s.Finished.Count + s.Missing.Count;
            Console.WriteLine($"finished {s.Finished.Count} of {total} tasks; runs: {s.RunsPath}; summary: {s.SummaryPath}");
            foreach (var (e, why) in s.Missing)
                Console.WriteLine($"missing task {e.Index}: {e.Model} on {e.Dataset}, {e.Arm} seed {e.Seed} ({e.Folder}): {why}");
            return System.Threading.Tasks.Task.FromResult(parse.GetValue(strict) && s.Missing.Count > 0 ? 1 : 0);
        });
        return cmd;
    }
}

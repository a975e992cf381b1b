using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using Microsoft.Data.Analysis;
using Spectre.Console;

namespace SelfSim.Cli;

/// <summary>`selfsim experiment`: baseline (records S) vs Srate-constrained training over several seeds, with a summary table.</summary>
public sealed class ExperimentCommand : ICliCommand
{
    public Command Create()
    {
        var opts = new TrainingCliOptions();
        var seeds = new Option<string>("--seeds") { Description = "comma-separated seeds; each runs both arms", DefaultValueFactory = _ => "0,1,2" };
        var output = new Option<string>("--out") { Description = "folder for the runs (ARM-seedK/), runs.csv and summary.csv", Required = true };
        var cmd = new Command("experiment",
            "Train a baseline (cross-entropy, S recorded) and a Srate-constrained run per seed; write runs.csv and summary.csv " +
            "(mean ± std accuracy per arm, paired difference with a 95% t interval, final S per arm). Finished runs are reused, interrupted ones resumed.")
            { seeds, output };
        opts.AddTo(cmd);
        var grid = new ExperimentGridCli(); // --plan / --task / --sbatch for clusters
        grid.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            if (grid.TryRun(parse, opts, seeds, output, cancel) is int gridStatus) return System.Threading.Tasks.Task.FromResult(gridStatus);
            var seedList = (parse.GetValue(seeds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
                    : throw new SelfSimException($"--seeds: '{s}' is not an integer. Use e.g. --seeds 0,1,2.")).ToList();
            var template = opts.Build(parse, 0, SrateMode.Constrain, null);
            OutputGuard.Folder(parse.GetValue(output)!, "--out");
            bool plain = parse.GetValue(opts.Plain);
            var result = ExperimentRunner.Run(template, seedList, parse.GetValue(output)!,
                (o, resume) => TrainingCliOptions.TrainWithProgress(o, resume, plain, $"{(o.Srate == SrateMode.Record ? "baseline" : "constrained")} seed {o.Seed}", cancel),
                cancel);
            Print(result.Summary, template);
            Console.WriteLine($"summary: {result.SummaryPath}");
            return System.Threading.Tasks.Task.FromResult(0);
        });
        return cmd;
    }

    static void Print(DataFrame df, TrainingOptions o)
    {
        var c = CultureInfo.InvariantCulture;
        string F(object? v, string fmt = "F2") => v is double d ? d.ToString(fmt, c) : "–";
        var table = new Table().Title(Markup.Escape($"{o.Model} on {o.Dataset}, {o.Epochs} epochs, λ = {o.SrateWeight.ToString(c)}, target S = {o.SrateTarget.ToString("F3", c)}"));
        foreach (var h in new[] { "arm", "runs", "top-1 %", "top-5 %", "final S", "95% CI of Δ top-1" }) table.AddColumn(h);
        for (long i = 0; i < df.Rows.Count; i++)
        {
            var r = df.Rows[i];
            var cells = new[] { r[0]!.ToString()!, r[1]!.ToString()!,
                $"{F(r[2])} ± {F(r[3])}", $"{F(r[4])} ± {F(r[5])}", $"{F(r[6], "F4")} ± {F(r[7], "F4")}",
                r[8] is double lo ? $"[{F(lo)}, {F(r[9])}]" : "" };
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        AnsiConsole.Write(table);
    }
}

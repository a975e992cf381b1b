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
        var seeds = new Option<string>("--seeds") { Description = "comma-separated seeds; each runs the baseline, then every arm", DefaultValueFactory = _ => "0,1,2" };
        var output = new Option<string>("--out") { Description = "folder for the runs (MODEL-DATASET/ARM/seedK/), runs.csv and summary.csv", Required = true };
        var armsOpt = new Option<string?>("--arms")
        {
            Description = "constrained arms, ';' between arms, e.g. \"lambda=5e-2; lambda=0.5 target=0.1; lambda=0.5 target=baseline; lambda=0.5 control=scale\" " +
                          "(keys lambda, c, target, control, name). Default: one arm 'constrained' with --srate-weight (or the model's reference λ). " +
                          "Target default: the reference's literal value (0.3; 0.2 for Mixer on CIFAR and ResMLP on Imagenette); target=baseline takes " +
                          "each seed's baseline S; control=scale is the activation-scale mechanism control",
        };
        var summarize = new Option<bool>("--summarize-only") { Description = "train nothing: summarise every finished run under --out (MODEL-DATASET/ARM/seedK), e.g. after a grid ran in pieces" };
        var cka = new Option<bool>("--cka") { Description = "with --summarize-only: also write cka.csv, linear CKA per layer of every arm against its seed's baseline and of the baseline against the next seed, from the checkpoints, on 256 test images" };
        var cmd = new Command("experiment",
            "Per seed, train a baseline (cross-entropy, S recorded), then each Srate-constrained arm (target: the reference's literal " +
            "value unless the arm says otherwise); write runs.csv and summary.csv (final and best top-1 per arm, paired " +
            "differences with 95% t intervals, final S, gate activity). Finished runs are skipped and unfinished ones resumed from " +
            "their checkpoints, so the grid can run in pieces.")
            { seeds, output, armsOpt, summarize, cka };
        opts.AddTo(cmd);
        var grid = new ExperimentGridCli(); // --plan / --task / --sbatch for clusters
        grid.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            if (grid.TryRun(parse, opts, seeds, output, cancel) is int gridStatus) return System.Threading.Tasks.Task.FromResult(gridStatus);
            var seedList = (parse.GetValue(seeds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
                    : throw new SelfSimException($"--seeds: '{s}' is not an integer. Use e.g. --seeds 0,1,2.")).ToList();
            if (parse.GetValue(opts.SrateTargetFrom) is not null)
                throw new SelfSimException("experiment takes each seed's target from its own baseline; --srate-target-from is for `selfsim train`. Use --srate-target for one fixed target.");
            var template = opts.Build(parse, 0, SrateMode.Constrain, null);
            OutputGuard.Folder(parse.GetValue(output)!, "--out");
            if (parse.GetValue(summarize))
            {
                // Template-free: every finished run under --out, whatever settings it ran with.
                var found = ExperimentRunner.Load(parse.GetValue(output)!, write: true, log: line => Console.WriteLine(line));
                Print(found.Summary, $"finished runs under {parse.GetValue(output)}");
                Console.WriteLine(ExperimentCurves.VerdictAllArms(found.Runs));
                // A committed grid's pre-registered rule, the first whose arms all ran here.
                var match = StudySettings.MeasuredDecisions.FirstOrDefault(d => d.Rule.Dose
                    .Append(d.Rule.Opposite).Append(d.Rule.Control).OfType<string>()
                    .All(a => found.Runs.Any(r => r.Arm == a)));
                if (match.Rule is DecisionArms rule)
                {
                    var verdict = ExperimentDecision.Decide(found.Runs, rule);
                    Console.WriteLine($"decision rule (notebooks/measured/{match.Folder}/README.md):");
                    foreach (var c in verdict.Checks)
                        Console.WriteLine($"  {c.Condition}: {(c.Holds is bool h ? (h ? "holds" : "fails") : "undecided")} ({c.Evidence})");
                    Console.WriteLine($"verdict: {verdict.Verdict}");
                }
                Console.WriteLine($"summary: {found.SummaryPath}");
                if (parse.GetValue(cka))
                {
                    var rows = ExperimentCka.Measure(found, parse.GetValue(opts.DataDir), log: line => Console.WriteLine(line));
                    var path = System.IO.Path.Combine(parse.GetValue(output)!, ExperimentCka.FileName);
                    ExperimentCka.Save(rows, path);
                    foreach (var a in ExperimentCka.Summarize(rows))
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"CKA {(a.Arm == ExperimentRunner.Baseline ? "baseline vs next seed" : a.Arm + " vs baseline")}: {a.MeanCka.Value:F3} [{a.MeanCka.Lower:F3}, {a.MeanCka.Upper:F3}] over {a.Seeds} seeds"));
                    Console.WriteLine($"cka: {path}");
                }
                return System.Threading.Tasks.Task.FromResult(0);
            }
            if (parse.GetValue(cka))
                throw new SelfSimException("--cka reads finished runs: use it with --summarize-only (after the grid has run).");
            var arms = parse.GetValue(armsOpt) is { } spec ? ExperimentArm.Parse(spec) : ExperimentRunner.DefaultArms;
            if (parse.GetValue(opts.SrateTarget) is double fixedTarget)
                arms = arms.Select(a => a.Rule == TargetRule.Reference ? a with { Target = fixedTarget, Rule = TargetRule.Fixed } : a).ToList();
            bool plain = parse.GetValue(opts.Plain);
            var result = ExperimentRunner.Run(template, seedList, parse.GetValue(output)!,
                (o, resume) => TrainingCliOptions.TrainWithProgress(o, resume, plain, $"{(o.Srate == SrateMode.Record ? "baseline" : "constrained")} seed {o.Seed}", cancel),
                cancel, arms, false, line => Console.WriteLine(line));
            Print(result.Summary, $"{template.Model} on {template.Dataset}, {template.Epochs} epochs");
            Console.WriteLine($"summary: {result.SummaryPath}");
            return System.Threading.Tasks.Task.FromResult(0);
        });
        return cmd;
    }

    static void Print(DataFrame df, string what)
    {
        var c = CultureInfo.InvariantCulture;
        string F(object? v, string fmt = "F2") => v is double d ? d.ToString(fmt, c) : "–";
        var table = new Table().Title(Markup.Escape($"{what} (rows 'ARM - baseline': paired differences)"));
        foreach (var h in new[] { "arm", "runs", "final top-1 %", "95% CI", "best top-1 %", "95% CI", "final S", "gate z", "z > 0.5" }) table.AddColumn(h);
        for (long i = 0; i < df.Rows.Count; i++)
        {
            var r = df.Rows[i];
            object? C(string name) => r[df.Columns.IndexOf(name)];
            var cells = new[] { r[0]!.ToString()!, r[1]!.ToString()!,
                $"{F(C("top1_mean"))} ± {F(C("top1_std"))}", C("diff_top1_ci_low") is double lo ? $"[{F(lo)}, {F(C("diff_top1_ci_high"))}]" : "",
                $"{F(C("best_top1_mean"))} ± {F(C("best_top1_std"))}", C("diff_best_ci_low") is double bl ? $"[{F(bl)}, {F(C("diff_best_ci_high"))}]" : "",
                $"{F(C("s_final_mean"), "F4")} ± {F(C("s_final_std"), "F4")}", F(C("gate_z_mean"), "F3"), F(C("gate_open_mean"), "P0") };
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        AnsiConsole.Write(table);
    }
}

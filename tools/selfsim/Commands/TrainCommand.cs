using System;
using System.CommandLine;
using System.IO;

namespace SelfSim.Cli;

/// <summary>`selfsim train`: one training run, optionally under the self-similarity constraint.</summary>
public sealed class TrainCommand : ICliCommand
{
    public Command Create()
    {
        var opts = new TrainingCliOptions();
        var seed = new Option<int>("--seed") { Description = "random seed (weights, shuffling, augmentation, layer draws)", DefaultValueFactory = _ => new TrainingOptions().Seed };
        var record = new Option<bool>("--record-srate") { Description = "measure S every step without training on it" };
        var constrain = new Option<bool>("--constrain") { Description = "train under the Srate constraint (implied by --srate-target / --srate-target-from)" };
        var output = new Option<string>("--out") { Description = "folder for metrics.csv, metrics.json and checkpoint.bin", Required = true };
        var resume = new Option<bool>("--resume") { Description = "continue the run in --out from its last checkpoint" };
        var overwrite = new Option<bool>("--overwrite") { Description = "replace a run already in --out (without it, a finished or checkpointed run there is refused)" };
        var cmd = new Command("train", "Train a model (AdamW, cosine + warm-up, label smoothing) with optional Srate constraint; metrics and a checkpoint every epoch.")
            { seed, record, constrain, output, resume, overwrite };
        opts.AddTo(cmd);
        cmd.SetAction((parse, cancel) =>
        {
            bool wantsConstraint = parse.GetValue(constrain) || parse.GetValue(opts.SrateTarget) is not null || parse.GetValue(opts.SrateTargetFrom) is not null;
            if (wantsConstraint && parse.GetValue(record))
                throw new SelfSimException("--record-srate measures S without the constraint; drop it, or drop --constrain/--srate-target.");
            var mode = wantsConstraint ? SrateMode.Constrain : parse.GetValue(record) ? SrateMode.Record : SrateMode.Off;
            var o = opts.Build(parse, parse.GetValue(seed), mode, parse.GetValue(output));
            var report = TrainingCliOptions.TrainWithProgress(o, parse.GetValue(resume), parse.GetValue(opts.Plain), $"train {o.Model}", cancel,
                parse.GetValue(overwrite));
            Console.WriteLine($"{report.Status}: metrics in {Path.Combine(o.OutDir!, RunLog.CsvName)}");
            return System.Threading.Tasks.Task.FromResult(report.Status == "completed" ? 0 : 2);
        });
        return cmd;
    }
}

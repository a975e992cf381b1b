using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;

namespace SelfSim.Cli;

/// <summary>
/// The cluster options of `selfsim experiment`: --plan writes the grid (models × datasets × seeds × arms) as OUT/plan.json and plan.tsv,
/// --task N runs entry N (resuming it if interrupted, returning at once if finished), --sbatch writes a Slurm job-array script for the plan.
/// The grid logic lives in shared/experiments/ExperimentGrid.csx.
/// </summary>
internal sealed class ExperimentGridCli
{
    public readonly Option<bool> Plan = new("--plan") { Description = "write the grid (--models × --datasets × --seeds × {baseline, constrained}) to OUT/plan.json and OUT/plan.tsv, and stop" };
    public readonly Option<int?> Task = new("--task") { Description = "run entry N of OUT/plan.json (a Slurm array passes $SLURM_ARRAY_TASK_ID); resumes an interrupted run, skips a finished one" };
    public readonly Option<bool> Sbatch = new("--sbatch") { Description = "write OUT/grid.sbatch, a Slurm job array with one task per plan entry (writes the plan first when --plan is given)" };
    public readonly Option<string?> Models = new("--models") { Description = "comma-separated models for --plan (default: --model)" };
    public readonly Option<string?> Datasets = new("--datasets") { Description = "comma-separated datasets for --plan (default: --dataset)" };
    public readonly Option<string?> Partition = new("--partition") { Description = "Slurm partition for --sbatch" };
    public readonly Option<string> Time = new("--time") { Description = "Slurm time limit per task for --sbatch", DefaultValueFactory = _ => "48:00:00" };
    public readonly Option<string> Gpus = new("--gpus") { Description = "GPUs per task for --sbatch (--gres=gpu:N; 0 for none)", DefaultValueFactory = _ => "1" };
    public readonly Option<int> Cpus = new("--cpus") { Description = "CPU cores per task for --sbatch", DefaultValueFactory = _ => 8 };
    public readonly Option<string> Memory = new("--mem") { Description = "memory per task for --sbatch", DefaultValueFactory = _ => "64G" };

    public void AddTo(Command cmd)
    {
        foreach (var o in new Option[] { Plan, Task, Sbatch, Models, Datasets, Partition, Time, Gpus, Cpus, Memory }) cmd.Options.Add(o);
    }

    /// <summary>Handles --plan/--sbatch/--task; returns null when none is given (the plain experiment runs).</summary>
    public int? TryRun(ParseResult parse, TrainingCliOptions opts, Option<string> seeds, Option<string> output, CancellationToken cancel)
    {
        bool plan = parse.GetValue(Plan), sbatch = parse.GetValue(Sbatch);
        int? task = parse.GetValue(Task);
        if (!plan && !sbatch && task is null) return null;
        if (task is not null && (plan || sbatch)) throw new SelfSimException("--task runs one entry of an existing plan; write the plan (--plan, --sbatch) in a separate call.");
        var outDir = parse.GetValue(output)!;
        if (task is int index)
        {
            var report = ExperimentGrid.RunTask(outDir, index,
                (o, resume) => TrainingCliOptions.TrainWithProgress(o, resume, true, $"task {index}: {o.Model} on {o.Dataset}, {(o.Srate == SrateMode.Record ? "baseline" : "constrained")} seed {o.Seed}", cancel),
                cancel);
            Console.WriteLine($"task {index}: {report.Status}{(report.Epochs.Count > 0 ? $", top-1 {report.Epochs[^1].TestTop1.ToString("F2", CultureInfo.InvariantCulture)} %" : "")}");
            return report.Status == "completed" ? 0 : 1;
        }
        if (plan)
        {
            static string[] List(string? s) => (s ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var built = opts.Build(parse, 0, SrateMode.Constrain, null);
            // Tasks start wherever the scheduler puts them: pin the data folder the plan was written against.
            var template = built with { DataDir = Path.GetFullPath(built.DataDir ?? DataPaths.Default) };
            var models = parse.GetValue(Models) is string m ? List(m) : new[] { template.Model };
            var datasets = parse.GetValue(Datasets) is string d ? List(d) : new[] { template.Dataset };
            var seedList = List(parse.GetValue(seeds)).Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
                : throw new SelfSimException($"--seeds: '{s}' is not an integer. Use e.g. --seeds 0,1,2.")).ToList();
            var grid = ExperimentGrid.Plan(template, models, datasets, seedList);
            ExperimentGrid.Save(grid, outDir);
            Console.WriteLine($"plan: {grid.Entries.Count} tasks ({models.Length} models × {datasets.Length} datasets × {seedList.Count} seeds × 2 arms) -> {Path.Combine(outDir, ExperimentGrid.PlanTableName)}");
        }
        if (sbatch)
        {
            var grid = ExperimentGrid.Load(outDir);
            string gpus = parse.GetValue(Gpus)!;
            var script = ExperimentGrid.SbatchScript(grid, outDir, SelfCommand(), parse.GetValue(Partition), parse.GetValue(Time)!,
                parse.GetValue(Cpus), gpus is "0" or "" ? null : gpus, parse.GetValue(Memory)!);
            Directory.CreateDirectory(Path.Combine(outDir, "slurm"));
            var path = Path.Combine(outDir, "grid.sbatch");
            AtomicFile.WriteAllText(path, script);
            Console.WriteLine($"job array: {path} ({grid.Entries.Count} tasks). Submit with: sbatch {path}; then: selfsim summarize --out {outDir}");
        }
        return 0;
    }

    /// <summary>How a job runs this same selfsim: the apphost, or `dotnet selfsim.dll` when started through dotnet.</summary>
    static string SelfCommand()
    {
        var process = Environment.ProcessPath ?? "selfsim";
        var dll = typeof(ExperimentGridCli).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? $"'{process}' '{dll}'" : $"'{process}'";
    }
}

using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;

namespace SelfSim.Cli;

/// <summary>`selfsim survey --seeds 0,1,2 --out DIR`: notebook 04's architecture survey over seeds, with each architecture's
/// mean S and its interval, whether architectures differ by more than seeds do (one-way ANOVA), and Spearman's ρ of S
/// with the other layer measures per seed (<see cref="MeasureCorrelations"/>).</summary>
public sealed class SurveyCommand : ICliCommand
{
    public Command Create()
    {
        var seeds = new Option<string>("--seeds") { Description = "comma-separated seeds", DefaultValueFactory = _ => "0,1,2" };
        var output = new Option<string>("--out") { Description = "folder for survey-seedK.json (a finished seed is loaded, not retrained)", Required = true };
        var size = new Option<string>("--size") { Description = "smoke, default or full: notebook 04's settings", DefaultValueFactory = _ => "default" };
        var load = new Option<bool>("--summarize-only") { Description = "train nothing: read every survey-seedK.json under --out" };
        var cmd = new Command("survey", "Train and measure every zoo model (notebook 04's survey) once per seed; print each architecture's mean S over " +
                                        "seeds with a 95% t interval and a one-way ANOVA of per-seed mean S by architecture.") { seeds, output, size, load };
        cmd.SetAction((parse, cancel) =>
        {
            var dir = parse.GetValue(output)!;
            var seedList = (parse.GetValue(seeds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
                    : throw new SelfSimException($"--seeds: '{s}' is not an integer. Use e.g. --seeds 0,1,2.")).ToList();
            var bySeed = parse.GetValue(load) ? SurveySeeds.Load(dir) : Run(dir, RunMode.Parse(parse.GetValue(size)!), seedList);
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine($"{"architecture",-12} {"seeds",5} {"mean S",8} {"sd",7}  {"95% CI",-17} {"top-1 %",7}");
            foreach (var a in SurveySeeds.Spread(bySeed))
                Console.WriteLine(string.Create(c, $"{a.Architecture,-12} {a.Seeds,5} {a.MeanS.Value,8:F4} {a.StdS,7:F4}  [{a.MeanS.Lower:F4}, {a.MeanS.Upper:F4}] {a.MeanTop1,7:F2}"));
            if (bySeed.Count > 1)
            {
                var f = SurveySeeds.Anova(bySeed);
                Console.WriteLine(string.Create(c, $"ANOVA by architecture: F({f.DfBetween}, {f.DfWithin}) = {f.F:F2}, p = {f.P:G3}, " +
                                                   $"eta^2 = {f.EtaSquared:F2} (share of the variance between architectures)"));
            }
            PrintCorrelations(bySeed, c);
            return System.Threading.Tasks.Task.FromResult(0);
        });
        return cmd;
    }

    /// <summary>Spearman's ρ of S with each other measure over each seed's trained layers, and the mean over seeds
    /// (chapter 09's table); "-" where a seed's files lack the column (surveys saved before the dimension columns).</summary>
    static void PrintCorrelations(IReadOnlyDictionary<int, IReadOnlyList<ArchitectureRun>> bySeed, CultureInfo c)
    {
        static string F(double v, IFormatProvider c) => double.IsFinite(v) ? v.ToString("F3", c) : "-";
        Console.WriteLine();
        Console.WriteLine("Spearman's rho of S with each measure over the trained layers, per seed; mean over seeds with a 95% t interval");
        Console.WriteLine($"{"measure",-30} {"layers",-12} {"rho per seed",-24} {"mean",6}  95% CI");
        foreach (var m in MeasureCorrelations.OverSeeds(bySeed))
        {
            var layers = string.Join(",", m.BySeed.Values.Select(r => r.Layers.ToString(c)));
            var rhos = string.Join(", ", m.BySeed.Values.Select(r => F(r.Rho?.Value ?? double.NaN, c)));
            Console.WriteLine($"{m.Column.Name,-30} {layers,-12} {rhos,-24} {F(m.MeanRho.Value, c),6}  " +
                              $"[{F(m.MeanRho.Lower, c)}, {F(m.MeanRho.Upper, c)}]");
        }
    }

    static IReadOnlyDictionary<int, IReadOnlyList<ArchitectureRun>> Run(
        string dir, RunSize size, IReadOnlyList<int> seeds)
    {
        OutputGuard.Folder(dir, "--out");
        var (train, test) = TrainingData.Load("mnist", null);
        return SurveySeeds.LoadOrRun(dir, ArchitectureSurveyOptions.ForSize(size), seeds, train, test, Console.WriteLine);
    }
}

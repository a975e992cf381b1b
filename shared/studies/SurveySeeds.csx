#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

// The paper's first claim (Ding et al. 2025, Sec. 4: self-similarity differs by architecture), tested against the spread
// between seeds: the architecture survey repeated over seeds, each architecture's mean S with a Student-t interval, and a
// one-way analysis of variance (Fisher 1925) of the per-seed mean S with architecture as the factor.

/// <summary>One architecture over seeds: the mean over seeds of its trained layers' mean S with its t interval
/// (<see cref="MeanInterval"/>), the standard deviation over seeds, and the mean test top-1.</summary>
public sealed record ArchitectureSpread(string Architecture, int Seeds, Estimate MeanS, double StdS, double MeanTop1);

/// <summary>One-way ANOVA of per-seed mean S by architecture: F = between-architecture mean square / within (seed) mean square.</summary>
public sealed record SeedAnova(double F, int DfBetween, int DfWithin, double P, double BetweenMeanSquare, double WithinMeanSquare)
{
    /// <summary>Share of the total variance that lies between architectures (η²).</summary>
    public double EtaSquared { get; init; }
}

public static class SurveySeeds
{
    /// <summary>The saved survey of one seed inside <paramref name="folder"/>.</summary>
    public static string PathFor(string folder, int seed) => Path.Combine(folder, $"survey-seed{seed}.json");

    /// <summary>Runs (or loads, <see cref="ArchitectureSurvey.LoadOrRun"/>) the survey once per seed, the seed replacing
    /// <see cref="TrainingOptions.Seed"/> (initial weights, data order).</summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<ArchitectureRun>> LoadOrRun(string folder, ArchitectureSurveyOptions options,
        IReadOnlyList<int> seeds, ImageDataset train, ImageDataset test, Action<string>? log = null)
    {
        if (seeds.Count == 0) throw new SelfSimException("The seed survey needs at least one seed (e.g. 0,1,2).");
        var result = new SortedDictionary<int, IReadOnlyList<ArchitectureRun>>();
        foreach (int seed in seeds)
        {
            log?.Invoke($"seed {seed}:");
            var o = options with { Training = options.Training with { Seed = seed } };
            result[seed] = ArchitectureSurvey.LoadOrRun(PathFor(folder, seed), o, train, test, log);
        }
        return result;
    }

    /// <summary>Loads every survey-seedK.json in <paramref name="folder"/>, whatever options they ran with.</summary>
    public static IReadOnlyDictionary<int, IReadOnlyList<ArchitectureRun>> Load(string folder)
    {
        var result = new SortedDictionary<int, IReadOnlyList<ArchitectureRun>>();
        foreach (var f in Directory.Exists(folder) ? Directory.GetFiles(folder, "survey-seed*.json") : Array.Empty<string>())
        {
            var stem = Path.GetFileNameWithoutExtension(f)["survey-seed".Length..];
            if (!int.TryParse(stem, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int seed)) continue;
            ArchitectureSurvey.SavedSurvey? saved;
            try { saved = ArchitectureSurvey.ReadSaved(File.ReadAllText(f)); }
            catch (System.Text.Json.JsonException e)
            {
                throw new SelfSimException($"{f} is not a saved survey ({e.Message}). Delete it and run the survey again.");
            }
            if (saved is null) throw new SelfSimException($"{f} is empty. Delete it and run the survey again.");
            result[seed] = saved.Runs;
        }
        if (result.Count == 0) throw new SelfSimException($"No survey-seedK.json in '{folder}'. Run `selfsim survey --seeds 0,1,2 --out {folder}`.");
        return result;
    }

    /// <summary>The mean S of one run's trained layers (NaN when none is finite).</summary>
    public static double MeanS(ArchitectureRun run)
    {
        var s = run.Trained.Select(m => m.S).Where(double.IsFinite).ToList();
        return s.Count == 0 ? double.NaN : s.Average();
    }

    /// <summary>Per architecture (in the first seed's order): mean over seeds of <see cref="MeanS"/>, its sample standard
    /// deviation and a Student-t interval at <paramref name="level"/> (NaN bounds with one seed), and the mean test top-1.</summary>
    public static IReadOnlyList<ArchitectureSpread> Spread(IReadOnlyDictionary<int, IReadOnlyList<ArchitectureRun>> bySeed, double level = 0.95)
    {
        var names = bySeed.Values.First().Select(r => r.Architecture).ToList();
        return names.Select(name =>
        {
            var runs = bySeed.Values.Select(v => v.FirstOrDefault(r => r.Architecture == name)).OfType<ArchitectureRun>().ToList();
            var s = runs.Select(MeanS).Where(double.IsFinite).ToList();
            var (_, sd) = ExperimentSummary.MeanStd(s);
            return new ArchitectureSpread(name, s.Count, MeanInterval.Of(s, level), sd, runs.Average(r => r.TestTop1));
        }).ToList();
    }

    /// <summary>One-way ANOVA of the per-seed mean S (groups: architectures; replicates: seeds).</summary>
    public static SeedAnova Anova(IReadOnlyDictionary<int, IReadOnlyList<ArchitectureRun>> bySeed) =>
        Anova(bySeed.Values.SelectMany(v => v).Select(r => (r.Architecture, MeanS(r))));

    /// <summary>One-way ANOVA of <paramref name="values"/> grouped by their label (non-finite values are left out). P from the
    /// F distribution, P(F' ≥ F) = I_{d2/(d2 + d1·F)}(d2/2, d1/2).</summary>
    public static SeedAnova Anova(IEnumerable<(string Group, double Value)> values)
    {
        var groups = values.Where(v => double.IsFinite(v.Value)).GroupBy(v => v.Group)
            .Select(g => g.Select(v => v.Value).ToList()).ToList();
        int k = groups.Count, n = groups.Sum(g => g.Count);
        if (k < 2 || n - k < 1)
            throw new SelfSimException($"The seed ANOVA needs at least 2 architectures and more runs than architectures (got {k} and {n}). Run 2 or more seeds.");
        double grand = groups.SelectMany(g => g).Average();
        double ssb = groups.Sum(g => g.Count * Math.Pow(g.Average() - grand, 2));
        double ssw = groups.Sum(g => { double m = g.Average(); return g.Sum(x => (x - m) * (x - m)); });
        int d1 = k - 1, d2 = n - k;
        double msb = ssb / d1, msw = ssw / d2, f = msw > 0 ? msb / msw : double.PositiveInfinity;
        double p = double.IsPositiveInfinity(f) ? 0 : SpecialFunctions.IncompleteBetaRegularized(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f));
        return new SeedAnova(f, d1, d2, p, msb, msw) { EtaSquared = ssb / (ssb + ssw) };
    }
}

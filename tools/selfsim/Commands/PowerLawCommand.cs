using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SelfSim.Cli;

/// <summary>`selfsim powerlaw`: Clauset–Shalizi–Newman power-law fit, bootstrap p and likelihood-ratio tests on a data file.</summary>
public sealed class PowerLawCommand : ICliCommand
{
    public sealed record PowerLawArgs(string Data, bool Discrete = false, bool Continuous = false, double? Xmin = null, int MinTail = PowerLawFitter.DefaultMinTail,
        double Scale = 1, int Bootstrap = 0, int Seed = 0, bool Json = false, string? Column = null, bool Progress = false,
        CsvHeaderMode Header = CsvHeaderMode.Auto, XminSearch? Search = null);

    public Command Create()
    {
        var data = new Option<string>("--data") { Description = "text file with one value per line (or a CSV with a header: see --column)", Required = true };
        var column = new Option<string?>("--column") { Description = "read this named column of a CSV with a header line" };
        var progress = CliProgress.CreateOption();
        var header = CliInputs.HeaderOption();
        var discrete = new Option<bool>("--discrete") { Description = "fit the discrete (integer) power law" };
        var continuous = new Option<bool>("--continuous") { Description = "fit the continuous power law (default: discrete when every value is an integer)" };
        var xmin = new Option<double?>("--xmin") { Description = "fix xmin instead of choosing it by the KS distance" };
        var minTail = new Option<int>("--min-tail") { Description = "smallest tail an xmin may leave (below 50 the fit is flagged unreliable)", DefaultValueFactory = _ => PowerLawFitter.DefaultMinTail };
        var scale = new Option<double>("--scale") { Description = "multiply every value by this (e.g. 1e-3)", DefaultValueFactory = _ => 1.0 };
        var bootstrap = new Option<int>("--bootstrap") { Description = "bootstrap replicates for the goodness-of-fit p (0 = skip; CSN use 2500)", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "bootstrap seed", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "print JSON" };
        var range = new Option<string?>("--xmin-range") { Description = "search xmin only in LOW,HIGH (e.g. 1,100)" };
        var scan = new Option<int>("--xmin-scan") { Description = "scan every xmin candidate up to this many; above it, a coarse pass and then every candidate near the best (0 = every one)", DefaultValueFactory = _ => XminSearch.DefaultScan };
        var cmd = new Command("powerlaw", "Fit a power law to data (Clauset, Shalizi & Newman 2009): xmin, alpha, KS, bootstrap p, likelihood ratios.")
        { data, column, header, discrete, continuous, xmin, minTail, scale, bootstrap, seed, json, progress, range, scan };
        cmd.SetAction(parse => Run(new PowerLawArgs(parse.GetValue(data)!, parse.GetValue(discrete), parse.GetValue(continuous), parse.GetValue(xmin),
            parse.GetValue(minTail), parse.GetValue(scale), parse.GetValue(bootstrap), parse.GetValue(seed), parse.GetValue(json),
            parse.GetValue(column), parse.GetValue(progress), CsvHeader.Parse(parse.GetValue(header)), Search(parse.GetValue(range), parse.GetValue(scan))), Console.Out));
        return cmd;
    }

    /// <summary>--xmin-range LOW,HIGH and --xmin-scan N as a search (numbers with a decimal point, as every number).</summary>
    static XminSearch Search(string? range, int scan)
    {
        if (range is null) return new XminSearch(Scan: scan);
        var parts = range.Split(',', StringSplitOptions.TrimEntries);
        var c = System.Globalization.CultureInfo.InvariantCulture;
        if (parts.Length != 2 || !double.TryParse(parts[0], System.Globalization.NumberStyles.Float, c, out var lo)
            || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, c, out var hi) || !double.IsFinite(lo) || double.IsNaN(hi))
            throw new SelfSimException($"--xmin-range '{range}' is not LOW,HIGH: give two numbers with a decimal point, e.g. --xmin-range 1,100 or 0.5,2e3.");
        var s = new XminSearch(lo, hi, scan);
        s.Check();
        return s;
    }

    public static int Run(PowerLawArgs a, TextWriter output)
    {
        if (a.Discrete && a.Continuous) throw new SelfSimException("Choose one of --discrete and --continuous (or neither, to decide from the data).");
        if (a.Bootstrap < 0) throw new SelfSimException($"--bootstrap must be 0 (skip) or a number of replicates (CSN use 2500); got {a.Bootstrap}.");
        if (!double.IsFinite(a.Scale) || a.Scale == 0) throw new SelfSimException($"--scale must be a finite, non-zero factor; got {a.Scale}.");
        return Analyse(PowerLawFitter.ReadData(a.Data, a.Scale, a.Column, a.Header), a.Data, a, output);
    }

    /// <summary>Fits, tests and prints the values <paramref name="x"/>; <paramref name="head"/>'s fields lead the JSON.</summary>
    public static int Analyse(double[] x, string label, PowerLawArgs a, TextWriter output, JsonObject? head = null)
    {
        var kind = a.Discrete ? PowerLawKind.Discrete : a.Continuous ? PowerLawKind.Continuous : PowerLawKind.Auto;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var fit = CliProgress.Run(a.Progress, $"power-law fit of {x.Length:N0} values (xmin scan)", 1.0,
            report => PowerLawFitter.Fit(x, kind, a.Xmin, a.MinTail, report, a.Search));
        double fitMs = sw.Elapsed.TotalMilliseconds;
        var gof = a.Bootstrap > 0
            ? CliProgress.Run(a.Progress, $"bootstrap of {a.Bootstrap} replicates", a.Bootstrap, report => PowerLawBootstrap.Run(x, fit, a.Bootstrap, a.Seed, progress: n => report(n)))
            : null;
        var cmp = PowerLawComparisons.All(x, fit);
        if (a.Json)
        {
            var o = head ?? new JsonObject();
            foreach (var kv in new JsonObject
            {
                ["data"] = label,
                ["n"] = fit.SampleCount,
                ["nonPositiveDropped"] = fit.NonPositiveDropped,
                ["kind"] = fit.Discrete ? "discrete" : "continuous",
                ["xmin"] = fit.Xmin,
                ["xminFixed"] = fit.XminFixed,
                ["alpha"] = fit.Alpha,
                ["alphaStdError"] = fit.AlphaStdError,
                ["tail"] = fit.TailCount,
                ["ks"] = fit.KsDistance,
                ["logLikelihood"] = fit.LogLikelihood,
                ["p"] = gof?.P,
                ["bootstrap"] = a.Bootstrap,
                ["seed"] = a.Seed,
                ["fitMilliseconds"] = Math.Round(fitMs, 3),
                ["warning"] = fit.Warning,
                ["verdict"] = fit.Verdict(gof),
                ["likelihoodRatios"] = new JsonArray(cmp.Select(c => (JsonNode)new JsonObject
                {
                    ["alternative"] = c.Alternative,
                    ["R"] = c.LogLikelihoodRatio,
                    ["normalizedR"] = c.NormalizedRatio,
                    ["p"] = c.P,
                    ["nested"] = c.Nested,
                    ["favoured"] = c.Favoured,
                    ["parameters"] = new JsonObject(c.AlternativeParameters.Select(kv => new System.Collections.Generic.KeyValuePair<string, JsonNode?>(kv.Key, kv.Value))),
                    ["degenerate"] = c.Degenerate,
                    ["note"] = c.Note,
                }).ToArray()),
            }.ToList())
            {
                var node = kv.Value;
                o[kv.Key] = node?.DeepClone();
            }
            output.WriteLine(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        output.WriteLine($"{label}: {fit.SampleCount} values, {(fit.Discrete ? "discrete" : "continuous")} power law");
        output.WriteLine($"xmin = {fit.Xmin}  alpha = {fit.Alpha:F4} ± {fit.AlphaStdError:F4}  tail = {fit.TailCount}  KS D = {fit.KsDistance:F5}  log L = {fit.LogLikelihood:F3}");
        if (gof != null) output.WriteLine($"bootstrap p = {gof.P:F3} ({gof.Replicates} replicates){(gof.Plausible ? "" : ": the power law is ruled out (p ≤ 0.1)")}");
        if (fit.Warning != null) output.WriteLine("warning: " + fit.Warning);
        output.WriteLine("verdict: " + fit.Verdict(gof));
        foreach (var c in cmp)
        {
            output.WriteLine($"vs {c.Alternative,-20} R = {c.LogLikelihoodRatio,9:F3}  normalised {c.NormalizedRatio,7:F3}  p = {c.P:F4}  → {c.Favoured}{(c.Nested ? " (nested: Wilks p)" : "")}");
            if (c.Note != null) output.WriteLine($"    note: {c.Note}");
        }
        return 0;
    }
}

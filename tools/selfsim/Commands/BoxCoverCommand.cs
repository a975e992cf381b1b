using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Text.Json;
using static TorchSharp.torch;

namespace SelfSim.Cli;

/// <summary>`selfsim boxcover`: the exact box cover (the reference's box_edge) of a feature file and its fits.</summary>
public sealed class BoxCoverCommand : ICliCommand
{
    public Command Create()
    {
        var features = new Option<string>("--features") { Description = "2-D .npy (float32/float64) or .csv; rows are nodes, columns samples (see --samples-in-rows); float64 stays float64", Required = true };
        var header = CliInputs.HeaderOption();
        var samplesInRows = new Option<bool>("--samples-in-rows") { Description = "the file is [samples, neurons], as a PyTorch hook gives: transpose it" };
        var minSize = new Option<double?>("--min-size") { Description = "smallest box size l_B in the log-log d_B fit (default: the large-box window, N_B from max(2, 0.2%·n) to 10%·n)" };
        var maxSize = new Option<double?>("--max-size") { Description = "largest box size l_B in the log-log d_B fit" };
        var confidence = new Option<double>("--confidence") { Description = "confidence level of the d_B interval", DefaultValueFactory = _ => 0.95 };
        var tree = new Option<bool>("--tree") { Description = "also print the merge tree ([i, j, height] in SciPy linkage convention)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object (fields: docs/cli-json.md)" };
        var cmd = new Command("boxcover", "Exact box cover (greedy complete linkage, as the reference's box_edge) with the reference's normalised fit and a log-log box dimension d_B.")
            { features, samplesInRows, header, minSize, maxSize, confidence, tree, json };
        cmd.SetAction(parse =>
        {
            OpenMpWaitPolicy.PreferPassive();   // before the first torch call loads libgomp
            var path = parse.GetValue(features)!;
            double level = parse.GetValue(confidence);
            if (!(level > 0 && level < 1))
                throw new SelfSimException($"--confidence must lie strictly between 0 and 1 (e.g. 0.95 for a 95% interval); got {level}.");
            using var m = NodeMatrix.Load(path, parse.GetValue(samplesInRows), CsvHeader.Parse(parse.GetValue(header)));
            foreach (var w in m.Warnings) Console.Error.WriteLine("warning: " + w);
            int rows = m.Nodes, cols = m.Samples;
            MeasureLimits.CheckBoxCover(rows, cols);
            var r = BoxCover.Compute(m.Features);
            var fit = r.NormalisedFit();
            double? lo = parse.GetValue(minSize), hi = parse.GetValue(maxSize);
            BoxDimensionFit? dim = null;
            string? dimError = null;
            try { dim = r.Dimension(lo, hi, parse.GetValue(confidence)); }
            catch (SelfSimException e) when (lo is null && hi is null) { dimError = e.Message; }   // too few nodes for the default window

            if (parse.GetValue(json))
            {
                var o = new Dictionary<string, object?>
                {
                    ["nodes"] = rows,
                    ["samples"] = cols,
                    ["precision"] = m.Precision,
                    ["zeroRows"] = m.ZeroRows,
                    ["warnings"] = m.Warnings,
                    ["boxSizes"] = r.BoxSizes,
                    ["boxCounts"] = r.BoxCounts,
                    ["merges"] = r.Merges.Select(p => new[] { p.I, p.J }).ToArray(),
                    ["normalisedFit"] = new Dictionary<string, object>
                    {
                        ["slope"] = fit.Slope,
                        ["intercept"] = fit.Intercept,
                        ["stdError"] = fit.StdError,
                        ["points"] = fit.Points,
                    },
                };
                if (dim is not null)
                {
                    o["logLogFit"] = new Dictionary<string, object>
                    {
                        ["boxDimension"] = EstimateJson.Of(dim.Dimension),
                        ["points"] = dim.Points,
                        ["minSize"] = dim.MinSize,
                        ["maxSize"] = dim.MaxSize,
                        ["intercept"] = dim.Intercept,
                        ["rSquared"] = dim.RSquared,
                    };
                }
                else o["logLogFitError"] = dimError;
                // SciPy's linkage matrix: [cluster i, cluster j, height, size]; leaves are 0..n-1, merge k makes cluster n + k.
                if (parse.GetValue(tree)) o["tree"] = r.Tree.Select(t => new object[] { t.A, t.B, t.Height, t.Size }).ToArray();
                Console.WriteLine(JsonSerializer.Serialize(o));
            }
            else
            {
                Console.WriteLine($"features:        {path} ({rows} nodes × {cols} samples, {m.Precision}{(m.ZeroRows > 0 ? $", {m.ZeroRows} all-zero rows" : "")})");
                Console.WriteLine($"merges:          {r.BoxSizes.Length}, box sizes {r.BoxSizes.First():G6} … {r.BoxSizes.Last():G6}");
                Console.WriteLine($"normalised fit:  slope {fit.Slope:F4}, intercept {fit.Intercept:F4}, std error {fit.StdError:F4} (the reference's)");
                Console.WriteLine(dim is not null ? $"box dimension:   {dim}" : $"box dimension:   not fitted: {dimError}");
                if (parse.GetValue(tree))
                    foreach (var t in r.Tree) Console.WriteLine($"  {t.A} {t.B} {t.Height:G17} {t.Size}");
            }
            return 0;
        });
        return cmd;
    }
}

using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace SelfSim.Cli;

/// <summary>`selfsim dimension`: the intrinsic dimension of a layer's nodes or samples (TwoNN, MLE or correlation dimension).</summary>
public sealed class DimensionCommand : ICliCommand
{
    public Command Create()
    {
        var features = new Option<string>("--features") { Description = "2-D .npy (float32/float64) or .csv; rows are nodes, columns samples (see --samples-in-rows)", Required = true };
        var samplesInRows = new Option<bool>("--samples-in-rows") { Description = "the file is [samples, neurons], as a PyTorch hook gives: transpose it" };
        var points = new Option<string>("--points") { Description = "which rows are the points: nodes (the paper's view: neurons over the probe samples) or samples (Ansuini et al.'s view)", DefaultValueFactory = _ => "nodes" };
        var method = new Option<string>("--method") { Description = "twonn (Facco et al. 2017), mle (Levina & Bickel 2005) or correlation (Grassberger & Procaccia 1983)", DefaultValueFactory = _ => "twonn" };
        var discard = new Option<double>("--discard") { Description = "TwoNN: fraction of the largest ratios r2/r1 left out of the fit", DefaultValueFactory = _ => TwoNn.DefaultDiscardFraction };
        var neighbours = new Option<int>("--neighbours") { Description = "MLE: the number of neighbours k", DefaultValueFactory = _ => LevinaBickelMle.DefaultNeighbours };
        var confidence = new Option<double>("--confidence") { Description = "level of the interval", DefaultValueFactory = _ => 0.95 };
        var json = new Option<bool>("--json") { Description = "print one JSON object (fields: docs/cli-json.md)" };
        var cmd = new Command("dimension", "Intrinsic dimension of a feature file's nodes or samples: TwoNN, MLE at k neighbours, or the correlation dimension on Srate's pair fraction, with an interval.")
            { features, samplesInRows, points, method, discard, neighbours, confidence, json };
        cmd.SetAction(parse =>
        {
            OpenMpWaitPolicy.PreferPassive();
            var path = parse.GetValue(features)!;
            var view = parse.GetValue(points)!.Trim().ToLowerInvariant() switch
            {
                "nodes" => PointView.Nodes,
                "samples" => PointView.Samples,
                var p => throw new SelfSimException($"--points '{p}' is not a view. Use nodes (rows of the node matrix) or samples (its columns)."),
            };
            var m = parse.GetValue(method)!.Trim().ToLowerInvariant();
            if (m is not ("twonn" or "mle" or "correlation"))
                throw new SelfSimException($"--method '{m}' is not an estimator. Use twonn, mle or correlation.");
            double level = parse.GetValue(confidence);
            if (!(level > 0 && level < 1)) throw new SelfSimException($"--confidence must lie strictly between 0 and 1 (e.g. 0.95); got {level}.");
            using var matrix = NodeMatrix.Load(path, parse.GetValue(samplesInRows));
            foreach (var w in matrix.Warnings) Console.Error.WriteLine("warning: " + w);
            using var cloud = PointCloud.Of(matrix, view);
            foreach (var w in cloud.Warnings) Console.Error.WriteLine("warning: " + w);
            Estimate est;
            string interval;
            var settings = new Dictionary<string, object>();
            switch (m)
            {
                case "twonn":
                    var t = TwoNn.Measure(cloud, parse.GetValue(discard), level: level);
                    est = t.Dimension; interval = "percentile bootstrap over points";
                    settings["discardFraction"] = t.DiscardFraction; settings["fitted"] = t.Fitted;
                    settings["replicates"] = PercentileBootstrap.DefaultReplicates;
                    break;
                case "mle":
                    var l = LevinaBickelMle.Measure(cloud, parse.GetValue(neighbours), level: level);
                    est = l.Dimension; interval = "percentile bootstrap over points";
                    settings["neighbours"] = l.Neighbours; settings["replicates"] = PercentileBootstrap.DefaultReplicates;
                    break;
                default:
                    var c = CorrelationDimension.Measure(cloud, level);
                    est = c.Dimension; interval = "Student t of the log-log slope";
                    settings["fitPoints"] = c.FitPoints; settings["minScale"] = c.MinScale; settings["maxScale"] = c.MaxScale;
                    settings["rSquared"] = c.RSquared;
                    break;
            }
            if (parse.GetValue(json))
            {
                var o = new Dictionary<string, object?>
                {
                    ["method"] = m,
                    ["points"] = view == PointView.Nodes ? "nodes" : "samples",
                    ["dimension"] = est.Value,
                    ["lower"] = est.Lower,
                    ["upper"] = est.Upper,
                    ["stdError"] = est.StdError,
                    ["confidence"] = est.Level,
                    ["interval"] = interval,
                    ["distinctPoints"] = cloud.Points,
                    ["coordinates"] = cloud.Coordinates,
                    ["duplicates"] = cloud.Duplicates,
                    ["settings"] = settings,
                    ["warnings"] = matrix.Warnings.Concat(cloud.Warnings).ToArray(),
                };
                Console.WriteLine(JsonSerializer.Serialize(o, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
            }
            else
            {
                var ci = CultureInfo.InvariantCulture;
                Console.WriteLine($"features:   {path} ({cloud.Points} distinct {(view == PointView.Nodes ? "nodes" : "samples")} × {cloud.Coordinates} coordinates, {cloud.Duplicates} duplicates set aside)");
                Console.WriteLine(string.Format(ci, "{0,-11} {1:F3} ({2:P0} interval [{3:F3}, {4:F3}], {5})", m + ":", est.Value, est.Level, est.Lower, est.Upper, interval));
                Console.WriteLine("settings:   " + string.Join(", ", settings.Select(kv => string.Format(ci, "{0} {1}", kv.Key, kv.Value))));
            }
            return 0;
        });
        return cmd;
    }
}

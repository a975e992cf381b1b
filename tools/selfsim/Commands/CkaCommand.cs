using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Text.Json;

namespace SelfSim.Cli;

/// <summary>`selfsim cka`: linear CKA (Kornblith et al. 2019) between two layers' feature files over the same samples.</summary>
public sealed class CkaCommand : ICliCommand
{
    public Command Create()
    {
        var a = new Option<string>("--a") { Description = "first representation: 2-D .npy or .csv, rows are nodes, columns samples (see --samples-in-rows)", Required = true };
        var b = new Option<string>("--b") { Description = "second representation over the same samples, in the same orientation", Required = true };
        var samplesInRows = new Option<bool>("--samples-in-rows") { Description = "both files are [samples, features], as a PyTorch hook gives" };
        var json = new Option<bool>("--json") { Description = "print one JSON object (fields: docs/cli-json.md)" };
        var cmd = new Command("cka", "Linear CKA between two representations of the same samples (Kornblith et al. 2019), and its unbiased-HSIC form.")
            { a, b, samplesInRows, json };
        cmd.SetAction(parse =>
        {
            OpenMpWaitPolicy.PreferPassive();
            bool rows = parse.GetValue(samplesInRows);
            using var ma = NodeMatrix.Load(parse.GetValue(a)!, rows);
            using var mb = NodeMatrix.Load(parse.GetValue(b)!, rows);
            foreach (var w in ma.Warnings) Console.Error.WriteLine($"warning ({ma.Name}): {w}");
            foreach (var w in mb.Warnings) Console.Error.WriteLine($"warning ({mb.Name}): {w}");
            double cka = LinearCka.Of(ma, mb);
            double? unbiased = ma.Samples >= 4 ? LinearCka.Of(ma, mb, unbiased: true) : null;
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["cka"] = cka,
                    ["ckaUnbiased"] = unbiased,
                    ["samples"] = ma.Samples,
                    ["featuresA"] = ma.Nodes,
                    ["featuresB"] = mb.Nodes,
                }));
            }
            else
            {
                Console.WriteLine($"{ma.Name} ({ma.Nodes} features) vs {mb.Name} ({mb.Nodes} features), {ma.Samples} samples");
                Console.WriteLine($"linear CKA:            {cka:F6}");
                Console.WriteLine(unbiased is double u ? $"CKA (unbiased HSIC):   {u:F6}" : "CKA (unbiased HSIC):   needs at least 4 samples");
            }
            return 0;
        });
        return cmd;
    }
}

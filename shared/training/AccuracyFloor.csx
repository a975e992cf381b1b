#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>One trained model against its accuracy floor (test top-1, %).</summary>
public sealed record AccuracyCheck(string Model, double TestTop1, double FloorTop1, string Verdict);

/// <summary>
/// Checks that trained models reached a normal accuracy for their size before their feature networks are read as findings.
/// At default and full size a model below its floor is an error that names it, its accuracy and the floor; at smoke size
/// the models are not expected to train, so the check only reports.
/// <code>var checks = AccuracyFloor.Check(runs.Select(r =&gt; (r.Architecture, r.TestTop1)), options.Floors);</code>
/// </summary>
public static class AccuracyFloor
{
    /// <summary>The MLP's floor on MNIST (test top-1, %) at default and full size, the usual 97 %: the one number
    /// behind notebooks 00-05 and the architecture survey's MLP budget.</summary>
    public const double MlpMnistTop1 = 97;

    public static IReadOnlyList<AccuracyCheck> Check(IEnumerable<(string Model, double TestTop1)> results,
        IReadOnlyDictionary<string, double> floors)
    {
        var checks = results.Select(r =>
        {
            double floor = floors.TryGetValue(r.Model, out var f) ? f : double.NaN;
            string verdict = RunMode.Smoke ? "not checked (smoke)"
                : double.IsNaN(floor) ? "no floor set"
                : r.TestTop1 >= floor ? "ok" : "BELOW FLOOR";
            return new AccuracyCheck(r.Model, r.TestTop1, floor, verdict);
        }).ToList();
        var below = checks.Where(c => c.Verdict == "BELOW FLOOR").ToList();
        if (below.Count > 0)
            throw new SelfSimException(
                $"{below.Count} model(s) trained below their accuracy floor at {RunMode.Name} size: " +
                string.Join("; ", below.Select(c => $"{c.Model} reached {c.TestTop1:F2}% < {c.FloorTop1:F1}%")) +
                ". Their feature networks would describe an untrained network: give them more epochs or images, " +
                "or check the learning rate.");
        return checks;
    }

    /// <summary>One model: throws when <paramref name="testTop1"/> is below <paramref name="floorTop1"/> (except at smoke size).</summary>
    public static AccuracyCheck Check(string model, double testTop1, double floorTop1) =>
        Check(new[] { (model, testTop1) }, new Dictionary<string, double> { [model] = floorTop1 })[0];
}

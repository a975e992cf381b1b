#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;

/// <summary>
/// What --resume compares: every setting of <see cref="TrainingOptions"/> except where the run is stored and how it is
/// computed (folders, device, threads, --deterministic, evaluation batch), so a resumed run is the run its metrics describe.
/// New options are covered without listing them here.
/// </summary>
public static class ResumeSettings
{
    /// <summary>Settings that may change between the first run and its resume: they do not change the results.</summary>
    public static readonly IReadOnlySet<string> MayChange = new HashSet<string> { "OutDir", "DataDir", "Device", "Threads", "Deterministic", "EvalBatchSize" };

    /// <summary>One line per changed setting, e.g. "--weight-decay 0.05 → 0.1".</summary>
    public static List<string> Differences(TrainingOptions saved, TrainingOptions now)
    {
        var diffs = new List<string>();
        foreach (var p in typeof(TrainingOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!p.CanRead || p.GetIndexParameters().Length > 0 || MayChange.Contains(p.Name)) continue;
            string a = Show(p.GetValue(saved)), b = Show(p.GetValue(now));
            if (a != b) diffs.Add($"{OptionName(p.Name)} {a} → {b}");
        }
        return diffs;
    }

    /// <summary>Throws a <see cref="SelfSimException"/> naming each changed setting.</summary>
    public static void Check(TrainingOptions saved, TrainingOptions now, string checkpoint)
    {
        var diffs = Differences(saved, now);
        if (diffs.Count > 0)
            throw new SelfSimException($"--resume: the checkpoint '{checkpoint}' was written with other settings ({string.Join("; ", diffs)}). " +
                                       "Resume with the original settings, or start again in a new --out folder (or with --overwrite).");
    }

    static string Show(object? v) => v switch
    {
        null => "default",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        string s => s,
        Enum e => e.ToString(),
        bool b => b ? "on" : "off",
        _ when v.GetType().IsPrimitive => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!,
        _ => JsonSerializer.Serialize(v, RunLog.Json).ReplaceLineEndings(" "),
    };

    /// <summary>The CLI option of a property: LearningRate → --lr, WeightDecay → --weight-decay.</summary>
    public static string OptionName(string property)
    {
        switch (property)
        {
            case "LearningRate": return "--lr";
            case "Srate": return "Srate mode (--record-srate/--constrain)";
            case "SrateScales": return "Srate scales";
            case "MinLearningRate": return "min lr";
            case "WarmupStartLearningRate": return "warm-up start lr";
        }
        var sb = new StringBuilder("--");
        for (int i = 0; i < property.Length; i++)
        {
            if (char.IsUpper(property[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(property[i]));
        }
        return sb.ToString();
    }
}

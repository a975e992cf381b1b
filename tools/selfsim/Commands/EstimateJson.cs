using System.Text.Json.Nodes;

namespace SelfSim.Cli;

/// <summary>The one JSON spelling of an <see cref="Estimate"/> in every `--json` output (docs/cli-json.md):
/// {"value", "stdError", "lower", "upper", "level"}, NaN as null.</summary>
public static class EstimateJson
{
    public static JsonObject Of(Estimate e) => new()
    {
        ["value"] = N(e.Value),
        ["stdError"] = N(e.StdError),
        ["lower"] = N(e.Lower),
        ["upper"] = N(e.Upper),
        ["level"] = e.Level,
    };

    static double? N(double v) => double.IsFinite(v) ? v : null;
}

using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SelfSim.Cli.Notebooks;

/// <summary>`selfsim run --summary FILE`: a machine-readable record of a run, for CI reports and timing trends.</summary>
public static class RunSummary
{
    public static JsonObject ToJson(IEnumerable<NotebookRunResult> results, RunSettings settings)
    {
        var list = results.ToList();
        return new JsonObject
        {
            ["size"] = settings.Size,
            ["smoke"] = settings.Smoke,
            ["succeeded"] = list.All(r => r.Succeeded),
            ["seconds"] = list.Sum(r => r.Elapsed.TotalSeconds),
            ["notebooks"] = new JsonArray(list.Select(r => (JsonNode)new JsonObject
            {
                ["notebook"] = r.Notebook,
                ["output"] = r.Output,
                ["succeeded"] = r.Succeeded,
                ["seconds"] = r.Elapsed.TotalSeconds,
                ["cells"] = new JsonArray(r.Cells.Select(c => (JsonNode)new JsonObject
                {
                    ["cell"] = c.Cell,
                    ["seconds"] = c.Elapsed.TotalSeconds,
                    ["error"] = c.Failure?.Describe(),
                }).ToArray()),
                ["notes"] = new JsonArray(r.Notes.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
            }).ToArray()),
        };
    }

    public static void Write(string path, IEnumerable<NotebookRunResult> results, RunSettings settings)
    {
        var json = ToJson(results, settings).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        AtomicFile.WriteAllText(path, json);
    }
}

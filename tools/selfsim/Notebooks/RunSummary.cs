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
            ["size"] = RunMode.NameOf(settings.Size),
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

    /// <summary>Reads a summary <see cref="Write"/> wrote: its size and each notebook's run time keyed by the executed
    /// notebook's file name (as <c>selfsim site</c> shows them).</summary>
    public static (string Size, Dictionary<string, double> Seconds) Read(string path)
    {
        if (!File.Exists(path))
            throw new SelfSimException($"run summary {path} does not exist: `selfsim run ... --summary {path}` writes it.");
        JsonObject json;
        try { json = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new SelfSimException($"run summary {path} is not JSON ({e.Message}); pass the file `selfsim run --summary` wrote."); }
        var seconds = new Dictionary<string, double>();
        foreach (var n in json["notebooks"]?.AsArray() ?? new JsonArray())
            if (n?["output"]?.GetValue<string>() is string output && n["seconds"] is JsonNode s)
                seconds[Path.GetFileName(output)] = s.GetValue<double>();
        return (json["size"]?.GetValue<string>() ?? "default", seconds);
    }

    public static void Write(string path, IEnumerable<NotebookRunResult> results, RunSettings settings)
    {
        var json = ToJson(results, settings).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        AtomicFile.WriteAllText(path, json);
    }
}

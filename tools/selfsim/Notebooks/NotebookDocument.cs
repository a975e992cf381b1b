using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SelfSim.Cli.Notebooks;

/// <summary>
/// A Jupyter notebook (.ipynb, nbformat 4) held as JSON so that every field we do not interpret
/// (kernelspec, polyglot_notebook / dotnet_interactive metadata, tags) survives a read-write round trip.
/// Saved as nbformat 4.5: every cell gets an id; code cells get outputs and execution_count.
/// </summary>
public sealed class NotebookDocument
{
    public JsonObject Root { get; }
    public List<NotebookCell> Cells { get; }
    /// <summary>Where it was read from, when it was.</summary>
    public string? Path { get; init; }

    public NotebookDocument(JsonObject root)
    {
        Root = root;
        if (root["cells"] is not JsonArray cells)
            throw new InvalidDataException("the notebook has no \"cells\" array; is it a Jupyter .ipynb file?");
        Cells = cells.Select((c, i) => c is JsonObject o
            ? new NotebookCell(o)
            : throw new InvalidDataException($"cell {i + 1} is not a JSON object")).ToList();
    }

    public JsonObject Metadata => Root["metadata"] as JsonObject ?? (JsonObject)(Root["metadata"] = new JsonObject());

    public static NotebookDocument Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"notebook {path} does not exist", path);
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new InvalidDataException($"{path} is not valid JSON ({e.Message}); a notebook is a JSON .ipynb file.", e); }
        if (node is not JsonObject root) throw new InvalidDataException($"{path} is not a Jupyter notebook (the JSON is not an object).");
        var nbformat = root["nbformat"];
        if (nbformat is not JsonValue v || !v.TryGetValue<int>(out var major))
            throw new InvalidDataException($"{path}: \"nbformat\" is {nbformat?.ToJsonString() ?? "missing"}, not a number; selfsim reads nbformat 4 (write \"nbformat\": 4, or re-save it with Jupyter or VS Code).");
        if (major != 4) throw new InvalidDataException($"{path} is nbformat {major}; selfsim reads nbformat 4 (re-save it with Jupyter or VS Code).");
        if (root["nbformat_minor"] is { } minor && (minor is not JsonValue mv || !mv.TryGetValue<int>(out _)))
            throw new InvalidDataException($"{path}: \"nbformat_minor\" is {minor.ToJsonString()}, not a number (write e.g. \"nbformat_minor\": 5).");
        try { return new NotebookDocument(root) { Path = System.IO.Path.GetFullPath(path) }; }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
    }

    /// <summary>Brings the document to nbformat 4.5: minor version 5 and a unique, valid id on every cell.</summary>
    public void Normalize()
    {
        Root["nbformat"] = 4;
        Root["nbformat_minor"] = Math.Max(5, Root["nbformat_minor"]?.GetValue<int>() ?? 5);
        _ = Metadata;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in Cells)
        {
            var id = cell.Id;
            if (id == null || !NotebookCell.IsValidId(id) || !seen.Add(id))
            {
                id = NotebookCell.NewId();
                cell.Id = id;
                seen.Add(id);
            }
            cell.Normalize();
        }
        // keep the "cells" array in step with Cells (cells may have been added through the list)
        var arr = new JsonArray();
        foreach (var c in Cells) { c.Json.Parent?.AsArray().Remove(c.Json); arr.Add(c.Json); }
        Root["cells"] = arr;
    }

    static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON text as Jupyter writes it (one-space indent, a final newline).</summary>
    public string ToJson()
    {
        Normalize();
        return Root.ToJsonString(WriteOptions) + "\n";
    }

    /// <summary>Writes atomically: a temp file in the same folder, then a rename, so a reader never sees half a notebook.</summary>
    public void Save(string path)
    {
        AtomicFile.WriteAllText(path, ToJson());
    }
}

public enum CellKind { Code, Markdown, Raw }

/// <summary>One cell, a view over its JSON object.</summary>
public sealed class NotebookCell
{
    public JsonObject Json { get; }
    public NotebookCell(JsonObject json) => Json = json;

    public CellKind Kind => (string?)Json["cell_type"] switch
    {
        "code" => CellKind.Code,
        "markdown" => CellKind.Markdown,
        "raw" => CellKind.Raw,
        var other => throw new InvalidDataException($"unknown cell_type '{other}'"),
    };

    public string? Id
    {
        get => (string?)Json["id"];
        set => Json["id"] = value;
    }

    public JsonObject Metadata => Json["metadata"] as JsonObject ?? (JsonObject)(Json["metadata"] = new JsonObject());

    /// <summary>The cell's text (nbformat stores it as a string or as an array of lines).</summary>
    public string Source
    {
        get => Json["source"] switch
        {
            JsonArray a => string.Concat(a.Select(x => (string?)x)),
            JsonValue v => (string?)v ?? "",
            _ => "",
        };
        set => Json["source"] = ToLines(value);
    }

    /// <summary>The kernel a code cell runs in: polyglot_notebook.kernelName, else dotnet_interactive.language, else "csharp".</summary>
    public string KernelName =>
        (string?)Metadata["polyglot_notebook"]?["kernelName"]
        ?? (string?)Metadata["dotnet_interactive"]?["language"]
        ?? "csharp";

    public JsonArray Outputs => Json["outputs"] as JsonArray ?? (JsonArray)(Json["outputs"] = new JsonArray());

    public int? ExecutionCount
    {
        get => Json["execution_count"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
        set => Json["execution_count"] = value;
    }

    public void ClearOutputs()
    {
        Json["outputs"] = new JsonArray();
        Json["execution_count"] = null;
    }

    internal void Normalize()
    {
        _ = Metadata;
        Json["source"] = ToLines(Source);
        if (Kind == CellKind.Code)
        {
            if (Json["outputs"] is not JsonArray) Json["outputs"] = new JsonArray();
            if (!Json.ContainsKey("execution_count")) Json["execution_count"] = null;
        }
        else
        {
            Json.Remove("outputs");
            Json.Remove("execution_count");
        }
    }

    /// <summary>nbformat's multiline string: lines that keep their "\n", the last one without.</summary>
    public static JsonArray ToLines(string text)
    {
        var arr = new JsonArray();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
            if (text[i] == '\n') { arr.Add(text[start..(i + 1)]); start = i + 1; }
        if (start < text.Length) arr.Add(text[start..]);
        return arr;
    }

    public static bool IsValidId(string id) =>
        id.Length is >= 1 and <= 64 && id.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-' || ch == '_');

    public static string NewId() => Guid.NewGuid().ToString("N")[..16];
}

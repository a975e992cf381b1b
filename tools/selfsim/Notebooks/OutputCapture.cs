using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace SelfSim.Cli.Notebooks;

/// <summary>
/// The outputs of the running cell, in the order they happen: stream text (Console), display_data,
/// execute_result and error, as nbformat output objects. Thread-safe (training loops print from tasks).
/// </summary>
public sealed class CellOutputs
{
    /// <summary>Characters kept per stream (stdout, stderr) per cell; the rest is counted and dropped, so a chatty loop cannot bloat the notebook.</summary>
    public const int StreamLimit = 1_000_000;

    sealed class StreamEntry
    {
        public required string Name;
        public readonly StringBuilder Text = new();
    }

    readonly List<object> _outputs = new();   // JsonObject or StreamEntry
    readonly Dictionary<string, long> _streamChars = new();
    readonly object _lock = new();

    public int ExecutionCount { get; }
    public CellOutputs(int executionCount) => ExecutionCount = executionCount;

    /// <summary>The outputs as nbformat JSON objects, in order.</summary>
    public IReadOnlyList<JsonObject> Snapshot()
    {
        lock (_lock)
        {
            var list = new List<JsonObject>(_outputs.Count);
            foreach (var o in _outputs)
                list.Add(o is StreamEntry s
                    ? new JsonObject { ["output_type"] = "stream", ["name"] = s.Name, ["text"] = s.Text.ToString() }
                    : (JsonObject)((JsonObject)o).DeepClone());
            foreach (var (name, total) in _streamChars)
                if (total > StreamLimit)
                    list.Add(new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = $"\n[selfsim run: {total - StreamLimit} more characters of {name} were not kept]\n" });
            return list;
        }
    }

    public void Stream(string name, string text)
    {
        if (text.Length == 0) return;
        lock (_lock)
        {
            _streamChars.TryGetValue(name, out var before);
            _streamChars[name] = before + text.Length;
            if (before >= StreamLimit) return;
            if (before + text.Length > StreamLimit) text = text[..(int)(StreamLimit - before)];
            if (_outputs.Count > 0 && _outputs[^1] is StreamEntry last && last.Name == name)
                last.Text.Append(text);
            else
            {
                var e = new StreamEntry { Name = name };
                e.Text.Append(text);
                _outputs.Add(e);
            }
        }
    }

    /// <summary>Adds a display_data output and returns its slot, for DisplayHandle.Update.</summary>
    public int Display(IDictionary<string, string> bundle)
    {
        lock (_lock)
        {
            _outputs.Add(new JsonObject { ["output_type"] = "display_data", ["data"] = Bundle(bundle), ["metadata"] = new JsonObject() });
            return _outputs.Count - 1;
        }
    }

    public void Replace(int slot, IDictionary<string, string> bundle)
    {
        lock (_lock) ((JsonObject)_outputs[slot])["data"] = Bundle(bundle);
    }

    public void Result(IDictionary<string, string> bundle)
    {
        lock (_lock)
            _outputs.Add(new JsonObject
            {
                ["output_type"] = "execute_result",
                ["data"] = Bundle(bundle),
                ["execution_count"] = ExecutionCount,
                ["metadata"] = new JsonObject(),
            });
    }

    public void Error(string ename, string evalue, IEnumerable<string> traceback)
    {
        lock (_lock)
            _outputs.Add(new JsonObject
            {
                ["output_type"] = "error",
                ["ename"] = ename,
                ["evalue"] = evalue,
                ["traceback"] = new JsonArray(traceback.Select(t => (JsonNode)JsonValue.Create(t)!).ToArray()),
            });
    }

    static JsonObject Bundle(IDictionary<string, string> bundle)
    {
        var o = new JsonObject();
        foreach (var (mime, text) in bundle) o[mime] = NotebookCell.ToLines(text);
        return o;
    }
}

/// <summary>
/// Console.Out / Console.Error while a notebook runs: text goes to the current cell's outputs
/// and, when echo is on, also to the real console so a long run shows its progress.
/// </summary>
public sealed class CellConsoleWriter : TextWriter
{
    readonly string _stream;
    readonly TextWriter _original;
    public CellOutputs? Target { get; set; }
    public bool Echo { get; set; }

    public CellConsoleWriter(string stream, TextWriter original)
    {
        _stream = stream;
        _original = original;
    }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value)) return;
        var target = Target;
        if (target == null || Echo) _original.Write(value);
        target?.Stream(_stream, value);
    }

    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));
    public override void WriteLine(string? value) => Write((value ?? "") + "\n");
    public override void WriteLine() => Write("\n");
    public override void Flush() => _original.Flush();
}

using System;

namespace SelfSim.Cli.Notebooks;

/// <summary>A displayed output that can be replaced later (progress tables, live charts).</summary>
public sealed class DisplayHandle
{
    readonly CellOutputs _outputs;
    readonly int _slot;
    internal DisplayHandle(CellOutputs outputs, int slot) { _outputs = outputs; _slot = slot; }

    /// <summary>Replaces what this display shows, like the kernel's DisplayedValue.Update.</summary>
    public void Update(object? value) => _outputs.Replace(_slot, Formatters.Format(value));
}

/// <summary>
/// The globals a notebook cell sees under `selfsim run`: the C# kernel's display(x) and HTML(...).
/// (In the real kernel these come from Microsoft.DotNet.Interactive; the names and shapes match.)
/// </summary>
public class NotebookGlobals
{
    internal CellOutputs? Current { get; set; }

    CellOutputs Outputs => Current ?? throw new InvalidOperationException("display() was called outside a running cell.");

    /// <summary>Shows a value as an output of the running cell, formatted like a cell's last expression.</summary>
    public DisplayHandle display(object? value, params string[] mimeTypes)
    {
        var bundle = Formatters.Format(value);
        if (mimeTypes is { Length: > 0 })
        {
            foreach (var k in new System.Collections.Generic.List<string>(bundle.Keys))
                if (Array.IndexOf(mimeTypes, k) < 0 && bundle.Count > 1) bundle.Remove(k);
        }
        var slot = Outputs.Display(bundle);
        return new DisplayHandle(Outputs, slot);
    }

    /// <summary>HTML to display: display(HTML("&lt;b&gt;hi&lt;/b&gt;")) or a cell ending in HTML(...).</summary>
    public HtmlContent HTML(string html) => new(html);
}

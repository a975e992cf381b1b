using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.Data.Analysis;
using TorchSharp;

namespace SelfSim.Cli.Notebooks;

/// <summary>HTML that a cell returns or displays as HTML (what HTML("...") gives).</summary>
public sealed class HtmlContent
{
    public string Html { get; }
    public HtmlContent(string html) => Html = html ?? "";
    public override string ToString() => Html;
}

/// <summary>
/// Turns values into Jupyter mime bundles (mime type -> text). Built-in formatters are registered once:
/// Plotly.NET charts -> text/html (a div and plotly.js), DataFrame -> an HTML table with a row limit,
/// Tensor -> a short text summary, sequences of records/objects -> a table, everything else -> text/plain.
/// </summary>
public static class Formatters
{
    /// <summary>Rows shown for DataFrames and sequences before "… N more rows".</summary>
    public static int RowLimit { get; set; } = 20;

    static readonly List<(Type Type, Func<object, IDictionary<string, string>> Format)> _registry = new();
    static readonly object _lock = new();

    static Formatters()
    {
        Register<HtmlContent>(h => Html(h.Html, "HTML"));
        Register<string>(s => Plain(s));
        Register<Plotly.NET.GenericChart>(FormatChart);
        Register<DataFrame>(FormatDataFrame);
        Register<torch.Tensor>(t => Plain(TensorSummary(t)));
    }

    /// <summary>Registers (or replaces) the formatter for T and its subtypes. Later registrations win.</summary>
    public static void Register<T>(Func<T, IDictionary<string, string>> format)
    {
        lock (_lock)
        {
            _registry.RemoveAll(r => r.Type == typeof(T));
            _registry.Add((typeof(T), o => format((T)o)));
        }
    }

    public static IDictionary<string, string> Plain(string text) => new Dictionary<string, string> { ["text/plain"] = text };

    public static IDictionary<string, string> Html(string html, string plain) =>
        new Dictionary<string, string> { ["text/html"] = html, ["text/plain"] = plain };

    /// <summary>The mime bundle for a value.</summary>
    public static IDictionary<string, string> Format(object? value)
    {
        if (value == null) return Plain("<null>");
        var t = value.GetType();
        (Type Type, Func<object, IDictionary<string, string>> Format)? best = null;
        lock (_lock)
        {
            for (int i = _registry.Count - 1; i >= 0; i--)
            {
                var r = _registry[i];
                if (!r.Type.IsAssignableFrom(t)) continue;
                if (best == null || best.Value.Type.IsAssignableFrom(r.Type)) best = r;
            }
        }
        if (best != null) return best.Value.Format(value);
        if (value is IDictionary dict && TryTable(Entries(dict), out var entries)) return entries;
        if (value is IEnumerable seq && TryTable(seq, out var table)) return table;
        return Plain(PlainText(value));
    }

    // ---- Plotly.NET -------------------------------------------------------------------------------

    static IDictionary<string, string> FormatChart(Plotly.NET.GenericChart chart)
    {
        var id = "plotly-" + Guid.NewGuid().ToString("N")[..12];
        var figure = PlotlyFigureJson.Serialize(chart).Replace("</", "<\\/");
        var config = PlotlyFigureJson.SerializeConfig(chart).Replace("</", "<\\/");
        // Load plotly.js from the CDN only when the page does not have it yet, then draw.
        var html = $$"""
            <div id="{{id}}"></div>
            <script type="text/javascript">
            (function () {
              var fig = {{figure}};
              var config = {{config}};
              function draw() { Plotly.newPlot('{{id}}', fig.data, fig.layout, Object.assign({responsive: true}, config)); }
              if (typeof Plotly !== 'undefined') { draw(); return; }
              var s = document.createElement('script');
              s.src = '{{PlotlyJs.CdnUrl}}';
              s.onload = draw;
              document.head.appendChild(s);
            })();
            </script>
            """;
        var traces = Plotly.NET.GenericChart.getTraces(chart).Select(tr => tr.type).ToList();
        return Html(html, $"GenericChart ({traces.Count} trace{(traces.Count == 1 ? "" : "s")}: {string.Join(", ", traces)})");
    }

    // ---- Microsoft.Data.Analysis ------------------------------------------------------------------

    static IDictionary<string, string> FormatDataFrame(DataFrame df)
    {
        long rows = df.Rows.Count;
        int cols = df.Columns.Count;
        int shown = (int)Math.Min(rows, RowLimit);
        var sb = new StringBuilder("<table class=\"selfsim-dataframe\">\n<thead><tr><th></th>");
        foreach (var c in df.Columns) sb.Append("<th>").Append(Enc(c.Name)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        var plain = new StringBuilder($"DataFrame: {rows} rows x {cols} columns\n");
        plain.AppendLine(string.Join("\t", df.Columns.Select(c => c.Name)));
        for (int r = 0; r < shown; r++)
        {
            sb.Append("<tr><td>").Append(r).Append("</td>");
            var cells = new List<string>(cols);
            for (int c = 0; c < cols; c++)
            {
                var text = Cell(df.Columns[c][r]);
                cells.Add(text);
                sb.Append("<td>").Append(Enc(text)).Append("</td>");
            }
            sb.Append("</tr>\n");
            plain.AppendLine(string.Join("\t", cells));
        }
        sb.Append("</tbody>\n</table>\n");
        if (rows > shown)
        {
            sb.Append($"<p>… {rows - shown} more rows ({rows} rows × {cols} columns)</p>\n");
            plain.AppendLine($"... {rows - shown} more rows");
        }
        else sb.Append($"<p>{rows} rows × {cols} columns</p>\n");
        return Html(sb.ToString(), plain.ToString().TrimEnd());
    }

    // ---- TorchSharp -------------------------------------------------------------------------------

    /// <summary>"Tensor [3, 4] float32 on cpu: 0.1, 0.2, ... (12 values; min .. max, mean)".</summary>
    public static string TensorSummary(torch.Tensor t)
    {
        var shape = "[" + string.Join(", ", t.shape) + "]";
        var head = $"Tensor {shape} {DTypeName(t.dtype)} on {t.device}";
        if (t.IsInvalid) return head + " (disposed)";
        long n = t.numel();
        if (n == 0) return head + " (empty)";
        const int show = 6;
        try
        {
            using var _ = torch.NewDisposeScope();
            var flat = t.detach().cpu().flatten();
            var isComplex = t.dtype is torch.ScalarType.ComplexFloat32 or torch.ScalarType.ComplexFloat64;
            if (isComplex) return head + $" ({n} values)";
            var asD = flat.narrow(0, 0, Math.Min(n, show)).to_type(torch.ScalarType.Float64).data<double>().ToArray();
            var values = string.Join(", ", asD.Select(v => t.dtype is torch.ScalarType.Bool ? (v != 0).ToString().ToLowerInvariant() : Num(v)));
            var sb = new StringBuilder(head).Append(": ").Append(values);
            if (n > show) sb.Append(", …");
            if (torch.is_floating_point(t) || t.dtype is torch.ScalarType.Int32 or torch.ScalarType.Int64 or torch.ScalarType.Int16 or torch.ScalarType.Int8 or torch.ScalarType.Byte)
            {
                var d = flat.to_type(torch.ScalarType.Float64);
                sb.Append($" ({n} values; min {Num(d.min().item<double>())}, max {Num(d.max().item<double>())}, mean {Num(d.mean().item<double>())})");
            }
            else sb.Append($" ({n} values)");
            return sb.ToString();
        }
        catch (Exception e)
        {
            return head + $" ({n} values; values unavailable: {e.Message})";
        }
    }

    static string DTypeName(torch.ScalarType s) => s switch
    {
        torch.ScalarType.Float32 => "float32",
        torch.ScalarType.Float64 => "float64",
        torch.ScalarType.Float16 => "float16",
        torch.ScalarType.BFloat16 => "bfloat16",
        torch.ScalarType.Int64 => "int64",
        torch.ScalarType.Int32 => "int32",
        torch.ScalarType.Int16 => "int16",
        torch.ScalarType.Int8 => "int8",
        torch.ScalarType.Byte => "uint8",
        torch.ScalarType.Bool => "bool",
        _ => s.ToString().ToLowerInvariant(),
    };

    // ---- sequences --------------------------------------------------------------------------------

    static bool IsScalar(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTime)
        || t == typeof(DateTimeOffset) || t == typeof(TimeSpan) || t == typeof(Guid);

    static List<(string Name, Func<object, object?> Get)> Columns(Type t)
    {
        var cols = new List<(string, Func<object, object?>)>();
        foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            if (p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
                cols.Add((p.Name, o => p.GetValue(o)));
        foreach (var f in t.GetFields(BindingFlags.Public | BindingFlags.Instance))
            cols.Add((f.Name, o => f.GetValue(o)));
        return cols;
    }

    /// <summary>A dictionary shows as a Key / Value table.</summary>
    public sealed record Entry(object Key, object? Value);

    static IEnumerable Entries(IDictionary d)
    {
        foreach (DictionaryEntry e in d) yield return new Entry(e.Key, e.Value);
    }

    static bool TryTable(IEnumerable seq, out IDictionary<string, string> bundle)
    {
        bundle = null!;
        var items = new List<object?>();
        bool more = false;
        foreach (var x in seq)
        {
            if (items.Count == RowLimit) { more = true; break; }
            items.Add(x);
        }
        var first = items.FirstOrDefault(x => x != null);
        if (first == null || IsScalar(first.GetType()))
        {
            bundle = Plain("[" + string.Join(", ", items.Select(PlainText)) + (more ? ", …" : "") + "]");
            return true;
        }
        var cols = Columns(first.GetType());
        if (cols.Count == 0) return false;
        var sb = new StringBuilder("<table class=\"selfsim-table\">\n<thead><tr><th></th>");
        foreach (var c in cols) sb.Append("<th>").Append(Enc(c.Name)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        var plain = new StringBuilder(string.Join("\t", cols.Select(c => c.Name))).Append('\n');
        for (int i = 0; i < items.Count; i++)
        {
            sb.Append("<tr><td>").Append(i).Append("</td>");
            var row = items[i];
            var texts = cols.Select(c =>
            {
                if (row == null) return "";
                try { return Cell(c.Get(row)); }
                catch (Exception) { return ""; } // a row of another type lacks this column
            }).ToList();
            foreach (var text in texts) sb.Append("<td>").Append(Enc(text)).Append("</td>");
            sb.Append("</tr>\n");
            plain.Append(string.Join("\t", texts)).Append('\n');
        }
        sb.Append("</tbody>\n</table>\n");
        if (more) { sb.Append("<p>… more rows</p>\n"); plain.Append("...\n"); }
        bundle = Html(sb.ToString(), plain.ToString().TrimEnd());
        return true;
    }

    // ---- text helpers -----------------------------------------------------------------------------

    static string Num(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    static string Cell(object? v) => v switch
    {
        null => "",
        double d => Num(d),
        float f => Num(f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    static string PlainText(object? v) => v switch
    {
        null => "<null>",
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    static string Enc(string s) => WebUtility.HtmlEncode(s);
}

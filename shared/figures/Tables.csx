#nullable enable
using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.Data.Analysis;

/// <summary>
/// Small captioned HTML tables with rounded numbers, for notebook outputs: one record becomes a two-column
/// "quantity | value" table, a list of records or a DataFrame one row per item. Show it with the kernel's HTML(...),
/// which works in the real .NET Interactive kernel and under `selfsim run` alike:
/// <code>HTML(Tables.Of(row, "Measures of blocks.2"))</code>
/// At smoke size the caption says "(smoke)", like every figure (see Figures.Save). A property of type
/// <see cref="Estimate"/> named X shows as three columns: X (the value), X low and X high (the interval's ends;
/// label keys "X", "XLow" and "XHigh").
/// </summary>
public static class Tables
{
    /// <summary>One record (its public properties) as a "quantity | value" table; <paramref name="labels"/> renames
    /// properties (e.g. ["DB"] = "d_B, exact cover"), and properties missing from a non-empty labels map are still shown.</summary>
    public static string Of(object record, string caption, int digits = 3, IReadOnlyDictionary<string, string>? labels = null)
    {
        if (record is null) throw new SelfSimException($"Tables.Of(\"{caption}\"): the record is null; pass the value to show.");
        if (record is DataFrame df) return Of(df, caption, digits);
        if (record is IEnumerable items and not string) return Rows(items.Cast<object>(), caption, digits, labels);
        var rows = Columns(record.GetType())
            .Select(c => (Label(c.Key, labels, c.Default), Value(c.Get(record), digits)))
            .ToList();
        var sb = Open(caption);
        sb.Append("<thead><tr><th>quantity</th><th>value</th></tr></thead>\n<tbody>\n");
        foreach (var (k, v) in rows)
            sb.Append("<tr><th style=\"text-align:left\">").Append(Enc(k)).Append("</th><td>").Append(Enc(v)).Append("</td></tr>\n");
        return sb.Append("</tbody></table>\n").ToString();
    }

    /// <summary>A list of records, one row each, columns in property order.</summary>
    public static string Rows(IEnumerable<object> items, string caption, int digits = 3, IReadOnlyDictionary<string, string>? labels = null)
    {
        var list = items?.ToList() ?? throw new SelfSimException($"Tables.Rows(\"{caption}\"): the list is null.");
        if (list.Count == 0) return Open(caption).Append("<tbody><tr><td>(no rows)</td></tr></tbody></table>\n").ToString();
        var cols = Columns(list[0].GetType());
        var header = cols.Select(c => Label(c.Key, labels, c.Default));
        var cells = list.Select(o => cols.Select(c => Value(c.Get(o), digits)));
        return Grid(caption, header, cells);
    }

    /// <summary>A DataFrame, one row per row, numbers rounded.</summary>
    public static string Of(DataFrame frame, string caption, int digits = 3)
    {
        if (frame is null) throw new SelfSimException($"Tables.Of(\"{caption}\"): the DataFrame is null.");
        var header = frame.Columns.Select(c => c.Name);
        var cells = Enumerable.Range(0, (int)frame.Rows.Count)
            .Select(i => frame.Columns.Select(c => Value(c[i], digits)));
        return Grid(caption, header, cells);
    }

    /// <summary>A number as shown in tables: integers with thousands separators, others rounded to
    /// <paramref name="digits"/> decimals (very small or large ones in scientific form), NaN as "–".</summary>
    public static string Number(double v, int digits = 3)
    {
        if (double.IsNaN(v)) return "–";
        if (double.IsInfinity(v)) return v > 0 ? "∞" : "−∞";
        if (v == Math.Round(v) && Math.Abs(v) < 1e15) return v.ToString("N0", CultureInfo.InvariantCulture);
        double a = Math.Abs(v);
        if (a >= 1e6 || a < Math.Pow(10, -digits)) return v.ToString("0.##e+0", CultureInfo.InvariantCulture);
        return Math.Round(v, digits).ToString("0." + new string('#', Math.Max(1, digits)), CultureInfo.InvariantCulture);
    }

    static string Grid(string caption, IEnumerable<string> header, IEnumerable<IEnumerable<string>> rows)
    {
        var sb = Open(caption);
        sb.Append("<thead><tr>");
        foreach (var h in header) sb.Append("<th>").Append(Enc(h)).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var c in row) sb.Append("<td>").Append(Enc(c)).Append("</td>");
            sb.Append("</tr>\n");
        }
        return sb.Append("</tbody></table>\n").ToString();
    }

    static StringBuilder Open(string caption)
    {
        if (string.IsNullOrWhiteSpace(caption))
            throw new SelfSimException("Tables: every table needs a caption that says what it shows; pass a non-empty caption.");
        var text = RunMode.Title(caption);
        return new StringBuilder("<table class=\"selfsim-record\">\n<caption style=\"caption-side:top;text-align:left;font-weight:bold\">")
            .Append(Enc(text)).Append("</caption>\n");
    }

    /// <summary>The columns of a record type: its simple public properties, and three per <see cref="Estimate"/>.</summary>
    static List<(string Key, string Default, Func<object, object?> Get)> Columns(Type t)
    {
        var cols = new List<(string, string, Func<object, object?>)>();
        foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length != 0 || p.Name == "EqualityContract") continue;
            if (p.PropertyType == typeof(Estimate))
            {
                cols.Add((p.Name, p.Name, o => (p.GetValue(o) as Estimate)?.Value));
                cols.Add((p.Name + "Low", p.Name + " low", o => (p.GetValue(o) as Estimate)?.Lower));
                cols.Add((p.Name + "High", p.Name + " high", o => (p.GetValue(o) as Estimate)?.Upper));
            }
            else if (Simple(p.PropertyType)) cols.Add((p.Name, p.Name, o => p.GetValue(o)));
        }
        return cols;
    }

    /// <summary>Values a table cell can show (numbers, text, dates, enums and their nullable forms); lists and tensors are left out.</summary>
    static bool Simple(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(DateTime) || t == typeof(TimeSpan);
    }

    static string Label(string key, IReadOnlyDictionary<string, string>? labels, string fallback) =>
        labels != null && labels.TryGetValue(key, out var l) ? l : fallback;

    static string Value(object? v, int digits) => v switch
    {
        null => "–",
        double d => Number(d, digits),
        float f => Number(f, digits),
        decimal m => Number((double)m, digits),
        int or long or short or byte or uint or ulong => Convert.ToInt64(v).ToString("N0", CultureInfo.InvariantCulture),
        TimeSpan ts => $"{ts.TotalSeconds:F1} s",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
    };

    static string Enc(string s) => WebUtility.HtmlEncode(s);
}

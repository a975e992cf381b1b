#nullable enable
using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json;
using Plotly.NET;

/// <summary>
/// A chart's figure JSON ({"data", "layout", "frames"}), the same document GenericChart.toFigureJson writes, but walking
/// Plotly.NET's DynamicObj tree directly instead of through Json.NET's dynamic-object path, which costs hundreds of
/// milliseconds per chart (mostly the default template). Leaves still go through Json.NET, so numbers, colours and
/// enum-like values are written exactly as Plotly.NET writes them (a test compares the two on many chart kinds).
/// </summary>
public static class PlotlyFigureJson
{
    static readonly JsonSerializer Leaf = JsonSerializer.CreateDefault();

    /// <summary>{"data":[...],"layout":{...},"frames":[]} for <paramref name="chart"/>.</summary>
    public static string Serialize(GenericChart chart)
    {
        var sw = new StringWriter();
        using (var w = new JsonTextWriter(sw))
        {
            w.WriteStartObject();
            w.WritePropertyName("data");
            w.WriteStartArray();
            foreach (var trace in GenericChart.getTraces(chart)) Write(w, trace);
            w.WriteEndArray();
            w.WritePropertyName("layout");
            Write(w, GenericChart.getLayout(chart));
            w.WritePropertyName("frames");
            w.WriteStartArray();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return sw.ToString();
    }

    /// <summary>The chart's plotly.js config object as JSON.</summary>
    public static string SerializeConfig(GenericChart chart)
    {
        var sw = new StringWriter();
        using (var w = new JsonTextWriter(sw)) Write(w, GenericChart.getConfig(chart));
        return sw.ToString();
    }

    static void Write(JsonWriter w, object? value)
    {
        switch (value)
        {
            case DynamicObj.DynamicObj d:
                w.WriteStartObject();
                foreach (var kv in d.GetProperties(true))
                {
                    w.WritePropertyName(kv.Key);
                    Write(w, kv.Value);
                }
                w.WriteEndObject();
                return;
            case null:
            case string:
                Leaf.Serialize(w, value);
                return;
            case IDictionary dict when !HasConverter(value):
                w.WriteStartObject();
                foreach (DictionaryEntry e in dict)
                {
                    w.WritePropertyName(Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture) ?? "");
                    Write(w, e.Value);
                }
                w.WriteEndObject();
                return;
            case IEnumerable seq when !HasConverter(value) && !IsPlainArray(value):
                w.WriteStartArray();
                foreach (var item in seq) Write(w, item);
                w.WriteEndArray();
                return;
            default:
                Leaf.Serialize(w, value);
                return;
        }
    }

    /// <summary>double[], int[], string[]... go to Json.NET in one call (fast, and no DynamicObj inside).</summary>
    static bool IsPlainArray(object value)
    {
        var t = value.GetType();
        var element = t.IsArray ? t.GetElementType()
            : t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        return element != null && (element.IsPrimitive || element == typeof(string) || element == typeof(decimal) || element == typeof(DateTime));
    }

    static bool HasConverter(object value) => value.GetType().GetCustomAttributes(typeof(JsonConverterAttribute), true).Length > 0;
}

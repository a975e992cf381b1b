using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace SelfSim.Cli.Notebooks;

/// <summary>The plotly.js that Plotly.NET embeds as a resource (the same copy its own HTML export inlines).</summary>
public static class PlotlyJs
{
    static readonly Lazy<(string Name, string Version)> _resource = new(() =>
    {
        var asm = typeof(Plotly.NET.GenericChart).Assembly;
        var name = asm.GetManifestResourceNames().FirstOrDefault(n => Regex.IsMatch(n, @"plotly-[\d.]+\.min\.js$"))
                   ?? throw new SelfSimException($"Plotly.NET {asm.GetName().Version} embeds no plotly-*.min.js resource; figure export needs a Plotly.NET that ships plotly.js.");
        return (name, Regex.Match(name, @"plotly-([\d.]+)\.min\.js$").Groups[1].Value);
    });

    static readonly Lazy<string> _source = new(() =>
    {
        using var s = typeof(Plotly.NET.GenericChart).Assembly.GetManifestResourceStream(_resource.Value.Name)!;
        using var r = new StreamReader(s);
        // never let the library text end the <script> element it is inlined into
        return r.ReadToEnd().Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    });

    /// <summary>e.g. "2.28.0".</summary>
    public static string Version => _resource.Value.Version;

    /// <summary>The minified library, safe to place inside a script element.</summary>
    public static string Source => _source.Value;

    /// <summary>The public CDN address of the same version, for notebook outputs (kept small).</summary>
    public static string CdnUrl => $"https://cdn.plot.ly/plotly-{Version}.min.js";
}

using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using SelfSim.Cli.Notebooks;

namespace SelfSim.Cli;

/// <summary>`selfsim figures render`: SVG/PNG from the self-contained HTML figures that Figures.Save wrote (e.g. in the interactive kernel).</summary>
public sealed class FiguresCommand : ICliCommand
{
    public Command Create()
    {
        var paths = new Argument<string[]>("figures") { Description = "figure .html files or folders of them", Arity = ArgumentArity.OneOrMore };
        var formats = new Option<string>("--formats") { Description = "comma-separated: svg, png", DefaultValueFactory = _ => "svg,png" };
        var scale = new Option<double>("--scale") { Description = "PNG pixel density (3 is about 300 dpi)", DefaultValueFactory = _ => 3.0 };
        var render = new Command("render", $"Render Plotly HTML figures to SVG/PNG with Chromium (/usr/bin/chromium or ${StaticFigureExporter.ChromiumVariable}).")
        {
            paths, formats, scale,
        };
        render.SetAction(async (parse, ct) =>
        {
            if (StaticFigureExporter.Unavailable() is string why) throw new SelfSimException(why);
            var files = (parse.GetValue(paths) ?? Array.Empty<string>()).SelectMany(p =>
                Directory.Exists(p) ? Directory.GetFiles(p, "*.html").OrderBy(f => f, StringComparer.Ordinal).ToArray()
                : File.Exists(p) ? new[] { p }
                : throw new FileNotFoundException($"figure {p} does not exist", p)).ToList();
            if (files.Count == 0) throw new FileNotFoundException("no .html figures found in the given folders");
            var wanted = parse.GetValue(formats)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // Each figure's SVG/PNG goes next to it: checked first, as a batch (OutputGuard): no output over an input or a link.
            OutputGuard.Many(files.SelectMany(f => wanted.Select(w => (f, Path.ChangeExtension(Path.GetFullPath(f), "." + w.ToLowerInvariant())))).ToList(),
                "figures render");
            await using var exporter = new StaticFigureExporter();
            foreach (var f in files)
                foreach (var written in await exporter.ExportAsync(f, wanted, parse.GetValue(scale)))
                    Console.WriteLine(written);
            return 0;
        });
        return new Command("figures", "Paper figures saved by notebooks (Figures.Save).") { render };
    }
}

using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using SelfSim.Cli.Notebooks;
using SelfSim.Cli.Site;

namespace SelfSim.Cli;

/// <summary>`selfsim site`: a browsable offline site (index + one page per chapter) from executed notebooks.</summary>
public sealed class SiteCommand : ICliCommand
{
    public Command Create()
    {
        var paths = new Argument<string[]>("notebooks") { Description = "executed notebooks (.ipynb) or folders of them, e.g. out/notebooks", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out") { HelpName = "DIR", Description = "site folder", DefaultValueFactory = _ => "out/site" };
        var size = new Option<string>("--size") { HelpName = "smoke|default|full", Description = "the size the notebooks ran at (shown on every page)", DefaultValueFactory = _ => RunMode.Name };
        var source = new Option<string>("--source") { HelpName = "DIR", Description = "the source notebooks' folder, whose measured/ results the site copies", DefaultValueFactory = _ => "notebooks" };
        var summary = new Option<string?>("--summary") { HelpName = "FILE", Description = "the run summary (`selfsim run --summary FILE`): the index shows each chapter's run time, and its size" };
        var shots = new Option<string?>("--screenshots") { HelpName = "DIR", Description = "open the index and every chapter in Chromium, check that the charts draw, save screenshots here (needs Chromium)" };
        var cmd = new Command("site", "Write an offline HTML site (index.html + one page per executed notebook, charts drawn by a local plotly.js), rendered in C# (no Python).")
        {
            paths, outDir, size, source, summary, shots,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var site = parse.GetValue(outDir)!;
            var sizeName = RunMode.Parse(parse.GetValue(size)!).ToString().ToLowerInvariant();
            Dictionary<string, double>? seconds = null;
            if (parse.GetValue(summary) is string summaryPath)
            {
                var run = RunSummary.Read(summaryPath);
                if (parse.GetResult(size) is null) sizeName = run.Size;   // an explicit --size wins
                seconds = run.Seconds;
            }
            var chapters = SiteBuilder.Build(parse.GetValue(paths)!, site, sizeName, seconds,
                log: Console.Error.WriteLine, sourceDir: parse.GetValue(source));
            if (parse.GetValue(shots) is not string dir) return 0;
            return await SiteChecks.ReportAsync(site, chapters, dir) ? 0 : 1;
        });
        return cmd;
    }
}

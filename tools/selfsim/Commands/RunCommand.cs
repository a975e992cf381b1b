using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using SelfSim.Cli.Notebooks;

namespace SelfSim.Cli;

/// <summary>`selfsim run`: executes notebooks headless (the maintained replacement for the deprecated .NET Interactive kernel in CI).</summary>
public sealed class RunCommand : ICliCommand
{
    public Command Create()
    {
        var paths = new Argument<string[]>("notebooks") { Description = "notebook files (.ipynb) or folders of notebooks", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string?>("--out") { HelpName = "DIR", Description = "folder for the executed notebooks (default: NAME.executed.ipynb next to each notebook)" };
        var inPlace = new Option<bool>("--in-place") { Description = "write the outputs into the source notebooks" };
        var size = new Option<string?>("--size") { HelpName = "SIZE", Description = "smoke, default or full: sets SELFSIM_SIZE for the notebooks (RunMode); default: default" };
        size.AcceptOnlyFromAmong(RunSettings.Sizes);
        var smoke = new Option<bool>("--smoke") { Description = "the same as --size smoke (also sets SELFSIM_SMOKE=1)" };
        var site = new Option<string?>("--site") { HelpName = "DIR", Description = "also write a browsable offline site of the executed notebooks there (see `selfsim site`); checked in Chromium when it is installed" };
        var figures = new Option<string?>("--figures") { HelpName = "DIR", Description = "folder for Figures.Save (default: ./figures next to each notebook)" };
        var quiet = new Option<bool>("--quiet") { Description = "do not echo cell console output" };
        var timeout = new Option<double?>("--cell-timeout") { HelpName = "SECONDS", Description = $"seconds a single cell may run before its kernel is stopped and the notebook fails (default: {RunSettings.DefaultCellTimeout.TotalSeconds:0})" };
        var summary = new Option<string?>("--summary") { HelpName = "FILE", Description = "write a JSON summary of the run (per notebook: cells, seconds, failures)" };
        var timings = new Option<string?>("--timings") { HelpName = "FILE", Description = "record each notebook's measured time in FILE (docs/timings.md: the rows of this size, others kept) and rewrite each notebook's header line `*Run time …*` from it" };
        var device = new Option<string?>("--device") { HelpName = "DEVICE", Description = "sets SELFSIM_DEVICE for the notebooks: cpu, cuda or cuda:N" };
        var cmd = new Command("run", "Execute C# notebooks headless on the .NET Interactive C# kernel (a fresh kernel process per notebook; stops at the first failing cell) and write them with their outputs.")
        {
            paths, outDir, inPlace, size, smoke, site, figures, quiet, timeout, device, summary, timings,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(inPlace) && parse.GetValue(outDir) != null)
                throw new ArgumentException("--in-place and --out exclude each other: choose where the executed notebooks go.");
            var chosen = parse.GetValue(size);
            if (parse.GetValue(smoke) && chosen is not (null or "smoke"))
                throw new ArgumentException($"--smoke and --size {chosen} disagree: --smoke means --size smoke.");
            var settings = new RunSettings
            {
                OutDir = parse.GetValue(outDir),
                InPlace = parse.GetValue(inPlace),
                Size = parse.GetValue(smoke) ? "smoke" : chosen ?? "default",
                FiguresDir = parse.GetValue(figures),
                Echo = !parse.GetValue(quiet),
                CellTimeout = parse.GetValue(timeout) is double t
                    ? (t > 0 ? TimeSpan.FromSeconds(t) : throw new ArgumentException($"--cell-timeout {t} is not a positive number of seconds."))
                    : RunSettings.DefaultCellTimeout,
                Device = parse.GetValue(device),
            };
            var notebooks = NotebookRunner.Expand(parse.GetValue(paths) ?? Array.Empty<string>());
            var log = Console.Error;
            await using var runner = new NotebookRunner(settings) { Log = line => log.WriteLine(line) };
            // Every output is checked before the first notebook runs (OutputGuard): no executed notebook over a source
            // (unless --in-place) or over another's, no summary, figures or site over an input.
            if (settings.OutDir is string od) OutputGuard.Folder(od, "--out", notebooks.ToArray());
            var planned = OutputGuard.Many(notebooks.Select(nb => (nb, runner.OutputPath(nb))).ToList(), "--out", settings.InPlace,
                "Give --out a folder other than the notebooks' own (or pass --in-place to write the outputs into the sources).");
            var allInputs = notebooks.Concat(planned).ToArray();
            var summaryPath = parse.GetValue(summary) is string sp ? OutputGuard.File(sp, "--summary", "summary.json", allInputs) : null;
            if (settings.FiguresDir is string fd) OutputGuard.Folder(fd, "--figures", allInputs);
            if (parse.GetValue(site) is string sd) OutputGuard.Folder(sd, "--site", allInputs);
            if (parse.GetValue(timings) is string tp) OutputGuard.File(tp, "--timings", "timings.md", allInputs);
            // Before the first cell: what would make the run fail stops it now, not after minutes of training.
            var outputs = notebooks.Select(nb => Path.GetDirectoryName(runner.OutputPath(nb))!)
                .Concat(settings.FiguresDir != null
                    ? new[] { settings.FiguresDir }
                    : notebooks.Select(nb => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(nb))!, "figures")))
                .Concat(new[] { parse.GetValue(site), Folder(parse.GetValue(summary)), Folder(parse.GetValue(timings)) }
                    .OfType<string>());
            var preflight = RunPreflight.Check(notebooks, outputs);
            RunPreflight.Print(preflight, log);
            if (!preflight.Ok) return 1;
            var failed = new List<string>();
            var results = new List<NotebookRunResult>();
            foreach (var nb in notebooks)
            {
                log.WriteLine($"selfsim run: {nb} ({settings.Size})");
                var result = await runner.RunAsync(nb);
                results.Add(result);
                foreach (var note in result.Notes) log.WriteLine($"  note: {note}");
                if (result.Succeeded)
                    log.WriteLine($"  ok: {result.Cells.Count} cells in {result.Elapsed.TotalSeconds:F1} s -> {result.Output}");
                else
                    foreach (var f in result.Failures)
                    {
                        var line = $"{nb}: {f.Describe()}";
                        log.WriteLine($"selfsim run: {line}");
                        if (SourceLine(result, f) is string code) log.WriteLine($"    {f.Line,4} | {code}");
                        failed.Add(line);
                    }
            }
            if (summaryPath is not null)
                RunSummary.Write(summaryPath, results, settings);
            if (parse.GetValue(timings) is string timingsPath)
            {
                var without = TimingsFile.Record(timingsPath, results, settings.Size, DateTime.UtcNow);
                log.WriteLine($"selfsim run: timings: {timingsPath} ({results.Count(r => r.Succeeded)} notebooks at size {settings.Size})");
                foreach (var nb in without)
                    log.WriteLine($"selfsim run: warning: {nb} has no header line starting with `{TimingsFile.HeaderPrefix}`, so only {timingsPath} has its time.");
            }
            if (parse.GetValue(site) is string siteDir)
            {
                var written = results.Where(r => r.Output != null && System.IO.File.Exists(r.Output)).ToList();
                var chapters = Site.SiteBuilder.Build(written.Select(r => r.Output!), siteDir, settings.Size,
                    written.GroupBy(r => System.IO.Path.GetFileName(r.Output!)).ToDictionary(g => g.Key, g => g.First().Elapsed.TotalSeconds),
                    line => log.WriteLine(line),
                    written.Select(r => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(r.Notebook))).FirstOrDefault());
                // Where Chromium is installed, open every page offline and check its charts drew (the preflight has
                // said once that there is none otherwise).
                if (StaticFigureExporter.FindChromium() != null && !await Site.SiteChecks.ReportAsync(siteDir, chapters, null))
                {
                    var line = $"site {siteDir}: a page's charts did not draw in Chromium (see the site check lines above)";
                    log.WriteLine($"selfsim run: {line}");
                    failed.Add(line);
                }
            }
            if (failed.Count == 0) return 0;
            if (notebooks.Count > 1)
                log.WriteLine($"selfsim run: {failed.Count} failure(s) in {notebooks.Count} notebooks");
            return 1;
        });
        return cmd;
    }

    static string? Folder(string? file) => file == null ? null : Path.GetDirectoryName(Path.GetFullPath(file));

    /// <summary>The failing line of the cell, to print under the error.</summary>
    static string? SourceLine(NotebookRunResult result, CellFailure f)
    {
        if (f.Line is not int line || f.Cell < 1 || f.Cell > result.Sources.Count) return null;
        var lines = result.Sources[f.Cell - 1].Replace("\r\n", "\n").Split('\n');
        return line >= 1 && line <= lines.Length ? lines[line - 1].TrimEnd() : null;
    }
}

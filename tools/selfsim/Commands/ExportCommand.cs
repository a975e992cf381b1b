using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using SelfSim.Cli.Notebooks;

namespace SelfSim.Cli;

/// <summary>`selfsim export NOTEBOOK.ipynb|DIR --to app --out apps/`: one file-based app per chapter (see AppExporter).</summary>
public sealed class ExportCommand : ICliCommand
{
    public Command Create()
    {
        var input = new Argument<string>("notebooks") { Description = "a notebook (.ipynb) or a folder of them" };
        var to = new Option<string>("--to") { Description = "what to write: app (a file-based app, `dotnet run apps/NN-name.cs`)", DefaultValueFactory = _ => "app" };
        var outDir = new Option<string>("--out") { Description = "the folder the apps go to", DefaultValueFactory = _ => "apps" };
        var check = new Option<bool>("--check") { Description = "write nothing; exit 1 naming every app that is missing or stale against its notebook" };
        var export = new Command("export", "Write each notebook as a file-based app (Markdown as comments, charts to HTML files), so chapters also run without the kernel.")
        {
            input, to, outDir, check,
        };
        export.SetAction(parse =>
        {
            if (!string.Equals(parse.GetValue(to), "app", StringComparison.OrdinalIgnoreCase))
                throw new SelfSimException($"--to {parse.GetValue(to)} is not a target; the one there is: --to app (a file-based app for `dotnet run`).");
            var path = parse.GetValue(input)!;
            var notebooks = Directory.Exists(path)
                ? AppExporter.NotebooksIn(path)
                : File.Exists(path) ? new[] { path }
                : throw new FileNotFoundException($"{path} is neither a notebook nor a folder; pass e.g. notebooks/ or notebooks/00-tour.ipynb", path);
            if (notebooks.Length == 0) throw new FileNotFoundException($"{path} holds no .ipynb notebooks");
            var dir = Path.GetFullPath(parse.GetValue(outDir)!);
            if (parse.GetValue(check))
            {
                var stale = notebooks.Select(nb => AppExporter.Staleness(NotebookDocument.Load(nb), nb, Path.Combine(dir, AppExporter.AppFileName(nb))))
                    .Where(s => s != null).ToList();
                foreach (var s in stale) Console.Error.WriteLine(s);
                if (stale.Count == 0) Console.WriteLine($"{notebooks.Length} app(s) in {dir} match their notebooks");
                return stale.Count == 0 ? 0 : 1;
            }
            OutputGuard.Folder(dir, "--out", notebooks);
            foreach (var nb in notebooks)
            {
                var (app, changed) = AppExporter.Export(nb, dir);
                Console.WriteLine($"{app}{(changed ? "" : " (unchanged)")}");
            }
            return 0;
        });
        return export;
    }
}

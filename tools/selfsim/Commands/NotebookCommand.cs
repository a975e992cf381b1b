using System;
using System.CommandLine;
using System.IO;
using SelfSim.Cli.Notebooks;

namespace SelfSim.Cli;

/// <summary>`selfsim notebook new`: a notebook in the project's format (pinned packages cell, shared #load cell).</summary>
public sealed class NotebookCommand : ICliCommand
{
    public Command Create()
    {
        var path = new Argument<string>("path") { Description = "the .ipynb to create, e.g. notebooks/05-box-covering.ipynb" };
        var title = new Option<string?>("--title") { Description = "the title (default: from the file name)" };
        var force = new Option<bool>("--force") { Description = "overwrite an existing notebook" };
        var shared = new Option<string?>("--shared") { Description = "path of shared/SelfSim.csx relative to the notebook (default: computed)" };
        var create = new Command("new", "Create a notebook that opens in VS Code (Polyglot Notebooks) and runs with `selfsim run`.") { path, title, force, shared };
        create.SetAction(parse =>
        {
            var target = Path.GetFullPath(parse.GetValue(path)!);
            if (!target.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"{target} does not end in .ipynb; name the notebook file, e.g. notebooks/05-topic.ipynb.");
            if (File.Exists(target) && !parse.GetValue(force))
                throw new ArgumentException($"{target} exists; pass --force to overwrite it.");
            OutputGuard.File(target, "path", "notebook.ipynb");
            var entry = parse.GetValue(shared) ?? SharedEntryFor(target);
            var name = parse.GetValue(title) ?? Path.GetFileNameWithoutExtension(target);
            NotebookBuilder.ForProject(name, entry)
                .Markdown("Describe what this notebook shows and which paper figure or table it reproduces.")
                .Code("var epochs = RunMode.Pick(smoke: 1, @default: 5, full: 20); // selfsim run --size X\nepochs")
                .Build().Save(target);
            Console.WriteLine(target);
            return 0;
        });
        var header = new Command("header", "Print the pinned package cell every notebook starts with (versions from this build).");
        header.SetAction(parse =>
        {
            Console.WriteLine(NotebookBuilder.PackageHeader());
            return 0;
        });
        return new Command("notebook", "Create project notebooks.") { create, header };
    }

    /// <summary>shared/SelfSim.csx relative to the notebook's folder, found by walking up to the repository root.</summary>
    static string SharedEntryFor(string notebook)
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(notebook)!);
        for (var d = dir; d != null; d = d.Parent)
        {
            var entry = Path.Combine(d.FullName, "shared", "SelfSim.csx");
            if (File.Exists(entry)) return Path.GetRelativePath(dir.FullName, entry).Replace('\\', '/');
        }
        return NotebookBuilder.SharedEntry;
    }
}

using System;
using System.CommandLine;
using System.IO;
using System.Linq;

namespace SelfSim.Cli;

/// <summary>`selfsim data list | fetch NAME`: the datasets, and verified, atomic downloads into data/.</summary>
public sealed class DataCommand : ICliCommand
{
    public Command Create()
    {
        var dir = new Option<string?>("--dir") { Description = $"data folder (default: ${DataPaths.EnvironmentVariable}, else the checkout's data/)" };

        var name = new Argument<string>("name") { Description = "dataset: " + string.Join(", ", DatasetCatalog.Names) };
        var mirror = new Option<string?>("--mirror") { Description = "a URL folder that holds the same files, used instead of the canonical host" };
        var fetch = new Command("fetch", "Download a dataset's canonical files, verify their checksums, and write them atomically into the data folder.") { name, dir, mirror };
        fetch.SetAction(async (parse, cancel) =>
        {
            var spec = DatasetCatalog.Get(parse.GetValue(name)!);
            var target = await DatasetFetcher.FetchAsync(spec, parse.GetValue(dir) ?? DataPaths.Default, null, parse.GetValue(mirror),
                                                         line => Console.WriteLine(line), cancel);
            Console.WriteLine($"{spec.Name}: ready in {target}");
            return 0;
        });

        var list = new Command("list", "List the datasets and whether each is present.") { dir };
        list.SetAction(parse =>
        {
            var root = parse.GetValue(dir) ?? DataPaths.Default;
            Console.WriteLine($"data folder: {root}");
            foreach (var d in DatasetCatalog.All)
            {
                bool present = d.ExpectedFiles.All(f => DatasetFetcher.Present(Path.Combine(root, d.Folder), f));
                var bad = present ? DatasetFetcher.FailingVerification(d, root) : Array.Empty<string>();
                string state = !present ? "missing: selfsim data fetch " + d.Name
                    : bad.Length > 0 ? $"FAILS VERIFICATION ({string.Join(", ", bad)}): delete and selfsim data fetch {d.Name}"
                    : "present";
                Console.WriteLine($"  {d.Name,-14} {state,-36} {d.Licence}");
            }
            return 0;
        });

        return new Command("data", "Datasets: list what is present, fetch what is missing.") { list, fetch };
    }
}

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace SelfSim.Cli.Notebooks;

/// <summary>A NuGet package the runner carries, with the assemblies a notebook gets when it references it.</summary>
public sealed record CarriedPackage(string Id, string Version, IReadOnlyList<string> AssemblyNames);

/// <summary>
/// The packages `selfsim run` carries, read from the build's own dependency file (selfsim.deps.json),
/// so the versions are the ones pinned in Directory.Packages.props and never a second hand-typed list.
/// The notebook packages are the direct dependencies of SelfSim.Shared (what shared/ references).
/// </summary>
public sealed class CarriedPackages
{
    /// <summary>Kernel display extensions: accepted and ignored, because the runner formats these types itself.
    /// The value names the package whose major version the extension must match.</summary>
    public static readonly IReadOnlyDictionary<string, string> DisplayExtensions =
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Plotly.NET.Interactive"] = "Plotly.NET" };

    /// <summary>TorchSharp's native backends: one is carried (chosen by $(SelfSimBackend)); a notebook naming another
    /// backend at the same version gets the carried one, so a notebook pinned to TorchSharp-cpu also runs on a CUDA build.</summary>
    public static readonly IReadOnlySet<string> TorchBackends =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "TorchSharp-cpu", "TorchSharp-cuda-linux", "TorchSharp-cuda-windows" };

    /// <summary>The backend notebooks pin (portable: every OS, no GPU needed).</summary>
    public const string PortableBackend = "TorchSharp-cpu";

    /// <summary>The carried TorchSharp backend package, if any.</summary>
    public CarriedPackage? TorchBackend => _all.Values.FirstOrDefault(p => TorchBackends.Contains(p.Id));

    readonly Dictionary<string, CarriedPackage> _all;

    /// <summary>Every package in the runner's dependency closure, by id (case-insensitive).</summary>
    public IReadOnlyDictionary<string, CarriedPackage> All => _all;

    /// <summary>The packages notebooks are meant to reference (shared/'s direct dependencies), in a stable order.</summary>
    public IReadOnlyList<CarriedPackage> NotebookPackages { get; }

    CarriedPackages(Dictionary<string, CarriedPackage> all, IReadOnlyList<CarriedPackage> notebook)
    {
        _all = all;
        NotebookPackages = notebook;
    }

    static readonly Lazy<CarriedPackages> _current = new(() => FromDepsFile(FindDepsFile()));

    /// <summary>The packages of this running build.</summary>
    public static CarriedPackages Current => _current.Value;

    public CarriedPackage? Find(string id) => _all.TryGetValue(id, out var p) ? p : null;

    /// <summary>"TorchSharp 0.107.0, Plotly.NET 6.0.0, ..." for error messages.</summary>
    public string Describe() => string.Join(", ", NotebookPackages.Select(p => $"{p.Id} {p.Version}"));

    static string FindDepsFile()
    {
        var here = typeof(CarriedPackages).Assembly.Location;
        if (!string.IsNullOrEmpty(here))
        {
            var own = Path.ChangeExtension(here, ".deps.json");
            if (File.Exists(own)) return own;
        }
        var files = (AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries).Where(File.Exists);
        foreach (var f in files)
            if (File.ReadAllText(f).Contains("\"SelfSim.Shared/", StringComparison.Ordinal)) return f;
        throw new SelfSimException(
            "Cannot find selfsim.deps.json next to the selfsim assembly, so the runner does not know which packages it carries. " +
            "Run selfsim from its build output (dotnet run --project tools/selfsim), not from a single-file publish.");
    }

    /// <summary>Reads a .deps.json file. Public for tests.</summary>
    public static CarriedPackages FromDepsFile(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var packageKeys = root.GetProperty("libraries").EnumerateObject()
            .Where(l => l.Value.TryGetProperty("type", out var t) && t.GetString() == "package")
            .Select(l => l.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var target = root.GetProperty("targets").EnumerateObject().First().Value;

        // id -> (version, direct dependency ids, own assembly names)
        var info = new Dictionary<string, (string Version, List<string> Deps, List<string> Asms)>(StringComparer.OrdinalIgnoreCase);
        List<string>? sharedDeps = null;
        foreach (var lib in target.EnumerateObject())
        {
            var slash = lib.Name.IndexOf('/');
            var id = lib.Name[..slash];
            var deps = lib.Value.TryGetProperty("dependencies", out var d) ? d.EnumerateObject().Select(x => x.Name).ToList() : new List<string>();
            if (id == "SelfSim.Shared") sharedDeps = deps;
            if (!packageKeys.Contains(lib.Name)) continue;
            var asms = lib.Value.TryGetProperty("runtime", out var r)
                ? r.EnumerateObject().Select(x => Path.GetFileNameWithoutExtension(x.Name)).ToList()
                : new List<string>();
            info[id] = (lib.Name[(slash + 1)..], deps, asms);
        }

        var all = new Dictionary<string, CarriedPackage>(StringComparer.OrdinalIgnoreCase);
        foreach (var (id, (version, _, _)) in info)
        {
            var closure = new List<string>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var stack = new Stack<string>();
            stack.Push(id);
            while (stack.Count > 0)
            {
                var cur = stack.Pop();
                if (!seen.Add(cur) || !info.TryGetValue(cur, out var ci)) continue;
                closure.AddRange(ci.Asms);
                foreach (var dep in ci.Deps) stack.Push(dep);
            }
            all[id] = new CarriedPackage(id, version, closure.Distinct(StringComparer.OrdinalIgnoreCase).ToList());
        }
        var notebook = (sharedDeps ?? new List<string>()).Where(all.ContainsKey).Select(id => all[id]).ToList();
        return new CarriedPackages(all, notebook);
    }
}

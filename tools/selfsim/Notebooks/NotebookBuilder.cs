using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace SelfSim.Cli.Notebooks;

/// <summary>
/// Builds .ipynb notebooks in the format the Polyglot Notebooks (.NET Interactive) kernel opens in VS Code
/// and `selfsim run` executes: kernelspec .net-csharp, polyglot_notebook kernel info, C# code cells.
/// <code>
/// NotebookBuilder.ForProject("Tour").Markdown("# Tour").Code("1 + 1").Build().Save("notebooks/00-tour.ipynb");
/// </code>
/// </summary>
public sealed class NotebookBuilder
{
    readonly List<JsonObject> _cells = new();

    /// <summary>Shared scripts entry point, relative to a notebook in notebooks/.</summary>
    public const string SharedEntry = "../shared/SelfSim.csx";

    /// <summary>A notebook that starts the way every project notebook does: the pinned #r "nuget:" cell, the #load cell, then a title.</summary>
    public static NotebookBuilder ForProject(string title, string sharedEntry = SharedEntry) =>
        new NotebookBuilder().Code(PackageHeader()).Code($"#load \"{sharedEntry}\"").Markdown($"# {title}");

    /// <summary>The packages every project notebook's first cell references, as the assemblies this build carries them.</summary>
    static readonly (string Id, System.Type Probe)[] NotebookPackages =
    {
        ("Microsoft.Data.Analysis", typeof(Microsoft.Data.Analysis.DataFrame)),
        ("Plotly.NET", typeof(Plotly.NET.GenericChart)),
        ("Plotly.NET.CSharp", typeof(Plotly.NET.CSharp.Chart)),
        ("TorchSharp", typeof(TorchSharp.torch)),
    };

    /// <summary>The pinned package cell: one #r "nuget: Id, Version" line per package shared/ uses (versions of this build's
    /// assemblies, i.e. Directory.Packages.props), plus Plotly.NET.Interactive and the portable TorchSharp-cpu backend.</summary>
    public static string PackageHeader()
    {
        var lines = new List<string>();
        foreach (var (id, probe) in NotebookPackages)
        {
            var version = PackageVersion(probe);
            lines.Add($"#r \"nuget: {id}, {version}\"");
            if (id == "Plotly.NET") lines.Add($"#r \"nuget: Plotly.NET.Interactive, {version}\"");
            if (id == "TorchSharp") lines.Add($"#r \"nuget: TorchSharp-cpu, {version}\"");
        }
        return string.Join("\n", lines);
    }

    /// <summary>The entry a notebook that reads ONNX models loads after <see cref="SharedEntry"/>.</summary>
    public const string OnnxEntry = "../shared/SelfSimOnnx.csx";

    /// <summary>The lines a notebook that reads ONNX models (chapter 08) adds to <see cref="PackageHeader"/>: ONNX Runtime and
    /// OnnxSharp, the packages of shared/onnx/, which loads through <see cref="OnnxEntry"/>.</summary>
    public static string OnnxPackageLines() =>
        $"#r \"nuget: Microsoft.ML.OnnxRuntime, {PackageVersion(typeof(Microsoft.ML.OnnxRuntime.InferenceSession))}\"\n" +
        $"#r \"nuget: OnnxSharp, {PackageVersion(typeof(Onnx.ModelProto))}\"";

    /// <summary>The NuGet version an assembly was packed as: its informational version without the commit suffix.</summary>
    static string PackageVersion(System.Type probe)
    {
        var asm = probe.Assembly;
        var info = System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(asm)?.InformationalVersion;
        var v = info?.Split('+')[0];
        return string.IsNullOrEmpty(v) ? asm.GetName().Version!.ToString(3) : v;
    }

    public NotebookBuilder Markdown(string text)
    {
        _cells.Add(new JsonObject
        {
            ["cell_type"] = "markdown",
            ["id"] = NotebookCell.NewId(),
            ["metadata"] = new JsonObject(),
            ["source"] = NotebookCell.ToLines(text),
        });
        return this;
    }

    public NotebookBuilder Code(string code)
    {
        _cells.Add(new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = NotebookCell.NewId(),
            ["metadata"] = new JsonObject
            {
                ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
                ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
            },
            ["outputs"] = new JsonArray(),
            ["source"] = NotebookCell.ToLines(code),
        });
        return this;
    }

    /// <summary>The notebook-level metadata VS Code's Polyglot Notebooks writes for a C# notebook.</summary>
    public static JsonObject KernelMetadata() => new()
    {
        ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" },
        ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
        ["polyglot_notebook"] = new JsonObject
        {
            ["kernelInfo"] = new JsonObject
            {
                ["defaultKernelName"] = "csharp",
                ["items"] = new JsonArray(new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }),
            },
        },
    };

    public NotebookDocument Build()
    {
        var root = new JsonObject
        {
            ["cells"] = new JsonArray(_cells.Select(c => (JsonNode)c.DeepClone()).ToArray()),
            ["metadata"] = KernelMetadata(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var doc = new NotebookDocument(root);
        doc.Normalize();
        return doc;
    }
}

using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using SelfSim.Cli.Notebooks;
using Xunit;

namespace SelfSim.Tests.Runner;

public sealed class NotebookFormatTests
{
    [Fact]
    public void Carried_packages_come_from_the_build_and_match_the_central_pins()
    {
        var pins = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        var carried = CarriedPackages.Current;
        Assert.Equal(new[] { "Microsoft.Data.Analysis", "Plotly.NET", "Plotly.NET.CSharp", "TorchSharp", "TorchSharp-cpu" },
            carried.NotebookPackages.Select(p => p.Id).OrderBy(x => x, StringComparer.Ordinal).ToArray());
        Assert.All(carried.NotebookPackages, p => Assert.Equal(pins[p.Id], p.Version));
        Assert.Contains("TorchSharp", carried.Find("TorchSharp-cpu")!.AssemblyNames);
        Assert.Contains("DynamicObj", carried.Find("Plotly.NET")!.AssemblyNames);
    }

    static CellPreprocessor Pre() => new(CarriedPackages.Current);

    [Fact]
    public void Nuget_directives_are_checked_against_the_carried_versions()
    {
        var ok = Pre().Prepare("#r \"nuget: TorchSharp, 0.107.0\"\n#r \"nuget:Plotly.NET.Interactive, 6.0.0\"\n#i \"nuget: https://example.invalid/feed\"\n1 + 1");
        Assert.Equal("TorchSharp", Assert.Single(ok.Packages).Id);
        Assert.Equal("\n\n\n1 + 1", ok.Code); // directive lines blanked, line numbers kept

        var wrong = Assert.Throws<CellDirectiveException>(() => Pre().Prepare("// pins\n#r \"nuget: TorchSharp, 0.106.0\""));
        Assert.Equal(2, wrong.Line);
        Assert.Contains("TorchSharp 0.106.0", wrong.Message);
        Assert.Contains("#r \"nuget: TorchSharp, 0.107.0\"", wrong.Message);

        var ext = Assert.Throws<CellDirectiveException>(() => Pre().Prepare("#r \"nuget: Plotly.NET.Interactive, 5.0.0\""));
        Assert.Contains("Plotly.NET 6.0.0", ext.Message);

        var unpinned = Pre().Prepare("#r \"nuget: Microsoft.Data.Analysis\"");
        Assert.Contains(unpinned.Notes, n => n.Contains("0.23.1"));

        var magic = Assert.Throws<CellDirectiveException>(() => Pre().Prepare("#!fsharp\nlet x = 1"));
        Assert.Contains("#!fsharp", magic.Message);
        Assert.Equal("\nvar x = 1;", Pre().Prepare("#!csharp\nvar x = 1;").Code);
    }

    [Fact]
    public void A_cuda_build_runs_notebooks_pinned_to_the_cpu_backend()
    {
        var deps = Path.Combine(Path.GetTempPath(), "selfsim-deps-" + Guid.NewGuid().ToString("N")[..8] + ".deps.json");
        File.WriteAllText(deps, """
            {"targets":{".NETCoreApp,Version=v10.0":{
              "SelfSim.Shared/1.0.0":{"dependencies":{"TorchSharp":"0.107.0","TorchSharp-cuda-linux":"0.107.0"},"runtime":{"SelfSim.Shared.dll":{}}},
              "TorchSharp/0.107.0":{"runtime":{"lib/net8.0/TorchSharp.dll":{}}},
              "TorchSharp-cuda-linux/0.107.0":{"dependencies":{"TorchSharp":"0.107.0"}}}},
             "libraries":{"SelfSim.Shared/1.0.0":{"type":"project"},"TorchSharp/0.107.0":{"type":"package"},"TorchSharp-cuda-linux/0.107.0":{"type":"package"}}}
            """);
        try
        {
            var cuda = CarriedPackages.FromDepsFile(deps);
            var p = new CellPreprocessor(cuda).Prepare("#r \"nuget: TorchSharp-cpu, 0.107.0\"");
            Assert.Equal("TorchSharp-cuda-linux", Assert.Single(p.Packages).Id);
            Assert.Contains(p.Notes, n => n.Contains("TorchSharp-cuda-linux"));
            Assert.Equal(new[] { "TorchSharp" }, p.Packages[0].AssemblyNames);
            Assert.Throws<CellDirectiveException>(() => new CellPreprocessor(cuda).Prepare("#r \"nuget: TorchSharp-cpu, 0.106.0\""));
            Assert.Contains("#r \"nuget: TorchSharp-cpu, 0.107.0\"", NotebookBuilder.PackageHeader(cuda)); // notebooks stay portable
        }
        finally { File.Delete(deps); }
    }

    [Fact]
    public void Load_and_dll_directives_are_hoisted_with_their_line_numbers()
    {
        var p = Pre().Prepare("var a = 1;\n#load \"lib/x.csx\"\n#r \"bin/My.dll\"\na");
        Assert.Equal("#line 2\n#load \"lib/x.csx\"\n#line 3\n#r \"bin/My.dll\"\n#line 1\nvar a = 1;\n\n\na", p.Code);
    }

    [Fact]
    public void Round_trip_keeps_unknown_metadata_and_upgrades_to_4_5()
    {
        var dir = Path.Combine(Path.GetTempPath(), "selfsim-nbfmt-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, "old.ipynb");
            File.WriteAllText(path, """
                {"cells":[{"cell_type":"code","execution_count":3,"metadata":{"dotnet_interactive":{"language":"csharp"},"tags":["keep"]},
                  "outputs":[],"source":"1 +\n1"},{"cell_type":"markdown","metadata":{},"source":["# t"]}],
                 "metadata":{"kernelspec":{"display_name":".NET (C#)","language":"C#","name":".net-csharp"},"custom":{"x":1}},
                 "nbformat":4,"nbformat_minor":2}
                """);
            var doc = NotebookDocument.Load(path);
            Assert.Equal("1 +\n1", doc.Cells[0].Source);
            Assert.Equal("csharp", doc.Cells[0].KernelName);
            doc.Save(path);
            var back = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
            Assert.Equal(5, (int)back["nbformat_minor"]!);
            Assert.Equal(1, (int)back["metadata"]!["custom"]!["x"]!);
            Assert.Equal("keep", (string?)back["cells"]![0]!["metadata"]!["tags"]![0]);
            Assert.Equal(new[] { "1 +\n", "1" }, back["cells"]![0]!["source"]!.AsArray().Select(x => (string?)x).ToArray());
            var ids = back["cells"]!.AsArray().Select(c => (string?)c!["id"]).ToList();
            Assert.All(ids, id => Assert.True(id != null && NotebookCell.IsValidId(id)));
            Assert.Equal(2, ids.Distinct().Count());
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
            Assert.Throws<InvalidDataException>(() => { File.WriteAllText(path, "{\"nbformat\":3,\"cells\":[]}"); NotebookDocument.Load(path); });
            Assert.Throws<InvalidDataException>(() => { File.WriteAllText(path, "not json"); NotebookDocument.Load(path); });
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Builder_writes_the_project_notebook_layout()
    {
        var doc = NotebookBuilder.ForProject("Tour").Code("1").Build();
        Assert.StartsWith("#r \"nuget: ", doc.Cells[0].Source);
        Assert.Contains("#r \"nuget: Plotly.NET.Interactive, 6.0.0\"", doc.Cells[0].Source);
        Assert.Equal("#load \"../shared/SelfSim.csx\"", doc.Cells[1].Source);
        Assert.Equal(CellKind.Markdown, doc.Cells[2].Kind);
        Assert.Equal(".net-csharp", (string?)doc.Metadata["kernelspec"]!["name"]);
    }

    [Fact]
    public void Repository_notebooks_follow_the_project_layout()
    {
        var dir = RepoPaths.Notebooks;
        Assert.True(Directory.Exists(dir), "notebooks/ is missing");
        var header = NotebookBuilder.PackageHeader();
        foreach (var path in Directory.GetFiles(dir, "*.ipynb").Where(f => !f.EndsWith(".executed.ipynb")))
        {
            var doc = NotebookDocument.Load(path);
            Assert.True(doc.Cells[0].Source.TrimEnd() == header, $"{Path.GetFileName(path)}: the first cell must be the pinned package cell:\n{header}");
            Assert.Equal("#load \"../shared/SelfSim.csx\"", doc.Cells[1].Source.Trim());
            Assert.Equal(".net-csharp", (string?)doc.Metadata["kernelspec"]?["name"]);
        }
    }
}

[Collection("Runner")]
public sealed class FormattersAndStyleTests
{
    public sealed record Row(string Name, double Value);

    [Fact]
    public void Sequences_of_records_become_tables_with_a_row_limit()
    {
        var rows = Enumerable.Range(0, 25).Select(i => new Row("r" + i, i / 4.0)).ToList();
        var b = Formatters.Format(rows);
        Assert.Equal(Formatters.RowLimit, System.Text.RegularExpressions.Regex.Matches(b["text/html"], "<tr><td>").Count);
        Assert.Contains("<tr><td>1</td><td>r1</td><td>0.25</td></tr>", b["text/html"]);
        Assert.Contains("more rows", b["text/html"]);
        Assert.Equal("[1, 2, 3]", Formatters.Format(new[] { 1, 2, 3 })["text/plain"]);
        var dict = Formatters.Format(new System.Collections.Generic.Dictionary<string, int> { ["a"] = 1, ["b"] = 2 });
        Assert.Contains("<tr><td>1</td><td>b</td><td>2</td></tr>", dict["text/html"]);
        Assert.Equal("<null>", Formatters.Format(null)["text/plain"]);
    }

    [Fact]
    public void Console_output_coalesces_per_stream_and_is_capped()
    {
        var o = new CellOutputs(7);
        o.Stream("stdout", "a");
        o.Stream("stdout", "b\n");
        o.Display(Formatters.Plain("x"));
        var chunk = new string('z', 1000);
        for (int i = 0; i < CellOutputs.StreamLimit / 1000 + 5; i++) o.Stream("stdout", chunk);
        var snap = o.Snapshot();
        Assert.Equal(new[] { "stream", "display_data", "stream", "stream" }, snap.Select(x => (string?)x["output_type"]).ToArray());
        Assert.Equal("ab\n", (string?)snap[0]["text"]);
        Assert.Equal(CellOutputs.StreamLimit - 3, ((string?)snap[2]["text"])!.Length); // "ab\n" counted against the same limit
        Assert.Contains("5003 more characters of stdout", (string?)snap[3]["text"]);
    }

    [Fact]
    public void Tensor_summary_names_shape_dtype_device_and_values()
    {
        using var t = TorchSharp.torch.tensor(new long[] { 3, 1, 2 });
        Assert.Equal("Tensor [3] int64 on cpu: 3, 1, 2 (3 values; min 1, max 3, mean 2)", Formatters.TensorSummary(t));
        using var b = TorchSharp.torch.tensor(new[] { true, false });
        Assert.Equal("Tensor [2] bool on cpu: true, false (2 values)", Formatters.TensorSummary(b));
    }

    [Fact]
    public void Paper_style_sets_size_fonts_and_labels_without_touching_the_original()
    {
        var chart = Plotly.NET.CSharp.Chart.Point<double, double, string>(new[] { 1.0, 2 }, new[] { 3.0, 4 }, Name: "p");
        var before = Plotly.NET.GenericChart.toFigureJson(chart);
        var styled = PaperStyle.SingleColumn.Apply(chart, xTitle: "r", yTitle: "N(r)", title: "Box covering");
        Assert.Equal(before, Plotly.NET.GenericChart.toFigureJson(chart));
        var layout = JsonNode.Parse(Plotly.NET.GenericChart.toFigureJson(styled))!["layout"]!;
        Assert.Equal(336, (int)layout["width"]!);
        Assert.Equal(252, (int)layout["height"]!);
        Assert.Equal(9, (int)layout["font"]!["size"]!);
        Assert.Equal("r", (string?)layout["xaxis"]!["title"]!["text"]);
        Assert.Equal("N(r)", (string?)layout["yaxis"]!["title"]!["text"]);
        Assert.Equal("Box covering", (string?)layout["title"]!["text"]);
        Assert.Equal("outside", (string?)layout["yaxis"]!["ticks"]);
        var html = Figures.ToHtml(styled, "t");
        Assert.DoesNotContain("<script src", html);
        Assert.Contains("Plotly.newPlot('figure'", html);
    }

    [Fact]
    public void Run_mode_reads_the_smoke_variable()
    {
        var old = Environment.GetEnvironmentVariable(RunMode.SmokeVariable);
        try
        {
            Environment.SetEnvironmentVariable(RunMode.SmokeVariable, "1");
            Assert.True(RunMode.Smoke);
            Assert.Equal(2, RunMode.Pick(full: 50, smoke: 2));
            Environment.SetEnvironmentVariable(RunMode.SmokeVariable, "0");
            Assert.False(RunMode.Smoke);
            Assert.Equal(50, RunMode.Pick(full: 50, smoke: 2));
            Assert.Equal("default", RunMode.Name); // unset SELFSIM_SIZE and no smoke alias: the default size
        }
        finally { Environment.SetEnvironmentVariable(RunMode.SmokeVariable, old); }
    }
}

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
            // A chapter that reads ONNX models (08) adds ONNX Runtime and OnnxSharp, and loads shared/onnx/ by its own entry.
            var onnx = header + "\n" + NotebookBuilder.OnnxPackageLines();
            var first = doc.Cells[0].Source.TrimEnd();
            Assert.True(first == header || first == onnx, $"{Path.GetFileName(path)}: the first cell must be the pinned package cell:\n{header}");
            var load = "#load \"../shared/SelfSim.csx\"" + (first == onnx ? $"\n#load \"{NotebookBuilder.OnnxEntry}\"" : "");
            Assert.Equal(load, doc.Cells[1].Source.Trim());
            Assert.Equal(".net-csharp", (string?)doc.Metadata["kernelspec"]?["name"]);
            // the style rule: code lines under 100 characters (the first cell, the pinned package list, is generated)
            var longLines = doc.Cells.Skip(1).Where(c => c.Kind == CellKind.Code)
                .SelectMany(c => c.Source.Split('\n')).Where(l => l.TrimEnd('\r').Length >= 100).ToList();
            Assert.True(longLines.Count == 0, $"{Path.GetFileName(path)}: code lines of 100+ characters:\n{string.Join("\n", longLines)}");
        }
    }

    [Fact]
    public void Repository_notebooks_pick_sizes_with_the_three_way_form()
    {
        // the removed two-way RunMode.Pick(full, smoke) took its arguments in the opposite order of the three-way form
        Assert.Equal(new[] { 3, 2, 0 }, PickArgumentCounts("RunMode.Pick(smoke: f(1, 2), @default: 3, full: \"a,b\") Pick(6, 5) Devices.Pick()"));
        var folders = new[] { RepoPaths.Notebooks, Path.Combine(RepoPaths.Root, "tests", "notebooks") };
        foreach (var path in folders.SelectMany(d => Directory.GetFiles(d, "*.ipynb")).Where(f => !f.EndsWith(".executed.ipynb")))
        {
            var code = NotebookDocument.Load(path).Cells.Where(c => c.Kind == CellKind.Code).Select(c => c.Source);
            var twoWay = code.SelectMany(PickArgumentCounts).Count(n => n == 2);
            Assert.True(twoWay == 0, $"{Path.GetFileName(path)}: {twoWay} call(s) of Pick with two arguments; use RunMode.Pick(smoke: …, @default: …, full: …).");
        }
    }

    /// <summary>The number of top-level arguments of every <c>Pick(</c> call in <paramref name="code"/> (commas inside
    /// nested brackets and string literals do not count).</summary>
    static int[] PickArgumentCounts(string code)
    {
        var counts = new System.Collections.Generic.List<int>();
        for (int at = code.IndexOf("Pick(", StringComparison.Ordinal); at >= 0; at = code.IndexOf("Pick(", at + 5, StringComparison.Ordinal))
        {
            int depth = 0, commas = 0, i = at + 5;
            bool inString = false, any = false;
            for (; i < code.Length; i++)
            {
                char ch = code[i];
                if (inString) { if (ch == '\\') i++; else if (ch == '"') inString = false; continue; }
                if (ch == '"') { inString = true; any = true; }
                else if (ch is '(' or '[' or '{') depth++;
                else if (ch is ')' or ']' or '}') { if (depth-- == 0) break; }
                else if (ch == ',' && depth == 0) commas++;
                else if (!char.IsWhiteSpace(ch)) any = true;
            }
            counts.Add(any ? commas + 1 : 0);
        }
        return counts.ToArray();
    }
}

[Collection("Runner")]
public sealed class FormattersAndStyleTests
{
    public sealed record Row(string Name, double Value);

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

}

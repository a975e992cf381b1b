using System;
using System.IO;
using System.Linq;
using SelfSim.Cli.Notebooks;
using Xunit;

namespace SelfSim.Tests.Apps;

/// <summary>
/// `selfsim export --to app` (tools/selfsim/Notebooks/AppExporter.cs): the committed apps/ match their notebooks, an
/// edited notebook whose app was not regenerated is caught, and each kernel-only construct of a cell becomes what a
/// C# file needs (hand-made notebooks with the expected text).
/// </summary>
public sealed class AppExporterTests
{
    static string Apps => Path.Combine(RepoPaths.Root, "apps");
    static string[] Notebooks => AppExporter.NotebooksIn(RepoPaths.Notebooks);
    static string AppOf(string notebook) => Path.Combine(Apps, AppExporter.AppFileName(notebook));

    [Fact]
    public void Every_committed_app_matches_its_notebook()
    {
        Assert.True(Notebooks.Length >= 8, $"expected the 8+ chapters in {RepoPaths.Notebooks}");
        var stale = Notebooks.Select(nb => AppExporter.Staleness(NotebookDocument.Load(nb), nb, AppOf(nb))).Where(s => s != null).ToList();
        Assert.True(stale.Count == 0, string.Join("\n", stale));
        // and no app is left over from a notebook that is gone
        var orphans = Directory.GetFiles(Apps, "*.cs").Where(a => !File.Exists(Path.Combine(RepoPaths.Notebooks, Path.GetFileNameWithoutExtension(a) + ".ipynb")));
        Assert.Empty(orphans);
    }

    public static System.Collections.Generic.IEnumerable<object[]> Chapters() =>
        AppExporter.NotebooksIn(RepoPaths.Notebooks).Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Chapters))]
    public void An_edited_copy_of_a_notebook_is_caught_as_stale(string chapter)
    {
        var nb = Path.Combine(RepoPaths.Notebooks, chapter);
        var app = AppOf(nb);
        var name = Path.GetFileName(app);
        var tmp = Directory.CreateTempSubdirectory("selfsim-app-stale-").FullName;
        try
        {
            var copy = Path.Combine(tmp, chapter);
            File.Copy(nb, copy);
            // the unedited copy matches (so the check does not fail on everything)
            Assert.Null(AppExporter.Staleness(NotebookDocument.Load(copy), nb, app));

            // a statement put at the top of the first plain code cell after the #load cell, saved to the copy
            var doc = NotebookDocument.Load(copy);
            int load = doc.Cells.FindIndex(c => c.Kind == CellKind.Code && c.Source.Contains("#load"));
            var cell = doc.Cells.Skip(load + 1).First(c => c.Kind == CellKind.Code && !c.Source.TrimStart().StartsWith('#')
                                                           && !c.Source.TrimStart().StartsWith("using ", StringComparison.Ordinal));
            cell.Source = "var editedAfterExport = 1;\n" + cell.Source;
            doc.Save(copy);
            var why = AppExporter.Staleness(NotebookDocument.Load(copy), nb, app);
            Assert.NotNull(why);
            Assert.StartsWith($"{name} is stale against {chapter} (line ", why);
            Assert.Contains("the notebook gives \"var editedAfterExport = 1;\"", why);
            Assert.Contains(AppExporter.RegenerateCommand, why);

            // an edited Markdown cell counts too: the prose is in the app as comments
            doc = NotebookDocument.Load(nb);
            doc.Cells.Last(c => c.Kind == CellKind.Markdown).Source += "\nOne more sentence.";
            Assert.Contains("// One more sentence.", AppExporter.Staleness(doc, nb, app));

            Assert.Contains("missing", AppExporter.Staleness(doc, nb, Path.Combine(tmp, name)));
        }
        finally { Directory.Delete(tmp, true); }
    }

    /// <summary>The app of a hand-made notebook that sits in notebooks/ (so the real shared/ and Directory.Packages.props apply).</summary>
    static string Render(NotebookBuilder builder) =>
        AppExporter.Render(builder.Build(), Path.Combine(RepoPaths.Notebooks, "zz-test.ipynb"), Path.Combine(Apps, "zz-test.cs"));

    [Fact]
    public void Packages_become_versionless_directives_and_the_load_a_project_reference()
    {
        var app = Render(NotebookBuilder.ForProject("Test").Code("var x = 1;"));
        Assert.Contains("#:package Plotly.NET\n", app);
        Assert.Contains("#:package TorchSharp-cpu\n", app);
        Assert.DoesNotContain("#:package Plotly.NET.Interactive", app);   // the kernel's, left out
        Assert.DoesNotContain(app.Split('\n'), l => l.StartsWith("#r ") || l.StartsWith("#load"));
        Assert.Contains("#:project ../shared/SelfSim.Shared.csproj\n", app);
        Assert.Contains("global::Show.StartApp(\"zz-test\", System.IO.Path.Combine(AppFolder(), \"../notebooks\"));", app);
        Assert.Contains("// # Test\n", app);
        // every directive comes before the first line of C#
        var lines = app.Split('\n');
        int lastDirective = Array.FindLastIndex(lines, l => l.StartsWith("#:"));
        int firstCode = Array.FindIndex(lines, l => l.StartsWith("using "));
        Assert.True(lastDirective < firstCode);
    }

    [Fact]
    public void An_entry_script_of_shared_becomes_the_one_project_reference_and_keeps_its_statements()
    {
        var app = Render(new NotebookBuilder()
            .Code("#r \"nuget: TorchSharp-cpu, 0.107.0\"\n#r \"nuget: OnnxSharp, 0.3.2\"")
            .Code("#load \"../shared/SelfSim.csx\"\n#load \"../shared/SelfSimOnnx.csx\"")
            .Code("var x = 1;"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(app, "^#:project ", System.Text.RegularExpressions.RegexOptions.Multiline));
        // what each entry runs after its #load lines (shared/SelfSim.csx, shared/SelfSimOnnx.csx), in that order
        int prepare = app.IndexOf("\nNotebookKernel.Prepare();\n", StringComparison.Ordinal);
        int onnx = app.IndexOf("\nOnnxNativeLoader.EnsureLoadable();\n", StringComparison.Ordinal);
        int x = app.IndexOf("\nvar x = 1;\n", StringComparison.Ordinal);
        Assert.True(prepare > 0 && prepare < onnx && onnx < x, $"Prepare {prepare}, ONNX {onnx}, x {x}");
        // a file the library compiles is not an entry: it has no statements to run and is refused
        var file = new NotebookBuilder().Code("#load \"../shared/SelfSim.csx\"").Code("#load \"../shared/figures/Show.csx\"");
        Assert.Contains("loads a script an app cannot load", Assert.Throws<SelfSimException>(() => Render(file)).Message);
    }

    [Fact]
    public void A_version_that_disagrees_with_Directory_Packages_props_is_refused()
    {
        var b = new NotebookBuilder().Code("#r \"nuget: Plotly.NET, 5.1.0\"").Code("#load \"../shared/SelfSim.csx\"");
        var e = Assert.Throws<SelfSimException>(() => Render(b));
        Assert.Contains("Plotly.NET, 5.1.0", e.Message);
        Assert.Contains("pins 6.0.0", e.Message);
        var unknown = new NotebookBuilder().Code("#r \"nuget: Humanizer, 2.14.1\"").Code("#load \"../shared/SelfSim.csx\"");
        Assert.Contains("not in Directory.Packages.props", Assert.Throws<SelfSimException>(() => Render(unknown)).Message);
        var dll = new NotebookBuilder().Code("#r \"lib/foo.dll\"").Code("#load \"../shared/SelfSim.csx\"");
        Assert.Contains("references an assembly", Assert.Throws<SelfSimException>(() => Render(dll)).Message);
    }

    [Fact]
    public void A_cells_bare_last_expression_is_displayed_and_magics_dropped()
    {
        var app = Render(NotebookBuilder.ForProject("T")
            .Code("#!time\nvar chart = MakeChart();\nchart")
            .Code("var s = 2;\n$\"{s} and\"\n    + \" more\"")
            .Code("Figures.Save(chart, \"x\");"));
        Assert.Contains("// (kernel magic left out: #!time)\nvar chart = MakeChart();\ndisplay(chart);\n", app);
        Assert.Contains("display($\"{s} and\"\n    + \" more\");\n", app);
        Assert.Contains("\nFigures.Save(chart, \"x\");\n", app);            // a statement with ';' is not displayed
        Assert.Contains("static void display(object value) => global::Show.Display(value);", app);
        Assert.Contains("static global::HtmlFragment HTML(string html) => new(html);", app);
    }

    [Fact]
    public void A_name_declared_again_in_a_later_cell_is_renamed_from_there_on()
    {
        var app = Render(NotebookBuilder.ForProject("T")
            .Code("var lr = 1;\nvar (a, b) = (1, 2);")
            .Code("var lr = lr0(x => x.lr, lr: 3);\nvar row = new { lr, other = lr };")
            .Code("Console.WriteLine(lr + a);")
            .Code("for (var i = 0; i < 2; i++) { var lr = i; }"));
        Assert.Contains("var lr = 1;", app);
        Assert.Contains("var lr_2 = lr0(x => x.lr, lr: 3);", app);           // member access and named argument kept
        Assert.Contains("var row = new { lr = lr_2, other = lr_2 };", app);  // the anonymous member keeps its name
        Assert.Contains("Console.WriteLine(lr_2 + a);", app);                 // later cells use the new name
        Assert.Contains("{ var lr = i; }", app);                              // a block's own local is not top level
    }

    [Fact]
    public void Usings_move_to_the_top_and_types_to_the_end()
    {
        var app = Render(NotebookBuilder.ForProject("T")
            .Code("using System.IO;\nrecord Point(double X, double Y);\nvar p = new Point(1, 2);\np"));
        int usingAt = app.IndexOf("using System.IO;", StringComparison.Ordinal);
        int startAt = app.IndexOf("Show.StartApp", StringComparison.Ordinal);
        int useAt = app.IndexOf("var p = new Point(1, 2);\ndisplay(p);", StringComparison.Ordinal);
        int typeAt = app.IndexOf("record Point(double X, double Y);", StringComparison.Ordinal);
        int shimAt = app.IndexOf("static void display", StringComparison.Ordinal);
        Assert.True(usingAt >= 0 && usingAt < startAt && startAt < useAt && useAt < shimAt && shimAt < typeAt,
            $"using {usingAt}, start {startAt}, use {useAt}, shim {shimAt}, type {typeAt}");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(app, "using System.IO;"));
    }
}

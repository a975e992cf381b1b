// 07-figures-for-papers: the chapter notebooks/07-figures-for-papers.ipynb as a file-based app, generated from it by `selfsim export notebooks --to app --out apps`.
// Do not edit: edit the notebook and regenerate (a test fails while this file is stale).
// Run from the checkout: `dotnet run apps/07-figures-for-papers.cs`; SELFSIM_SIZE=smoke|default|full picks the size,
// SELFSIM_FIGURES the folder its charts go to (as HTML files; tables print as text).
// Packages: the notebook's #r lines, without versions: central package management pins them in Directory.Packages.props
// (Microsoft.Data.Analysis 0.23.1, Plotly.NET 6.0.0, Plotly.NET.CSharp 0.14.0, TorchSharp 0.107.0, TorchSharp-cpu 0.107.0);
// the kernel's own Plotly.NET.Interactive is left out.
#:package Microsoft.Data.Analysis
#:package Plotly.NET
#:package Plotly.NET.CSharp
#:package TorchSharp
#:package TorchSharp-cpu
// A file-based app is native-AOT by default, which turns off reflection-based JSON (the shared code uses it);
// nullable warnings off, as the kernel compiles cells. Each app has its own build output; hard links to the NuGet
// cache keep libtorch (1 GB) from being copied into every one (the GLIBCXX patch replaces its file, never the cache's).
#:property PublishAot=false
#:property Nullable=disable
#:property CreateHardLinksForCopyLocalIfPossible=true
#:project ../shared/SelfSim.Shared.csproj

using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

global::Show.StartApp("07-figures-for-papers", System.IO.Path.Combine(AppFolder(), "../notebooks"));

// SelfSim.csx's own statements (its files are in the #:project library):
NotebookKernel.Prepare();

// # 07 · Figures for papers
//
// The key figures of this collection, exported in one consistent style as **SVG** (vector, for LaTeX and Word), **PNG**
// (3× pixel density, about 300 dpi at print size) and **HTML** (interactive, self-contained):
//
// 1. box-covering curves N_B(l_B) of a trained network's layers;
// 2. S per layer for every architecture (from notebook 04);
// 3. d_B per layer for every architecture (from notebook 04);
// 4. accuracy and S of baseline vs constrained training over seeds (from notebook 06).
//
// `Figures.Save(chart, name, style: PaperStyle.SingleColumn)` applies the style (font, size, axes, white background) and
// writes the files. Sizes: `SingleColumn` is 3.5 in wide, `DoubleColumn` 7 in. The surveys and runs of notebooks 04 and 06
// are reused when they were saved with the same settings; otherwise this notebook computes them (same helpers, same
// settings).
//
// At smoke size every figure's file name ends in `-smoke` and its title says "(smoke)" (`Figures.Save` enforces it), so a
// pipeline check can never pass for a finding.
//
// *Run time: smoke 37 s, default 63 s, full 7.5 min (2 cores, 24 GB; [timings](../docs/timings.md)).*

var train = Mnist.Load(DataPaths.Default, train: true);
var test = Mnist.Load(DataPaths.Default, train: false);
var saved = new List<SavedFigure>();
display($"{RunMode.Name} size; figures go to {Figures.Folder}; results from {StudySettings.Results}");

// ## Figure 1 · Box-covering curves
//
// The trained residual MLP of notebooks 00–03 (loaded from their saved run; trained here only when they did not run), its
// stem and blocks on the probe images. Each curve is the number of boxes left after each merge of the exact box cover
// against the box size, on log-log axes: a straight stretch is the power law $N_B \propto l_B^{-d_B}$.

var lab = MlpFeatureLabCache.ForRunSize(Console.WriteLine);
var covers = lab.Layers
    .Select(l => (l.Name, BoxCover.Compute(l.Features)))
    .ToList();
var fig1 = BoxCoveringCharts.Layers(covers,
    $"Box-covering curves of the residual MLP's layers (MNIST, {lab.TestTop1:F1}% test top-1)");
saved.Add(Figures.Save(fig1, "fig-box-cover", style: PaperStyle.SingleColumn));
display(fig1);

// ## Figures 2 and 3 · S and d_B per layer, by architecture

var survey = ArchitectureSurveyOptions.ForSize(RunMode.Size);
var runs = ArchitectureSurvey.LoadOrRun(StudySettings.ResultPath("04-survey", ".json"), survey,
    train, test, Console.WriteLine);
AccuracyFloor.Check(runs.Select(r => (r.Architecture, r.TestTop1)), survey.Floors);
var layers = ArchitectureSurvey.TrainedLayers(runs);
var fig2 = StudyCharts.PerLayer(layers, LayerMetric.S, "Srate S per layer by architecture");
saved.Add(Figures.Save(fig2, "fig-architectures-S", style: PaperStyle.DoubleColumn));
display(fig2);

var fig3 = StudyCharts.PerLayer(layers, LayerMetric.BoxDimension,
    "Box dimension d_B per layer by architecture (95 % CI)");
saved.Add(Figures.Save(fig3, "fig-architectures-dB", style: PaperStyle.DoubleColumn));
display(fig3);

// ## Figure 4 · Constrained vs baseline training

var template = StudySettings.ConstraintTemplate(RunMode.Size);
var result = ExperimentRunner.Run(template, StudySettings.ConstraintSeeds(RunMode.Size),
    StudySettings.ResultPath("06-experiment"), (o, resume) =>
{
    using var t = new ClassifierTrainer(o, train, test);
    return t.Run(resume);
});
var curves = ExperimentCurves.Load(result);
var fig4a = StudyCharts.ArmCurves(ExperimentCurves.Aggregate(curves, e => e.TestTop1),
    "Test accuracy, baseline vs constrained (mean ± 1 sd)", "test top-1 accuracy (%)");
var fig4b = StudyCharts.ArmCurves(ExperimentCurves.Aggregate(curves, e => e.S),
    "Srate S on training batches (mean ± 1 sd)", "S (Srate, dimensionless)");
saved.Add(Figures.Save(fig4a, "fig-constrained-accuracy", style: PaperStyle.SingleColumn));
saved.Add(Figures.Save(fig4b, "fig-constrained-S", style: PaperStyle.SingleColumn));
display(fig4a);

display(fig4b);

// ## Where the files went
//
// Every figure as HTML, and as SVG and PNG when Chromium is available to `selfsim run` (otherwise `Note` says how to make
// them later with `selfsim figures render`). Sizes are in kilobytes.

var files = saved.Select(f => new {
    figure = f.Name,
    files = string.Join(", ", new[] { f.Html }.Concat(f.StaticFiles).Select(p =>
        $"{System.IO.Path.GetFileName(p)} ({new System.IO.FileInfo(p).Length / 1024.0:F0} kB)")),
    note = f.Note ?? "" });
display(HTML(Tables.Rows(files, "Figures written")));
display($"folder: {Figures.Folder}");

// ## The sizes by hand
//
// A style is a handful of numbers. Sizes are CSS pixels, 96 to the inch: a single column of 3.5 in is
// $3.5 \times 96 = 336$ px wide, a double column of 7 in is $7 \times 96 = 672$ px. The PNG is rendered at 3× pixel
// density, so a single-column figure is $3 \times 336 = 1008$ px wide, $1008 / 3.5 = 288$ dots per inch at print size
// (the "about 300 dpi" of the introduction). Those numbers by hand, against the layout written into each HTML file:

var inches = new Dictionary<string, double> { ["fig-box-cover"] = 3.5,
    ["fig-architectures-S"] = 7, ["fig-architectures-dB"] = 7,
    ["fig-constrained-accuracy"] = 3.5, ["fig-constrained-S"] = 3.5 };
System.Text.Json.JsonElement WrittenLayout(SavedFigure f)
{
    var html = System.IO.File.ReadAllText(f.Html);
    int at = html.IndexOf("var fig = ") + "var fig = ".Length;
    var json = html[at..html.IndexOf(";\nvar config", at)];
    return System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("layout");
}

var sizes = saved.Select(f => (f, w: inches[f.Name.Replace("-smoke", "")], l: WrittenLayout(f)))
    .Select(t => new { figure = t.f.Name, inches_wide = t.w, px_by_hand = t.w * 96,
        px_in_file = t.l.GetProperty("width").GetInt32(),
        height_px = t.l.GetProperty("height").GetInt32(),
        png_px_by_hand = 3 * t.w * 96, png_dpi_by_hand = 3 * 96 }).ToList();
if (sizes.Any(s => s.px_by_hand != s.px_in_file))
    throw new SelfSimException("a figure's width in its file is not its style's width");
display(HTML(Tables.Rows(sizes, "Figure sizes by hand and as written (HTML layout)")));

// To change the look of every figure at once, pass another style: e.g.
// `PaperStyle.SingleColumn with { FontFamily = "Times New Roman", FontSize = 8 }`, or `PaperStyle.Slide` for talks.

// ## Exercises
//
// 1. Save Figure 1 again with `PaperStyle.SingleColumn with { FontFamily = "Times New Roman", FontSize = 8 }` under
//    another name and read it back with `WrittenLayout`. Which layout fields changed, and which did not?
// 2. Make a slide version of Figure 2 with `PaperStyle.Slide`. How wide is it in pixels, and at how many dots per
//    inch does its PNG show on a slide 13.3 in wide?
// 3. Save the box-cover dendrogram of `lab["blocks.2"]` (notebook 03's `DendrogramChart.Create`) as a single-column
//    figure and add it to the size table. Does its title fit at 3.5 in?

// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is
// (global:: because a chapter may name a local Show or HtmlFragment of its own).
static void display(object value) => global::Show.Display(value);
static global::HtmlFragment HTML(string html) => new(html);
static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
    System.IO.Path.GetDirectoryName(file)!;

// 00-tour: the chapter notebooks/00-tour.ipynb as a file-based app, generated from it by `selfsim export notebooks --to app --out apps`.
// Do not edit: edit the notebook and regenerate (a test fails while this file is stale).
// Run from the checkout: `dotnet run apps/00-tour.cs`; SELFSIM_SIZE=smoke|default|full picks the size,
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

global::Show.StartApp("00-tour", System.IO.Path.Combine(AppFolder(), "../notebooks"));

// SelfSim.csx's own statements (its files are in the #:project library):
NotebookKernel.Prepare();

// # 00 · A tour: self-similarity in a feature network
//
// This collection reproduces and extends *Self-similarity Analysis in Deep Neural Networks* (Ding et al., arXiv 2507.17785).
// This first notebook shows the whole idea on one layer of a small network, in about two minutes on a 2-core machine.
//
// **The feature network of a layer.** Feed B probe images through a trained network and record one layer. Each neuron (or
// channel) is a *node*; its coordinates are its B activations. Two nodes are close when they respond alike; the distance is
// Euclidean divided by $\sqrt{B}$, $d_{ij} = \lVert x_i - x_j \rVert / \sqrt{B}$, so scales compare across probe sizes.
//
// **Box covering.** Cover the nodes with boxes of diameter below $l_B$ and count the boxes $N_B$. If
// $N_B(l_B) \propto l_B^{-d_B}$ over a range of scales, the network looks the same at every magnification: it is
// *self-similar*, with box dimension $d_B$
// (Song, Havlin & Makse, Nature 2005). The paper's measure **Srate (S)** compares the curve with a straight line in
// normalised log coordinates: the smaller S, the closer to a power law (notebook 02 computes it by hand on six
// nodes).
//
// *Run time: smoke 24 s, default 1.8 min, full 2.0 min (2 cores, 24 GB; [timings](../docs/timings.md)).*

// The first two cells load the pinned packages and the shared library. Next, the device: a GPU when libtorch sees one
// (override with `SELFSIM_DEVICE=cpu`), else the CPU. Everything here also runs on a laptop CPU.

var device = Devices.Pick();
display($"{Devices.Describe(device)}; run mode: {RunMode.Name}");

// **The data.** MNIST ships with the repository (`data/mnist`, 60,000 training and 10,000 test digits, 28×28 grey
// levels). The probe images are the first test digits.

var test = Mnist.Load(DataPaths.Default, train: false);
var counts = Enumerable.Range(0, 10).Select(k => test.Labels.eq(k).sum().item<long>()).ToArray();
display($"{test}; test digits per class: {string.Join(", ", counts)}");

// **A trained network.** The residual MLP of the paper (the CPU-scale version: a 784→256 stem and five residual
// blocks of width 256) trains on MNIST; `MlpFeatureLabCache.ForRunSize` trains it (default size: two epochs on
// 30,000 images, about 95 s on a free 2-core machine) and records every block's output on the probe images: 256
// nodes per layer. It checks the test accuracy against a floor of 97% and stops with an error below it, so no picture
// here comes from an untrained network.

var lab = MlpFeatureLabCache.ForRunSize(Console.WriteLine);
display(HTML(Tables.Of(lab, "The trained MLP", digits: 1, labels: new Dictionary<string, string> {
    ["TestTop1"] = "test top-1 accuracy (%)", ["TrainSeconds"] = "training time (s)",
    ["Epochs"] = "epochs", ["TrainSamples"] = "training images",
        ["ProbeSamples"] = "probe images" })));

// **The node distance by hand.** A node's vector is its row of the layer's $[256, B]$ node matrix, and
//
// $$d_{ij} = \sqrt{\frac{1}{B} \sum_{b=1}^{B} (x_{ib} - x_{jb})^2}.$$
//
// Four pairs of neurons of the middle block, by hand from the activations and from the library's distance matrix
// (`NodeMatrix.DistanceArray`, which computes all pairs at once from a float64 Gram matrix); the cell stops if they
// differ:

var feats = lab["blocks.2"].Features;
int B = (int)feats.shape[1], nodes = (int)feats.shape[0];
var v = feats.to(TorchSharp.torch.ScalarType.Float64).data<double>().ToArray();
double ByHand(int i, int j) =>
    Math.Sqrt(Enumerable.Range(0, B).Sum(b => Math.Pow(v[i * B + b] - v[j * B + b], 2)) / B);
var dLibrary = lab["blocks.2"].DistanceArray();
var pairs = new[] { (0, 1), (0, 2), (5, 100), (17, 255) }.Select(p => new {
    i = p.Item1, j = p.Item2, by_hand = ByHand(p.Item1, p.Item2),
    library = dLibrary[p.Item1 * nodes + p.Item2] }).ToList();
double gap = pairs.Max(p => Math.Abs(p.by_hand - p.library));
if (gap > 1e-9) throw new SelfSimException($"distance by hand and DistanceArray differ by {gap}");
display(HTML(Tables.Rows(pairs, $"Node distances in blocks.2 ({B} probe images): by hand and "
    + $"DistanceArray (largest gap {gap:G2})", digits: 6)));

// **Measures of one layer.** Each captured layer is a `NodeMatrix`: its name, the [nodes, probe images] tensor and
// the node distances. `LayerMeasures.OfWithCurves` runs the exact box cover (the reference's `box_edge`) and Srate on
// the middle block and returns one `LayerMeasures` row with both curves. The row gives S, the reference's normalised
// slope with its 95% interval, and the box dimension d_B fitted on log-log axes, once on the exact curve and once on
// Srate's approximate curve. The box cover works in the matrix's precision; S in float32, as the reference does.

var blocks2 = lab["blocks.2"];
var (row, cover, srate) = LayerMeasures.OfWithCurves(blocks2, "mlp",
    index: lab.Layers.ToList().IndexOf(blocks2), layers: lab.Layers.Count);
var labels = new Dictionary<string, string> {
    ["S"] = "S (Srate; 0 = straight)", ["NormalisedSlope"] = "normalised slope",
    ["NormalisedSlopeLow"] = "  95% CI, low", ["NormalisedSlopeHigh"] = "  95% CI, high",
    ["BoxDimension"] = "d_B, exact box cover", ["BoxDimensionLow"] = "  95% CI, low",
    ["BoxDimensionHigh"] = "  95% CI, high", ["FitRSquared"] = "  R² of its fit",
    ["SrateBoxDimension"] = "d_B, Srate's curve", ["SrateBoxDimensionLow"] = "  95% CI, low",
    ["SrateBoxDimensionHigh"] = "  95% CI, high" };
display(HTML(Tables.Of(row, $"Measures of {row.Layer} ({row.Nodes} nodes)", labels: labels)));

// **The first picture.** Dots: the exact box-covering curve, one point per merge of two boxes (read it from the left:
// every node starts in its own box, N_B = n, and boxes merge as the allowed diameter l_B grows, until one box holds
// everything). Solid line: Srate's approximation. Dashed: power-law fits over the *large-box end* of each curve, where
// N_B is between 0.2% and 10% of the nodes (with 256 nodes: between 2 and 25 boxes). That range is the project's one
// fit rule (`BoxDimensionFitter`): it leaves out the small-box end, where boxes hold one or two nodes and the count only
// says how many near-duplicate neurons the layer has.

var picture = BoxCoveringCharts.ExactVsSrate(cover, srate,
    $"Box covering of blocks.2, trained MLP ({lab.TestTop1:F1}% test accuracy)");
display(picture);

// **Look at the shape.** The curve is not one straight line: it starts flat (the first merges join pairs of nearly
// identical neurons at small l_B), then falls ever more steeply. Its local slope on these log-log axes, d_B over a
// window of box counts, grows from the small-box end to the large-box end, as the table below shows. A single power
// law would give the same slope in every window; here the "dimension" depends on the scale you look at, which is why
// every d_B in this collection comes with its fit range and interval, and why the paper's S measures how far the whole
// curve is from straight rather than fitting one slope.

var windows = new[] { (0.5, 1.0), (0.1, 0.5), (0.002, 0.1) };
var slopes = windows.Select(w => (w, BoxDimensionFitter.LogLogByBoxes(cover, w.Item1, w.Item2)))
    .Select(t => new { boxes_share_of_nodes = $"{t.w.Item1 * 100:0.#}% – {t.w.Item2 * 100:0.#}%",
        l_B_from = t.Item2.MinSize, l_B_to = t.Item2.MaxSize, points = t.Item2.Points,
        local_d_B = t.Item2.Dimension });
display(HTML(Tables.Rows(slopes, "Local slope of the exact curve in three windows of box counts",
    digits: 2)));

// **Why Srate's d_B differs from the exact one.** The two curves count different things. The exact cover
// (the reference's `box_edge`, greedy complete linkage) counts real boxes: clusters whose every pair of nodes is closer
// than l_B. Srate never builds boxes. For each of its 256 scales it takes the fraction $C(l)$ of node pairs closer
// than $l$ and maps it onto the box-count axis with
//
// $$N(l) = n - (n - 1)\,\frac{\ln\bigl(1 + (n - 1)\,C(l)\bigr)}{\ln n},$$
//
// which gives n boxes when no pair is close and 1 box when every pair is (the reference's `sfm_loss_d_v2.py`); its
// scales are spaced evenly in $\ln(1 + l)$ between the smallest and largest pair distance (notebook 02 builds it
// step by step). That map is built so that a straight curve in the
// normalised coordinates means S = 0; it is not a box count. In the fit window its curve runs *below* the exact one and
// drops from 25 boxes to 1 over a narrower range of l: the last few percent of far-apart pairs close within a short
// stretch of l, while the exact cover still needs clusters of mutually close nodes. A steeper drop is a larger fitted
// slope, so Srate's "d_B" comes out higher. Use S to compare how self-similar layers are (that is what it was made
// for), and the exact cover's d_B, with its range, as the dimension.

var exactFit = BoxDimensionFitter.LogLogByBoxes(cover);
var srateFit = BoxDimensionFitter.LogLogByBoxes(srate);
var fits = new[] { ("exact box cover", exactFit), ("Srate's curve", srateFit) }
    .Select(t => new { curve = t.Item1, l_B_from = t.Item2.MinSize, l_B_to = t.Item2.MaxSize,
        points = t.Item2.Points, d_B = t.Item2.Dimension });
display(HTML(Tables.Rows(fits, "d_B fitted over the same window (2 boxes to 10% of the nodes)", digits: 2)));

// Saved as a paper figure: `figures/00-tour-box-covering.html`, plus SVG and PNG under `selfsim run` (notebook 07 makes all the
// paper's figures in one style).

var fig = Figures.Save(picture, "00-tour-box-covering", style: PaperStyle.Default);
var written = fig.StaticFiles.Prepend(fig.Html).Select(System.IO.Path.GetFileName);
display(fig.Note ?? string.Join(", ", written));

// ## Exercises
//
// 1. Measure another layer: put `lab["stem"]` in place of `blocks2` in the measures cell. Is its S larger or
//    smaller than the middle block's, and its exact $d_B$?
// 2. Add the window `(0.02, 0.2)` to the local-slope cell. Where does its slope fall between the other three, and
//    what does that say about a single $d_B$ for this curve?
// 3. The distance divides by $\sqrt{B}$. Compute `ByHand(0, 1)` once over the first half of the probe images only
//    (sum over `b < B / 2`, divide by `B / 2`). Is it close to the full value? Would it be without the division?

// **Where next.**
// - **01 · Feature networks**: the distance matrix, threshold graphs at several scales and their degree distributions.
// - **02 · Box covering**: every layer's curve, the fits and their intervals, and checks on objects of known dimension.
// - **03 · Degree distributions**: power-law fits done properly (Clauset, Shalizi & Newman 2009), hierarchy, graph box covering.
// - **04–07**: across architectures, through training, constrained training, and figures for papers.
// - **Measured results** of the long runs (constrained training over seeds, hours on 2 cores), with the commands that
//   made them: [notebooks/measured/](measured/).

// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is
// (global:: because a chapter may name a local Show or HtmlFragment of its own).
static void display(object value) => global::Show.Display(value);
static global::HtmlFragment HTML(string html) => new(html);
static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
    System.IO.Path.GetDirectoryName(file)!;

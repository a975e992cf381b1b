// 01-feature-networks: the chapter notebooks/01-feature-networks.ipynb as a file-based app, generated from it by `selfsim export notebooks --to app --out apps`.
// Do not edit: edit the notebook and regenerate (a test fails while this file is stale).
// Run from the checkout: `dotnet run apps/01-feature-networks.cs`; SELFSIM_SIZE=smoke|default|full picks the size,
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

global::Show.StartApp("01-feature-networks", System.IO.Path.Combine(AppFolder(), "../notebooks"));

// SelfSim.csx's own statements (its files are in the #:project library):
NotebookKernel.Prepare();

// # 01 · Feature networks
//
// A layer's *feature network* has one node per neuron; a node's coordinates are its activations on B probe images, and two
// nodes are at distance $d_{ij} = \lVert x_i - x_j \rVert / \sqrt{B}$ (Ding et al., arXiv 2507.17785). This notebook builds those networks for the residual
// MLP trained on MNIST and looks at them three ways:
//
// 1. the full **distance matrix**, as a heatmap ordered by the box-cover tree;
// 2. **threshold graphs** (an edge where $d_{ij} < l$) at several scales $l$, with their statistics and a picture;
// 3. their **degree distributions** on log-log axes.
//
// *Run time: smoke 16 s, default 12 s, full 11 s (2 cores, 24 GB; [timings](../docs/timings.md)).*

// ## Train and capture
//
// `MlpFeatureLabCache.ForRunSize` gives the CPU-scale residual MLP (784→256 stem, five residual blocks of width 256)
// trained with the project's trainer (AdamW, cosine schedule, as the reference's `main.py`) and every hook point recorded
// on the first test images. It is trained once (by notebook 00, or here when 00 did not run) and then loaded: smoke one
// short epoch on 640 images, default two epochs on 30,000 (at least 97% test accuracy, checked), full three on 60,000.

var lab = MlpFeatureLabCache.ForRunSize(Console.WriteLine);
display(HTML(Tables.Of(lab, "The trained MLP (shared with notebooks 00-03)", digits: 1)));

// The learning curve: training loss and test accuracy per epoch (a smoke run has one row).

var curve = lab.Report.Epochs.Select(e => new {
    epoch = e.Epoch, train_loss = e.TrainLoss, train_top1_pct = e.TrainTop1,
    test_top1_pct = e.TestTop1, seconds = e.Seconds });
display(HTML(Tables.Rows(curve, "Learning curve of the MLP", digits: 3)));

// Each captured layer is a `NodeMatrix`: its name, the tensor of 256 neurons (rows) × B probe images (columns),
// and the node distances, computed once when first asked for. The graphs below are built from those distances.

var shapes = lab.Layers.Select(l => new { layer = l.Name, nodes = l.Nodes,
    probe_images = l.Samples });
display(HTML(Tables.Rows(shapes, "Captured layers: node matrices (neurons × probe images)")));

// ## The distance matrix
//
// Take the middle block. The exact box cover (the reference's `box_edge`, i.e. complete linkage) merges nodes into ever larger
// boxes; its merge tree gives a leaf order in which similar neurons sit side by side. Ordered that way, the distance matrix
// shows blocks along the diagonal: groups of neurons that respond alike, nested inside larger groups. Nested blocks at every
// size are what self-similarity looks like in this picture.

var layer = lab["blocks.2"];
int n = layer.Nodes;
var d = layer.DistanceArray();
var cover = BoxCover.FromDistances(d, n);
var tree = Dendrogram.FromMerges(n, cover.Merges.Select((m, k) => (m.I, m.J,
    cover.BoxSizes[k])).ToList());
display($"{n} nodes; distances from {d.Where(v => v > 0).Min():G3} to {d.Max():G3}");

display(DistanceHeatmap.Create(d, n, tree.LeafOrder,
    "Node distances in blocks.2, ordered by the box-cover tree (Euclidean/√B)"));

// For contrast, the same matrix in the neurons' original order: the structure is there, but invisible.

display(DistanceHeatmap.Create(d, n, null,
    "Node distances in blocks.2, original neuron order (Euclidean/√B)"));

// ## Threshold graphs at several scales
//
// A threshold graph joins two nodes when their distance is below $l$: edges $\{(i, j) : d_{ij} < l\}$, every node
// kept, isolated or not (`layer.ThresholdGraph(l)`). Its local clustering $C_v = 2T_v / (k_v(k_v - 1))$ is the
// share of a node's $k_v$ neighbours that are linked to each other ($T_v$ triangles through $v$; 0 when
// $k_v < 2$).
//
// **By hand, on five nodes** with two coordinates each: a group of three and a pair, far apart. At $l = 0.45$ node 0
// links to 1 and 2, and 3 to 4; at $l = 0.55$ the pair 1–2 ($d_{12} = 0.51$) joins too and closes a triangle.

double[,] q = { { 0.0, 0.0 }, { 0.4, 0.0 }, { 0.0, 0.6 }, { 2.0, 2.0 }, { 2.2, 2.4 } };
double Dq(int i, int j) => Math.Sqrt((Math.Pow(q[i, 0] - q[j, 0], 2)
    + Math.Pow(q[i, 1] - q[j, 1], 2)) / 2);
List<(int U, int V)> EdgesByHand(double l) => (from i in Enumerable.Range(0, 5)
    from j in Enumerable.Range(i + 1, 4 - i) where Dq(i, j) < l select (i, j)).ToList();
int[] Neighbours(List<(int U, int V)> e, int v) =>
    e.Where(x => x.U == v || x.V == v).Select(x => x.U == v ? x.V : x.U).ToArray();
double ClusteringByHand(List<(int U, int V)> e, int v)
{
    var nb = Neighbours(e, v);
    int links = e.Count(x => nb.Contains(x.U) && nb.Contains(x.V));
    return nb.Length < 2 ? 0 : 2.0 * links / (nb.Length * (nb.Length - 1));
}
display($"d(0,1) = {Dq(0, 1):F3}, d(0,2) = {Dq(0, 2):F3}, d(1,2) = {Dq(1, 2):F3}, d(3,4) = {Dq(3, 4):F3}");

// The same five nodes as a `NodeMatrix`, and the library's graph and statistics at both scales; the cell stops
// if any of them differs from the hand-built one:

var five = NodeMatrix.FromTensor("five", TorchSharp.torch.tensor(q));
string Show(IEnumerable<(int U, int V)> e) => string.Join(", ", e.Select(x => $"{x.U}–{x.V}"));
var byHand01 = new[] { 0.45, 0.55 }.Select(l => {
    var e = EdgesByHand(l);
    var g5 = five.ThresholdGraph(l);
    var stats = FeatureGraphScan.Describe(g5, l, e.Count / 10.0);
    return new { l, edges_by_hand = Show(e), edges_library = Show(g5.Edges()),
        degrees_by_hand = string.Join(" ", Enumerable.Range(0, 5)
            .Select(v => Neighbours(e, v).Length)),
        degrees_library = string.Join(" ", g5.DegreeSequence()),
        clustering_by_hand = Enumerable.Range(0, 5).Average(v => ClusteringByHand(e, v)),
        clustering_library = stats.AverageClustering };
}).ToList();
if (byHand01.Any(r => r.edges_by_hand != r.edges_library || r.degrees_by_hand != r.degrees_library
    || Math.Abs(r.clustering_by_hand - r.clustering_library) > 1e-12))
    throw new SelfSimException("the threshold graph by hand and ThresholdGraph differ");
display(HTML(Tables.Rows(byHand01, "Five-node threshold graphs: by hand and NodeMatrix.ThresholdGraph")));

// **On the real layer.** Rather than pick $l$ by hand, pick the fraction of node pairs it connects: 1%, 2%, 5%,
// 10%, 20%. Watch how the graph goes from many small pieces (Components, Isolated) towards one giant component
// (LargestComponentFraction), and compare AverageClustering with PairFraction: in a random graph of the same
// density the clustering would be about the pair fraction itself; much higher means close neighbours of a node are
// close to each other.

var fractions = new[] { 0.01, 0.02, 0.05, 0.1, 0.2 };
var scales = FeatureGraphScan.ScalesAtPairFractions(d, n, fractions);
var scan = FeatureGraphScan.Run(d, n, scales);
display(HTML(Tables.Of(scan, "Threshold graphs of the layer at five pair fractions")));

// A picture of the 2% graph: each neuron placed at its first two principal components (of its activation vector), coloured
// by degree (dark: few links, yellow: many). Densely linked groups sit in the crowded regions; the periphery is sparse.

var (px, py) = FeatureGraphScan.PrincipalPlane(layer.Features);
var g2 = layer.ThresholdGraph(scales[1]);
display(FeatureGraphScan.Picture(g2, px, py,
    $"blocks.2 threshold graph at l = {scales[1]:G3} ({fractions[1]:P0} of pairs linked)"));

// ## Degree distributions
//
// The complementary CDF $P(K \ge k)$ on log-log axes, one curve per scale. A power-law degree distribution would be a straight
// line; here the curves bend down, which is why notebook 03 tests the power law against alternatives rather than eyeballing
// a slope.

display(DegreeCharts.Ccdf(scales.Select((l, i) => ($"l = {l:G3} ({fractions[i]:P0} of pairs)",
    layer.ThresholdGraph(l).DegreeSequence())),
    "Degree distributions of blocks.2 threshold graphs"));

// Across depth at one pair fraction (5%): does the shape of the degree distribution change from the stem to the last
// block?

display(DegreeCharts.Ccdf(lab.Layers.Select(L =>
    (L.Name, L.ThresholdGraphAtPairFraction(0.05).Graph.DegreeSequence())),
    "Degree distributions per layer, threshold at 5% of pairs"));

// **What to take away.** The feature network is not a random cloud: ordered by the box-cover tree, distances form nested
// blocks; threshold graphs are clustered and heterogeneous in degree. Whether that structure is *self-similar* — the same
// at every scale — is the question of notebook 02 (box covering and d_B) and 03 (power laws and hierarchy).

// ## Exercises
//
// 1. In the five-node cell, move node 4 to `{ 0.3, 0.3 }`. At which scale does it join the group, and what is the
//    average clustering at $l = 0.55$ then? Check your answer against the library row.
// 2. Build the layer's k-nearest-neighbour graph instead (`layer.KNearestGraph(10)`) and describe it with
//    `FeatureGraphScan.Describe(g, 0, 0)`. How do its Isolated and AverageClustering compare with the 5% threshold
//    graph?
// 3. Draw the degree distributions of the stem and the last block at 2% of pairs in one chart (`DegreeCharts.Ccdf`).
//    Which one has the heavier tail?

// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is
// (global:: because a chapter may name a local Show or HtmlFragment of its own).
static void display(object value) => global::Show.Display(value);
static global::HtmlFragment HTML(string html) => new(html);
static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
    System.IO.Path.GetDirectoryName(file)!;

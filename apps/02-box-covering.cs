// 02-box-covering: the chapter notebooks/02-box-covering.ipynb as a file-based app, generated from it by `selfsim export notebooks --to app --out apps`.
// Do not edit: edit the notebook and regenerate (a test fails while this file is stale).
// Run from the checkout: `dotnet run apps/02-box-covering.cs`; SELFSIM_SIZE=smoke|default|full picks the size,
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
using TorchSharp;

global::Show.StartApp("02-box-covering", System.IO.Path.Combine(AppFolder(), "../notebooks"));

// SelfSim.csx's own statements (its files are in the #:project library):
NotebookKernel.Prepare();

// # 02 · Box covering and fractal dimension
//
// Box covering counts how many boxes of diameter below $l_B$ it takes to cover a network: $N_B(l_B)$. A self-similar
// network has $N_B \propto l_B^{-d_B}$ over a range of scales, with box dimension $d_B$ (Song, Havlin & Makse 2005).
// This notebook
//
// 1. computes every layer's curve, **exact** (the reference's greedy box cover, `draw_NLL.box_edge`) and **approximate**
//    (Srate's smooth curve from pair fractions, `sfm_loss_d_v2.py`);
// 2. fits it two ways, each with a 95% interval: the reference's **normalised slope** (in $x = \ln(1+l_B)/\max\ln(1+l_B)$,
//    $y = \ln N_B/\ln n$) and the **box dimension $d_B$** on plain log-log axes;
// 3. **validates** the estimators on graphs and point sets whose dimension is known.
//
// *Run time: smoke 23 s, default 38 s, full 31 s (2 cores, 24 GB; [timings](../docs/timings.md)).*

// ## Box covering by hand, on ten points
//
// Before the library, the idea on a case small enough to follow. A **box** is a set of nodes; its size $l_B$ is the
// largest distance between two of its nodes. Start with one box per node ($N_B = n$ at $l_B = 0$). Then, again and again,
// merge the two boxes whose union is smallest, and write down the size of the new box and how many boxes are left.
// That list of $(l_B, N_B)$ pairs is the box-covering curve. Ten points in the plane: two loose groups and two stragglers. The node distance is the library's,
// $d_{ij} = \lVert x_i - x_j \rVert / \sqrt{B}$ with $B = 2$ coordinates.

double[][] p =
{
    new[] { 0.0, 0.0 }, new[] { 0.3, 0.1 }, new[] { 0.1, 0.45 }, new[] { 0.55, 0.5 },
    new[] { 3.0, 3.0 }, new[] { 3.2, 2.7 }, new[] { 2.8, 3.45 }, new[] { 3.6, 3.3 },
    new[] { 1.5, 4.6 }, new[] { 6.1, 0.7 },
};
int n = p.Length;
// The library's node distance: Euclidean, divided by √(number of coordinates).
double Dist(int i, int j) => Math.Sqrt(p[i].Zip(p[j], (a, b) => (a - b) * (a - b)).Sum() / 2);
display($"d(0, 1) = {Dist(0, 1):F4}");

// The size of the union of two boxes $A$ and $B$ is their farthest cross pair,
// $\max_{i \in A,\, j \in B} d_{ij}$ (complete linkage): every pair inside either box
// is already closer, because smaller boxes were merged first.

var boxes = Enumerable.Range(0, n).Select(i => new List<int> { i }).ToList();
double Union(List<int> a, List<int> b) => a.SelectMany(i => b.Select(j => Dist(i, j))).Max();
var byHand = new List<(double LB, int NB)>();
while (boxes.Count > 1)
{
    var (a, b) = (from i in Enumerable.Range(0, boxes.Count)
                  from j in Enumerable.Range(i + 1, boxes.Count - i - 1)
                  orderby Union(boxes[i], boxes[j])
                  select (i, j)).First();
    double lB = Union(boxes[a], boxes[b]);
    boxes[a].AddRange(boxes[b]);
    boxes.RemoveAt(b);
    byHand.Add((lB, boxes.Count));
}
display(HTML(Tables.Of(byHand.Select(m => new { l_B = m.LB, N_B = m.NB }).ToList(),
    "Box cover by hand: each merge's box size l_B and the boxes N_B left", digits: 4)));

// Read the table from the top: the first merges join close neighbours inside a group (small l_B), the last ones
// join the groups and the stragglers (large l_B). The library computes the same sequence, in O(n²) time instead of the
// O(n³) of this loop. Its answer should match ours to float32 rounding:

var cover = BoxCover.Compute(p.SelectMany(v => v.Select(c => (float)c)).ToArray(), n, 2);
var library = cover.Curve.ToList();
display(HTML(Tables.Of(new
{
    Merges = library.Count,
    LargestDifference = byHand.Zip(library, (h, c) => Math.Abs(h.LB - c.BoxSize)).Max(),
    SameCounts = byHand.Select(h => h.NB).SequenceEqual(library.Select(c => c.Boxes)),
}, "The hand-built cover against BoxCover.Compute")));

// A self-similar set gives a straight stretch of $\ln N_B$ against $\ln l_B$, and its slope is $-d_B$. Ten points are far
// too few for a straight stretch; the layers below have hundreds of nodes.

// ## Srate by hand, on six nodes
//
// The exact cover builds boxes. The paper's own measure, **Srate** ($S$), never does: it counts node pairs, which is
// cheap and has a gradient, so it can steer training (notebook 06). With $n$ nodes, pair distances $d_{ij}$, the
// smallest $T_Z$ and the largest $T_V$, it takes $K = 256$ scales spaced evenly in $\ln(1+l)$,
//
// $$l_k = (1+T_Z)\left(\frac{1+T_V}{1+T_Z}\right)^{k/(K-1)} - 1, \qquad k = 0, \dots, K-1,$$
//
// counts the fraction $\rho(l)$ of the $n(n-1)/2$ pairs strictly closer than $l$, and turns it into a box count
//
// $$N_B(l) = n - (n-1)\,\frac{\ln\bigl(1 + (n-1)\,\rho(l)\bigr)}{\ln n},$$
//
// which is $n$ when no pair is close and 1 when every pair is. In the normalised coordinates of the reference a
// power law is the straight chord from $(0, 1)$ to $(1, 0)$,
// $c(l) = 1 - \dfrac{\ln(1+l) - \ln(1+T_Z)}{\ln(1+T_V) - \ln(1+T_Z)}$, and $S$ is twice the mean gap between the
// curve and the chord:
//
// $$S = \frac{2}{K}\sum_{k=0}^{K-1} \left| c(l_k) - \frac{\ln N_B(l_k)}{\ln n} \right|.$$
//
// $S = 0$ is a straight curve. (The reference: `sfm/sfm_loss_d_v2.py`, `compute_mse_sim_loss`.) Six nodes with four
// coordinates each: a group of three, a pair, and a far node, on multiples of 0.5 so that the smallest and largest
// distances (0.5 and 4) are exact in floating point.

double[,] x6 =
{
    { 0.0, 0.0, 0.0, 0.0 }, { 0.5, 0.5, 0.5, 0.5 }, { 1.0, 1.0, 0.0, 0.0 },
    { 2.0, 2.0, 2.0, 2.0 }, { 3.0, 3.0, 2.0, 2.0 }, { 4.0, 4.0, 4.0, 4.0 },
};
int n6 = 6, b6 = 4, K = Srate.DefaultScales;
double D6(int i, int j) =>
    Math.Sqrt(Enumerable.Range(0, b6).Sum(c => Math.Pow(x6[i, c] - x6[j, c], 2)) / b6);
var d6 = (from i in Enumerable.Range(0, n6) from j in Enumerable.Range(i + 1, n6 - i - 1)
          select D6(i, j)).ToArray();
double tz = d6.Min(), tv = d6.Max();
var ls = Enumerable.Range(0, K)
    .Select(k => (1 + tz) * Math.Pow((1 + tv) / (1 + tz), k / (K - 1.0)) - 1).ToArray();
double Rho(double l) => d6.Count(v => v < l) / (double)d6.Length;
double Nb(double l) => n6 - (n6 - 1) * Math.Log(1 + (n6 - 1) * Rho(l)) / Math.Log(n6);
double Chord(double l) =>
    1 - (Math.Log(1 + l) - Math.Log(1 + tz)) / (Math.Log(1 + tv) - Math.Log(1 + tz));
double sByHand = 2.0 / K * ls.Sum(l => Math.Abs(Chord(l) - Math.Log(Nb(l)) / Math.Log(n6)));
display($"{d6.Length} pairs, T_Z = {tz:G4}, T_V = {tv:G4}; S by hand = {sByHand:F6}");

// Now the library. `Srate.Measure` takes the $[n, B]$ node matrix (here in float64, so that it decides "closer
// than $l$" in the same precision as the loop above) and returns $S$ with the curve behind it. Nine of the 256 scales:

var lib6 = Srate.Measure(torch.tensor(x6, dtype: torch.float64));
var srateRows = new[] { 0, 32, 64, 96, 128, 160, 192, 224, 255 }.Select(k => new {
    k, l_k = ls[k], pairs_closer = d6.Count(v => v < ls[k]),
    rho_by_hand = Rho(ls[k]), rho_library = lib6.PairFraction[k],
    N_B_by_hand = Nb(ls[k]), N_B_library = lib6.BoxCount[k] });
display(HTML(Tables.Rows(srateRows, "Srate's curve by hand and from Srate.Measure (6 nodes)")));

double rhoGap = ls.Select((l, k) => Math.Abs(Rho(l) - lib6.PairFraction[k])).Max();
double sGap = Math.Abs(sByHand - lib6.S);
if (rhoGap > 1e-12 || sGap > 1e-9)
    throw new SelfSimException($"Srate by hand and Srate.Measure differ: S gap {sGap}");
display(HTML(Tables.Of(new { S_by_hand = sByHand, S_library = lib6.S, S_difference = sGap,
    largest_rho_difference_over_256_scales = rhoGap, T_Z = lib6.MinDistance,
    T_V = lib6.MaxDistance }, "S by hand against Srate.Measure", digits: 6)));

// The two agree at every scale, so the library's fast path (bucketing each distance among the scales instead of
// comparing it with all 256) computes the formula above. Read the table from the top: at $l_0 = T_Z$ no pair is
// *strictly* closer, so $N_B = n = 6$; each time $l$ passes a pair distance, $\rho$ steps up by $1/15$ and $N_B$
// drops; at the last scale the farthest pair is still not strictly closer than $T_V$, so $N_B$ stays just above 1.
// On a real layer the library works in float32, as the reference does, and replays the reference's float32
// decisions for pairs that sit within rounding of a scale.

// ## Every layer of the trained MLP

var lab = MlpFeatureLabCache.ForRunSize(Console.WriteLine);
display(HTML(Tables.Of(lab, "The trained MLP (shared with notebooks 00-03)", digits: 1)));

// One row per layer. **S** is Srate (smaller: closer to a power law). **slope** is the reference's fitted slope in
// normalised coordinates, with its 95% interval in **slope_95_CI**. **d_B** is $d_B$ from the exact curve over the merges
// that leave between 0.2% and 10% of the nodes as boxes (the large-box regime), with its 95% interval in **d_B_95_CI**;
// **d_B_Srate** (and its interval) is the same fit on Srate's approximate curve.

var measured = lab.Layers
    .Select((m, i) => LayerMeasures.OfWithCurves(m, "mlp", i, lab.Layers.Count)).ToList();
var rows = measured.Select(m => m.Row).Select(r => new {
    layer = r.Layer, S = r.S, slope = r.NormalisedSlope.Value,
    slope_95_CI = $"[{r.NormalisedSlope.Lower:F3}, {r.NormalisedSlope.Upper:F3}]",
    d_B = r.BoxDimension.Value,
    d_B_95_CI = $"[{r.BoxDimension.Lower:F2}, {r.BoxDimension.Upper:F2}]",
    d_B_Srate = r.SrateBoxDimension.Value,
    d_B_Srate_95_CI = $"[{r.SrateBoxDimension.Lower:F2}, {r.SrateBoxDimension.Upper:F2}]" });
display(HTML(Tables.Rows(rows,
    "Per layer: S, normalised slope and d_B (exact and Srate) with 95% intervals")));

// The exact curves of all layers. Points far to the left are merges of near-identical neurons. Compare the middle parts:
// straight, parallel stretches would mean one d_B shared by all layers; the d_B column above says how close they come.

display(BoxCoveringCharts.Layers(measured.Select(m => (m.Row.Layer, m.Cover)),
    "Exact box-covering curves per layer (MLP on MNIST)"));

// Exact against approximate on one layer. Srate's curve is smooth because it counts node pairs closer than l rather than
// merging boxes; it tracks the exact curve's shape, not its exact values — so its d_B is a different number, and the two should
// not be compared across methods, only across layers or models with the same method.

var mid = measured[measured.Count / 2];
display(BoxCoveringCharts.ExactVsSrate(mid.Cover, mid.Srate,
    $"{mid.Row.Layer}: exact box cover and the Srate approximation"));

// The reference's normalised view: both axes scaled to [0, 1] ($x$ by the largest $\ln(1+l_B)$, $y$ by $\ln n$). The paper compares
// layers by this slope; a straight line here is the same statement as a straight log-log curve, made comparable across layer
// widths.

display(BoxCoveringCharts.Normalised(measured.Select(m => (m.Row.Layer, m.Cover.NormalisedFit())),
    "Normalised box-covering curves and fitted lines per layer"));

// ## Validation: objects of known dimension
//
// An estimator earns trust by recovering known answers. Two kinds of object:
//
// - **Graphs** with hop distances, covered by the classical methods of Song, Gallos, Havlin & Makse (2007): greedy colouring
//   (GC), maximum excluded mass burning (MEMB) and compact box burning (CBB). The (u,v)-flowers (Rozenfeld, Havlin &
//   ben-Avraham 2007) have $d_B = \ln(u+v)/\ln u$; a square lattice has $d_B = 2$.
// - **Point sets** with Euclidean distances, covered by the exact box cover used on feature networks: points on a line (1),
//   the Sierpinski triangle ($\ln 3/\ln 2$), a square (2) and a cube (3).
//
// Each row gives the Estimate, its 95% interval [Lower, Upper], the Error (estimate − known) and whether the interval
// Covered the known value; for graphs, Range is the box sizes the fit used.

var gen = RunMode.Pick(smoke: 5, @default: 6, full: 6);
var side = RunMode.Pick(smoke: 40, @default: 64, full: 64);
var graphs = new (string Name, CsrGraph G, double Known)[]
{
    ($"(2,2)-flower, generation {gen}", FlowerGraph.Create(2, 2, gen),
        FlowerGraph.BoxDimension(2, 2)),
    ($"(2,3)-flower, generation {gen - 1}", FlowerGraph.Create(2, 3, gen - 1),
        FlowerGraph.BoxDimension(2, 3)),
    ("square lattice (torus)", LatticeGraph.Create(side, side, periodic: true),
        2.0),
};
var graphChecks = graphs.Select(x => DimensionValidation.Graph(x.Name, x.G, x.Known)).ToList();
display(HTML(Tables.Of(graphChecks.SelectMany(c => c.Rows).Select(r => new { r.Object, r.Nodes, r.Method,
    r.Known, r.Estimate, r.Error, r.Covered, r.Range }).ToList(),
    "Graphs of known dimension: d_B per method, with its 95% interval")));

// The flowers' curves, with the known slope drawn through the first method's fit range. Compare each method's slope
// with the dashed line. On the (2,3)-flower the methods fall short of ln 5/ln 2, for two measured reasons
// ([docs/cli-json.md](../docs/cli-json.md), `graph boxcover`): greedy covers hold 20–40% more boxes than the true
// minimum at middle sizes (GC's tabu-search step wins part of that back, which brings GC within about 7% at the
// default size), and even the exact minimum counts bend on a graph of a few thousand nodes (a finite-size effect:
// the asymptotic slope needs more generations than a laptop-sized graph has).

display(DimensionValidation.GraphCurves(graphChecks[0].Covers, $"Box covering of the {graphs[0].Name}",
    graphs[0].Known));

display(DimensionValidation.GraphCurves(graphChecks[1].Covers, $"Box covering of the {graphs[1].Name}",
    graphs[1].Known));

// Point sets. Two fitting ranges for each: the default (boxes leaving 0.2%–10% of the points) and large boxes only (0.5%–5%).
// Read the Error column: the estimates keep the order of the known dimensions but fall below them, more so the higher the
// dimension: a few thousand points fill a cube far more sparsely than a line, so even large boxes see few points per side.
// Fits that reach down to small boxes (N_B near n) would be lower still, because there boxes merge at nearest-neighbour
// distances, whose statistics are not the set's geometry. The same caution applies to feature networks: report the range with d_B.

var pts = RunMode.Pick(smoke: 600, @default: 2000, full: 2000);
var sets = new[] {
    KnownDimensionSets.Line(pts, 1), KnownDimensionSets.SierpinskiTriangle(pts, 1),
    KnownDimensionSets.Square(pts, 1), KnownDimensionSets.Cube(pts, 1) };
var pointChecks = sets.Select(s => DimensionValidation.PointSet(s)).ToList();
display(HTML(Tables.Of(pointChecks.SelectMany(c => c.Rows).Select(r => new { r.Object, r.Nodes, r.Method,
    r.Known, r.Estimate, r.Error, r.Covered }).ToList(),
    "Point sets of known dimension: d_B from the exact box cover, with its 95% interval")));

display(BoxCoveringCharts.Layers(sets.Zip(pointChecks, (s, c) => ($"{s.Name} (d = {s.Dimension:F2})",
    c.Cover)), "Exact box-covering curves of point sets of known dimension"));

// For reference, the feature layers' d_B over the same large-box range (0.5%–5% of the nodes; with 256 nodes that is only a
// handful of merges, hence the wide intervals):

var narrow = measured.Select(m => (m.Row.Layer, Fit: BoxDimensionFitter.LogLogByBoxes(m.Cover,
    0.005, 0.05)))
    .Select(t => new { layer = t.Layer, d_B = t.Fit.Dimension,
        points = t.Fit.Points });
display(HTML(Tables.Rows(narrow, "Feature layers: d_B over 0.5%–5% of the nodes (95% interval)",
    digits: 2)));

// **What to take away.** The tables say how far each estimator lands from the known value at these sizes: the graph
// methods come closest on the (2,2)-flower and the lattice; on the (2,3)-flower GC comes closest and MEMB and CBB fall
// further short; the exact box cover recovers point-set dimensions in their order but below their values, and the gap
// grows with the dimension. d_B is therefore a range-dependent number: compare it across layers and models with one
// method and one range, as the tables above do.

// ## Exercises
//
// 1. In the six-node Srate cell, move the far node from `{ 4, 4, 4, 4 }` to `{ 8, 8, 8, 8 }`. Which of $T_Z$, $T_V$ and
//    $S$ change, and why does the first row of the curve table not?
// 2. Run the by-hand Srate with $K = 16$ scales instead of 256 (replace `K` in the first cell and pass `scales: 16` to
//    `Srate.Measure`). How far does $S$ move? At how many scales does $\rho$ change between neighbours?
// 3. Fit $d_B$ on the feature layers with `BoxDimensionFitter.LogLogByBoxes(m.Cover, 0.02, 0.2)` (2%–20% of the nodes) and
//    compare with the table's d_B column: is the order of the layers the same?

// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is
// (global:: because a chapter may name a local Show or HtmlFragment of its own).
static void display(object value) => global::Show.Display(value);
static global::HtmlFragment HTML(string html) => new(html);
static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
    System.IO.Path.GetDirectoryName(file)!;

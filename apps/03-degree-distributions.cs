// 03-degree-distributions: the chapter notebooks/03-degree-distributions.ipynb as a file-based app, generated from it by `selfsim export notebooks --to app --out apps`.
// Do not edit: edit the notebook and regenerate (a test fails while this file is stale).
// Run from the checkout: `dotnet run apps/03-degree-distributions.cs`; SELFSIM_SIZE=smoke|default|full picks the size,
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

global::Show.StartApp("03-degree-distributions", System.IO.Path.Combine(AppFolder(), "../notebooks"));

// SelfSim.csx's own statements (its files are in the #:project library):
NotebookKernel.Prepare();

// # 03 · Degree distributions, power laws and hierarchy
//
// Self-similar networks are often *scale-free* (a power-law degree distribution) and *hierarchical* (clustering that falls
// with degree as $C(k) \propto k^{-\beta}$). A straight-looking line on log-log axes proves neither, so this notebook tests properly:
//
// 1. **Power-law fits** by maximum likelihood with x_min chosen by the Kolmogorov–Smirnov distance, a bootstrap goodness-of-fit
//    p-value, and likelihood-ratio tests against the log-normal, exponential and truncated power law (Clauset, Shalizi &
//    Newman, SIAM Review 2009) — first calibrated on a classic data set, then on feature graphs;
// 2. **Hierarchy**: the box-cover dendrogram and C(k) with its fit (Ravasz & Barabási 2003);
// 3. **Classical graph box covering** of the feature graph: greedy colouring, MEMB and CBB (Song et al. 2007).
//
// *Run time: smoke 15 s, default 16 s, full 9 s (2 cores, 24 GB; [timings](../docs/timings.md)).*

// ## Calibration on a classic data set
//
// Word frequencies in *Moby Dick* (18,855 distinct words), one of the data sets of Clauset, Shalizi & Newman, shipped in
// `tests/fixtures/powerlaw`. Their README lists the published fit (igraph/plfit) to compare with the row below.

var words = PowerLawFitter.ReadData("../tests/fixtures/powerlaw/words.txt");
var wordsFit = PowerLawFitter.Fit(words);
display(HTML(Tables.Of(wordsFit, "Power-law fit of the word frequencies (words.txt)")));

// **$\hat\alpha$ by hand.** The table's Alpha is the maximum-likelihood exponent $\hat\alpha$ over the TailCount
// values $x_i \ge x_{\min}$ (Xmin). For a continuous power law,
// $p(x) = \frac{\alpha - 1}{x_{\min}} \left(\frac{x}{x_{\min}}\right)^{-\alpha}$, it has a closed form (CSN eq. 3.1),
// with standard error $(\hat\alpha - 1)/\sqrt{n}$:
//
// $$\hat\alpha = 1 + n \left[\sum_{i=1}^{n} \ln \frac{x_i}{x_{\min}}\right]^{-1}.$$
//
// Word counts are integers, so the fitter used the discrete law $p(x) = x^{-\alpha} / \zeta(\alpha, x_{\min})$, whose
// maximum has no closed form (it is found numerically, with the Hurwitz zeta function $\zeta$). CSN's approximation
// (eq. 3.7) replaces $x_{\min}$ by $x_{\min} - \tfrac12$ in the formula above. Both by hand, at the fitter's $x_{\min}$,
// against `PowerLawFitter.Fit` (the continuous row with `PowerLawKind.Continuous` and the same `xmin`):

double xmin = wordsFit.Xmin;
var tail = words.Where(v => v >= xmin).ToArray();
double alphaHand = 1 + tail.Length / tail.Sum(v => Math.Log(v / xmin));
double alphaHalf = 1 + tail.Length / tail.Sum(v => Math.Log(v / (xmin - 0.5)));
var continuous = PowerLawFitter.Fit(words, PowerLawKind.Continuous, xmin: xmin);
if (Math.Abs(alphaHand - continuous.Alpha) > 1e-9 || tail.Length != continuous.TailCount)
    throw new SelfSimException(
        $"α by hand ({alphaHand}) and PowerLawFitter ({continuous.Alpha}) differ");
if (Math.Abs(alphaHalf - wordsFit.Alpha) > 0.01)
    throw new SelfSimException(
        $"CSN's approximation ({alphaHalf}) is far from the MLE ({wordsFit.Alpha})");
double seHand = (alphaHand - 1) / Math.Sqrt(tail.Length);
display(HTML(Tables.Rows(new[] {
    new { law = "continuous", formula = "1 + n / Σ ln(x / x_min)", alpha_by_hand = alphaHand,
        alpha_fitter = continuous.Alpha, std_error_fitter = continuous.AlphaStdError },
    new { law = "discrete", formula = "≈ 1 + n / Σ ln(x / (x_min − ½))", alpha_by_hand = alphaHalf,
        alpha_fitter = wordsFit.Alpha, std_error_fitter = wordsFit.AlphaStdError } },
    $"α̂ by hand and from PowerLawFitter.Fit (x_min = {xmin}, n = {tail.Length}; "
    + $"continuous std error by hand {seHand:F4})", digits: 4)));

// The continuous row agrees to rounding: the fitter's continuous branch is this formula. The discrete row's
// approximation lands within a few thousandths of the exact discrete maximum (the cell checks 0.01), as CSN
// promise for $x_{\min}$ of about 6 or more; the fitter keeps the exact one. What the formula cannot give is $x_{\min}$: the fitter tries every candidate
// and keeps the one whose fit has the smallest Kolmogorov–Smirnov distance
// $D = \max_{x \ge x_{\min}} |F_{\text{data}}(x) - F_{\text{fit}}(x)|$ (KsDistance).

// Likelihood-ratio tests on the same tail: $\mathcal{R} = \sum_i \ln \frac{p_{\text{power}}(x_i)}{p_{\text{alt}}(x_i)}$
// (log_likelihood_ratio). For the log-normal and the exponential, normalised_ratio is $\mathcal{R}/(\sigma\sqrt{n})$ and
// p is Vuong's two-sided p-value; the truncated power law contains the power law, so its p comes from Wilks' $\chi^2_1$
// on $2|\mathcal{R}|$. The published analysis finds the exponential clearly worse and the log-normal
// indistinguishable from the power law; the log-normal's $\mathcal{R}$ can differ from published numbers because its likelihood is flat
// along a ridge ($\mu \to -\infty$), while the verdict (inconclusive) is the same.

var lr = PowerLawComparisons.All(words, wordsFit).Select(c => new { alternative = c.Alternative,
    log_likelihood_ratio = c.LogLikelihoodRatio, normalised_ratio = c.NormalizedRatio, p = c.P,
    favoured = c.Favoured });
display(HTML(Tables.Rows(lr,
    "Power law against alternatives (Moby Dick words; R > 0 favours the power law)")));

display(DegreeCharts.CcdfWithFit(words, wordsFit, "Moby Dick word frequencies",
    "Calibration: word frequencies and their power-law fit", "occurrences of a word (count)"));

// ## The feature graph
//
// Take the trained MLP of notebook 00 (at least 97% test accuracy at the default size), its middle block, and link the
// 5% closest node pairs (see notebook 01 for other scales).

var lab = MlpFeatureLabCache.ForRunSize(Console.WriteLine);
var layer = lab["blocks.2"];
int n = layer.Nodes;
var d = layer.DistanceArray();
var (g, l) = layer.ThresholdGraphAtPairFraction(0.05);
display(HTML(Tables.Of(FeatureGraphScan.Describe(g, l, 0.05),
    "Threshold graph of blocks.2 at 5% of pairs")));

// **The power-law fit.** The same columns as for the words: Alpha is $\hat\alpha$, Xmin is $x_{\min}$ where the
// power-law tail starts, TailCount how many nodes lie in it, and KsDistance the largest gap $D$ between the fitted and
// empirical CDFs. With a few hundred nodes the tail is short (Warning says so below 50): read Alpha with its
// AlphaStdError. `minTail: 30` lets the fitter consider tails down to 30 nodes.

var degrees = g.DegreeSequence().Select(k => (double)k).ToArray();
var fit = PowerLawFitter.Fit(degrees, minTail: 30);
display(HTML(Tables.Of(fit, "Power-law fit of the feature-graph degrees")));

// **Is the power law plausible?** The bootstrap draws synthetic data sets from the fit (with the empirical body below
// x_min), refits each, and reports the fraction whose KS distance exceeds the observed one. p ≤ 0.1 rules the power law out
// (CSN section 4).

var replicates = RunMode.Pick(smoke: 40, @default: 500, full: 500);
var gof = PowerLawBootstrap.Run(degrees, fit, replicates: replicates, seed: 1);
display(HTML(Tables.Of(new { p = gof.P, replicates = gof.Replicates, observed_KS = gof.ObservedKs,
    plausible = gof.Plausible }, "Goodness of fit: bootstrap p (plausible when p ≥ 0.1)")));

// **Is something else better?** Each row compares the power law with an alternative on the same tail: $\mathcal{R}$ (log_likelihood_ratio) > 0
// favours the power law, $\mathcal{R} < 0$ the alternative, and p says whether the sign is significant (p > 0.1: the data cannot tell them apart).

var lr_2 = PowerLawComparisons.All(degrees, fit).Select(c => new { alternative = c.Alternative,
    log_likelihood_ratio = c.LogLikelihoodRatio, normalised_ratio = c.NormalizedRatio, p = c.P,
    favoured = c.Favoured });
display(HTML(Tables.Rows(lr_2,
    "Power law against alternatives (feature-graph degrees; R > 0 favours the power law)")));

display(DegreeCharts.CcdfWithFit(degrees, fit, "blocks.2, 5% threshold graph",
    "Feature-graph degrees and their power-law fit", "degree k (links)"));

// ## Hierarchy
//
// The box cover's merge tree is a dendrogram: leaves are neurons, a link's height is the box size l_B at which two boxes
// merged. A hierarchical network shows groups within groups at every height rather than one level of clusters.

var cover = BoxCover.FromDistances(d, n);
var tree = Dendrogram.FromMerges(n, cover.Merges.Select((m, k) => (m.I, m.J,
    cover.BoxSizes[k])).ToList());
display(DendrogramChart.Create(tree, "Box-cover dendrogram of blocks.2 (complete linkage)",
    "box size l_B at merge (Euclidean/√B)"));

// $C(k)$, the mean clustering of nodes of degree $k$. In hierarchical networks $C(k) \propto k^{-\beta}$ with
// $\beta$ near 1: low-degree nodes
// live in tight groups, hubs bridge groups. The fit uses degrees held by at least 3 nodes.

var ck = ClusteringCoefficients.ByDegree(g);
var ckFit = ClusteringCoefficients.FitScaling(ck, minNodes: 3);
display(DegreeCharts.Clustering(ck, ckFit, "blocks.2, 5% threshold graph",
    $"C(k) of the feature graph: β = {ckFit.Beta.Value:F2} ± {ckFit.Beta.StdError:F2}"));

// ## Classical graph box covering
//
// The feature graph's hop distances can be box-covered like any complex network. Three methods, each fitted over its
// automatic range ($N_B \le$ nodes/8 and $N_B \ge 4$). One row per Method: NodesCovered, the number of box sizes tried
// (BoxSizes), the fitted Dimension with its 95% interval (Dimension low, high), and Range, the box sizes the fit used (it
// says when the fit had to widen). PowerLawPreferred is true when a power law $N_B \propto l_B^{-d_B}$ fits the points
// better than an exponential $N_B \propto e^{-l_B/l_0}$: a fractal rather than a small-world graph. A small-world
// graph has too few box sizes for a good fit, hence the wide intervals.

var covers = new[] { GreedyColoringBoxCover.Run(g, seed: 1), MembBoxCover.Run(g, seed: 1),
    CbbBoxCover.Run(g, seed: 1) };
display(HTML(Tables.Of(GraphFitTable.Of(covers),
    "Graph box covering of the feature graph: d_B per method")));

display(DimensionValidation.GraphCurves(covers,
    "Graph box covering of the blocks.2 feature graph (5% threshold)"));

// **What to take away.** The calibration row should sit close to the published fit; on the feature graph, the bootstrap and
// the likelihood-ratio rows — not the eye — decide whether "power law" is a fair description, and with a few hundred nodes
// the honest answer is often "cannot tell". The dendrogram and C(k) show whether neurons group hierarchically; the graph box
// covers say whether hop distances, like the Euclidean ones of notebook 02, give a straight N_B(l_B).

// ## Exercises
//
// 1. Compute $\hat\alpha$ by hand on the feature-graph degrees (`degrees`, `fit.Xmin`) with both formulas of the
//    calibration section. How far is the half-shifted approximation from `fit.Alpha` at this $x_{\min}$?
// 2. Fix $x_{\min}$ one step below and one above the fitter's choice (`PowerLawFitter.Fit(words, xmin: ...)`) and
//    compare Alpha and KsDistance with the table. Why does the KS distance, not the likelihood, pick $x_{\min}$?
// 3. Redo the feature graph at 2% and 10% of pairs (`layer.ThresholdGraphAtPairFraction(0.02)`). Does the bootstrap
//    verdict change, and does $\beta$ of $C(k)$?

// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is
// (global:: because a chapter may name a local Show or HtmlFragment of its own).
static void display(object value) => global::Show.Display(value);
static global::HtmlFragment HTML(string html) => new(html);
static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
    System.IO.Path.GetDirectoryName(file)!;

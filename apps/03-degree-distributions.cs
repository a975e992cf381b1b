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
// nullable warnings off, as the kernel compiles cells.
#:property PublishAot=false
#:property Nullable=disable
#:project ../shared/SelfSim.Shared.csproj

using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

Show.StartApp("03-degree-distributions", System.IO.Path.Combine(AppFolder(), "../notebooks"));

// # 03 · Degree distributions, power laws and hierarchy
//
// Self-similar networks are often *scale-free* (a power-law degree distribution) and *hierarchical* (clustering that falls
// with degree as C(k) ~ k^(−β)). A straight-looking line on log-log axes proves neither, so this notebook tests properly:
//
// 1. **Power-law fits** by maximum likelihood with x_min chosen by the Kolmogorov–Smirnov distance, a bootstrap goodness-of-fit
//    p-value, and likelihood-ratio tests against the log-normal, exponential and truncated power law (Clauset, Shalizi &
//    Newman, SIAM Review 2009) — first calibrated on a classic data set, then on feature graphs;
// 2. **Hierarchy**: the box-cover dendrogram and C(k) with its fit (Ravasz & Barabási 2003);
// 3. **Classical graph box covering** of the feature graph: greedy colouring, MEMB and CBB (Song et al. 2007).
//
// *Sizes and run time (measured with `selfsim run` on this 2-core machine, fresh clone, 2026-12-03; default with nothing else running, smoke beside one other job):
// smoke 15 s, a pipeline check (the MLP is barely trained; every title says "smoke"); default 15 s, with the MLP
// trained to at least 97% test accuracy by notebook 00 and loaded here (about 110 s more when 00 did not run);
// full 13 s after 00 (500 bootstrap replicates).*

// ## Calibration on a classic data set
//
// Word frequencies in *Moby Dick* (18,855 distinct words), one of the data sets of Clauset, Shalizi & Newman, shipped in
// `tests/fixtures/powerlaw`. Their README lists the published fit (igraph/plfit) to compare with the row below.

var words = PowerLawFitter.ReadData("../tests/fixtures/powerlaw/words.txt");
var wordsFit = PowerLawFitter.Fit(words);
display(HTML(Tables.Of(wordsFit, "Power-law fit of the word frequencies (words.txt)")));

// Likelihood-ratio tests on the same tail. The published analysis finds the exponential clearly worse and the log-normal
// indistinguishable from the power law; the log-normal's R can differ from published numbers because its likelihood is flat
// along a ridge (μ → −∞), while the verdict (inconclusive) is the same.

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

// **The power-law fit.** α is the exponent, x_min where the power-law tail starts, TailCount how many nodes lie in it, and
// KsDistance the largest gap between the fitted and empirical CDFs. With a few hundred nodes the tail is short: read α with its
// standard error.

var degrees = g.DegreeSequence().Select(k => (double)k).ToArray();
var fit = PowerLawFitter.Fit(degrees, minTail: 30);
display(HTML(Tables.Of(fit, "Power-law fit of the feature-graph degrees")));

// **Is the power law plausible?** The bootstrap draws synthetic data sets from the fit (with the empirical body below
// x_min), refits each, and reports the fraction whose KS distance exceeds the observed one. p ≤ 0.1 rules the power law out.

var gof = PowerLawBootstrap.Run(degrees, fit, replicates: RunMode.Pick(500, 40), seed: 1);
display(HTML(Tables.Of(new { p = gof.P, replicates = gof.Replicates, observed_KS = gof.ObservedKs,
    plausible = gof.Plausible }, "Goodness of fit: bootstrap p (plausible when p ≥ 0.1)")));

// **Is something else better?** Each row compares the power law with an alternative on the same tail: R > 0 favours the
// power law, R < 0 the alternative, and p says whether the sign is significant (p > 0.1: the data cannot tell them apart).

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

// C(k), the mean clustering of nodes of degree k. In hierarchical networks C(k) ~ k^(−β) with β near 1: low-degree nodes
// live in tight groups, hubs bridge groups. The fit uses degrees held by at least 3 nodes.

var ck = ClusteringCoefficients.ByDegree(g);
var ckFit = ClusteringCoefficients.FitScaling(ck, minNodes: 3);
display(DegreeCharts.Clustering(ck, ckFit, "blocks.2, 5% threshold graph",
    $"C(k) of the feature graph: β = {ckFit.Beta:F2} ± {ckFit.StdError:F2}"));

// ## Classical graph box covering
//
// The feature graph's hop distances can be box-covered like any complex network. Three methods, each fitted over its automatic
// range (N_B ≤ nodes/8 and N_B ≥ 4). A small-world graph has too few box sizes for a good fit: `Range` says when the fit had to
// widen, and the exponential alternative's residual is in `PowerLawPreferred`.

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

// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is.
static void display(object value) => Show.Display(value);
static HtmlFragment HTML(string html) => new(html);
static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
    System.IO.Path.GetDirectoryName(file)!;

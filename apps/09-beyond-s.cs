// 09-beyond-s: the chapter notebooks/09-beyond-s.ipynb as a file-based app, generated from it by `selfsim export notebooks --to app --out apps`.
// Do not edit: edit the notebook and regenerate (a test fails while this file is stale).
// Run from the checkout: `dotnet run apps/09-beyond-s.cs`; SELFSIM_SIZE=smoke|default|full picks the size,
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
using static TorchSharp.torch;

global::Show.StartApp("09-beyond-s", System.IO.Path.Combine(AppFolder(), "../notebooks"));

// SelfSim.csx's own statements (its files are in the #:project library):
NotebookKernel.Prepare();

// # 09 · S among other measures
//
// A figure of S per layer draws three questions from every reviewer:
//
// 1. **Is S just the intrinsic dimension under another name?**
// 2. **Are the weights heavy-tailed too?**
// 3. **Did training change the representations, or only one number?**
//
// Each has a standard tool, so far only in Python: intrinsic dimension by TwoNN and MLE (scikit-dimension, DADApy;
// Ansuini et al. 2019 measured it per layer), the power-law exponent α of the weight spectrum (WeightWatcher;
// Martin & Mahoney 2021), and representation similarity by linear CKA (Kornblith et al. 2019). This chapter builds each
// on a tiny case by hand, checks the library call against it, and then measures all of them on the same trained layers
// as S and d_B.
//
// Two views of a layer's points appear below. **Nodes** are the paper's points: each neuron is a point whose coordinates
// are its responses to the probe images (the rows of the node matrix). **Samples** are Ansuini's points: each probe
// image is a point whose coordinates are the layer's neurons (the columns).
//
// **Sizes and run time** (nbconvert in the real kernel on this 2-core machine, 2026-12-07, with nothing else running):
// smoke 19 s; **default** 3.7 min on its own, 3.2 of them for 04's survey (the same runs as seed 0 of the committed seed
// survey, bit for bit) and half a minute for 07's experiment; **full** 13 min on its own, 8.5 for 04's full survey and
// 5 for 07's full experiment (5 seeds). In the collection both are saved by then, and the chapter's own work takes
// seconds. Beside other jobs (load average 4–27) the same runs took 56 min and 32 min.
//
// *Run time: default 14 s, full 8 s (2 cores, 24 GB; [timings](../docs/timings.md)).*

// ## TwoNN by hand: a plane in 3-D
//
// Facco et al. (2017) noticed that for each point the ratio $\mu = r_2/r_1$ of the distances to its second and first
// nearest neighbours follows, when the density is locally constant, the Pareto law $F(\mu) = 1 - \mu^{-d}$, whatever that
// density is. So $-\ln(1 - F(\mu)) = d \ln \mu$: sort the ratios, put $F_i = i/N$, and $d$ is the slope of a line
// through the origin. The largest ratios come from points on the edge of the data; the fit drops the top 10 %.
//
// Three hundred points on a tilted plane in 3-D must give about 2.

var rng = new Random(0);
int n = 300;
// (u, v) uniform in the unit square, lifted onto the plane z = 0.5u + 0.2v
var pts = Enumerable.Range(0, n).Select(_ =>
{
    double u = rng.NextDouble(), v = rng.NextDouble();
    return new[] { u, v, 0.5 * u + 0.2 * v };
}).ToArray();
double Dist(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (p, q) => (p - q) * (p - q)).Sum());

var mu = pts.Select((p, i) =>
{
    var d = pts.Where((_, j) => j != i).Select(q => Dist(p, q)).OrderBy(v => v).Take(2).ToArray();
    return d[1] / d[0];
}).OrderBy(v => v).ToArray();
int keep = (int)(0.9 * n);
var lnMu = mu.Take(keep).Select(v => Math.Log(v)).ToArray();
var lnF = Enumerable.Range(1, keep).Select(i => -Math.Log(1 - (double)i / n)).ToArray();
double twoNnByHand = lnMu.Zip(lnF, (x, y) => x * y).Sum() / lnMu.Sum(x => x * x);
display($"TwoNN by hand: d = {twoNnByHand:F3} from {keep} of {n} ratios");

// The points should hug the line of slope $d$ through the origin; the discarded top 10 % would bend away.

display(StudyCharts.Lines(new[]
    {
        new ChartSeries("sorted ratios", lnMu, lnF, Markers: true),
        new ChartSeries($"slope d = {twoNnByHand:F2}", new[] { 0.0, lnMu[^1] },
            new[] { 0.0, twoNnByHand * lnMu[^1] }, Markers: false),
    },
    "TwoNN on a plane in 3-D: -ln(1 - F) against ln mu", "ln mu (mu = r2 / r1)", "-ln(1 - F_i)"));

// The library's `TwoNn.Measure` does the same on a `PointCloud` (distances by `PairDistances`, neighbours by
// `torch.topk`) and adds a 95 % interval, a percentile bootstrap over points. Beside it, the two other estimators:
//
// * **MLE** (Levina & Bickel 2005) at $k$ neighbours: $\hat m^{-1}(x) = \frac{1}{k-1}\sum_{j<k} \ln \frac{T_k(x)}{T_j(x)}$,
//   averaged over points as MacKay & Ghahramani advise, then inverted;
// * **correlation dimension** (Grassberger & Procaccia 1983): the fraction $C(l)$ of pairs closer than $l$ grows as
//   $l^{\nu}$. $C(l)$ is exactly Srate's pair fraction $\rho(l)$, so the library reuses Srate's curve and fits it with
//   the project's one window, read with $N_B \approx 1/C(l)$ (a box of size $l$ holds $n C(l)$ of the $n$ points).
//
// Both are easy by hand. The correlation dimension: count pairs at two scales and take the slope between them.
// The MLE: each point's $k$ nearest distances, the formula above, the mean, its inverse.

var pairs = new List<double>();
for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++) pairs.Add(Dist(pts[i], pts[j]));
double C(double l) => pairs.Count(d => d < l) / (double)pairs.Count;
var (l1, l2) = (0.05, 0.15);
double nuByHand = Math.Log(C(l2) / C(l1)) / Math.Log(l2 / l1);
display($"C({l1}) = {C(l1):F4}, C({l2}) = {C(l2):F4}: nu by hand = {nuByHand:F3}");

int k = 20;
// Levina & Bickel at each point, from its k nearest distances T_1 <= ... <= T_k
double mleByHand = 1 / pts.Select((p, i) =>
{
    var t = pts.Where((_, j) => j != i).Select(q => Dist(p, q)).OrderBy(v => v).Take(k).ToArray();
    return Enumerable.Range(0, k - 1).Sum(j => Math.Log(t[k - 1] / t[j])) / (k - 1);
}).Average();
display($"MLE by hand at k = {k}: m = {mleByHand:F3}");

var plane = tensor(pts.SelectMany(p => p).ToArray(), new long[] { n, 3 });
var planeCloud = PointCloud.FromRows(plane, "the plane");
var twoNn = TwoNn.Measure(planeCloud).Dimension;
if (Math.Abs(twoNn.Value - twoNnByHand) > 1e-9)
    throw new SelfSimException($"TwoNN by hand {twoNnByHand} is not the library's {twoNn.Value}");
var mle = LevinaBickelMle.Measure(planeCloud, neighbours: k).Dimension;
if (Math.Abs(mle.Value - mleByHand) > 1e-9)
    throw new SelfSimException($"MLE by hand {mleByHand} is not the library's {mle.Value}");
var planeRows = new[]
{
    ("TwoNN", twoNnByHand, twoNn),
    ("MLE, k = 20", mleByHand, mle),
    ("correlation dimension", nuByHand, CorrelationDimension.Measure(planeCloud).Dimension),
}.Select(r => new { estimator = r.Item1, by_hand = r.Item2, library = r.Item3.Value,
    lower_95 = r.Item3.Lower, upper_95 = r.Item3.Upper });
display(HTML(Tables.Rows(planeRows,
    "Dimensions of 300 points on a plane in 3-D (true value 2): by hand and from the library")));

// The correlation dimension comes out below 2 on this small square: at the window's larger scales the pairs begin
// to feel the square's edges. That bias is the price of a count over all pairs, and it will matter below. Its interval
// is also too narrow: the Student-t interval of the slope treats Srate's 256 scales as independent points, and they are
// not (each count includes the one before). The bootstrap intervals of TwoNN and MLE resample points and are honest
// about the sample size; read the correlation dimension's interval as a fit diagnostic only.

// ## Weight α by hand: a Gaussian matrix
//
// Martin & Mahoney read a layer's weight matrix $W$ through the eigenvalues $\lambda$ of $W^\top W$, its empirical
// spectral density (ESD). Trained layers grow a power-law tail $p(\lambda) \propto \lambda^{-\alpha}$; a random
// matrix has none (its ESD is Marchenko–Pastur and α comes out large). For a tail above $x_{min}$ the continuous
// maximum-likelihood exponent is
//
// $$\hat\alpha = 1 + n_{tail} \Big/ \sum_{\lambda_i \ge x_{min}} \ln(\lambda_i / x_{min}),$$
//
// and Clauset et al. choose $x_{min}$ by the smallest KS distance. The **stable rank** $\sum \lambda / \lambda_{max}$
// $= \lVert W \rVert_F^2 / \lVert W \rVert_2^2$ counts the directions that carry weight. Convolutions
// $[out, in, k, k]$ are read as WeightWatcher reads them: one $out \times in$ matrix per kernel position $W[:,:,i,j]$,
// their eigenvalues pooled into one spectrum.

var g1 = new Generator(1);
var gauss = randn(new long[] { 300, 200 }, dtype: ScalarType.Float64, generator: g1);
var lambda = linalg.eigvalsh(gauss.T.matmul(gauss)).data<double>().OrderBy(v => v).ToArray();
var spectrum = WeightSpectra.Of("gaussian 300x200", gauss);
// the tail at the library's x_min (eigvalsh and svdvals differ in the last digits)
var tail = lambda.Where(v => v >= spectrum.Xmin * (1 - 1e-9)).ToArray();
double alphaByHand = 1 + tail.Length / tail.Sum(v => Math.Log(v / spectrum.Xmin));
double stableByHand = lambda.Sum() / lambda[^1];
if (tail.Length != spectrum.TailCount || Math.Abs(alphaByHand - spectrum.Alpha) > 1e-6)
    throw new SelfSimException($"alpha by hand {alphaByHand}, library {spectrum.Alpha}");
display(HTML(Tables.Of(new { alpha_by_hand = alphaByHand, alpha_library = spectrum.Alpha,
    xmin = spectrum.Xmin, tail = spectrum.TailCount, ks = spectrum.Ks,
    stable_rank_by_hand = stableByHand, stable_rank = spectrum.StableRank },
    "Weight alpha of a 300 x 200 Gaussian matrix by hand and from WeightSpectra.Of")));

// ## CKA by hand: a matrix against itself, rotated
//
// Linear CKA compares two representations $X$ ($n \times p$) and $Y$ ($n \times q$) of the same $n$ samples, each column
// centred:
//
// $$\mathrm{CKA}(X, Y) = \frac{\lVert Y^\top X \rVert_F^2}{\lVert X^\top X \rVert_F \, \lVert Y^\top Y \rVert_F}.$$
//
// It is 1 for a representation against any rotation or rescaling of itself, which is what makes it a fair comparison
// between two training runs whose neurons come in arbitrary order. The library also has the unbiased form (Song et al.
// 2012's HSIC), which removes the upward bias of few samples and many features.

var g = new Generator(2);
var x = randn(new long[] { 50, 6 }, dtype: ScalarType.Float64, generator: g);
var q = linalg.qr(randn(new long[] { 6, 6 }, dtype: ScalarType.Float64, generator: g)).Q;
var rotated = x.matmul(q) * 3.0;                  // rotated and scaled
var w4 = randn(new long[] { 6, 4 }, dtype: ScalarType.Float64, generator: g);
var bent = x.matmul(w4).tanh();
double CkaByHand(Tensor a, Tensor b)
{
    var ac = a - a.mean(new long[] { 0 }, keepdim: true);
    var bc = b - b.mean(new long[] { 0 }, keepdim: true);
    double top = bc.T.matmul(ac).square().sum().item<double>();
    return top / (ac.T.matmul(ac).norm().item<double>() * bc.T.matmul(bc).norm().item<double>());
}
if (Math.Abs(CkaByHand(x, rotated) - LinearCka.Of(x, rotated)) > 1e-12)
    throw new SelfSimException("CKA by hand is not LinearCka.Of");
display(HTML(Tables.Rows(new[]
{
    new { pair = "X vs X rotated and scaled", by_hand = CkaByHand(x, rotated),
          library = LinearCka.Of(x, rotated), unbiased = LinearCka.Unbiased(x, rotated) },
    new { pair = "X vs tanh(X W)", by_hand = CkaByHand(x, bent),
          library = LinearCka.Of(x, bent), unbiased = LinearCka.Unbiased(x, bent) },
}, "Linear CKA of a 50 x 6 matrix by hand and from LinearCka.Of")));

// ## The zoo's trained layers
//
// Notebook 04 trained every architecture of the zoo and measured each hooked layer; its survey is saved, so this
// chapter loads it (and trains it only when run on its own). Each row of `LayerMeasures` now carries, beside S and
// d_B, the TwoNN and correlation dimension of the nodes, the TwoNN of the samples, and the weight α of the layer's
// last weight matrix.

var train = Mnist.Load(DataPaths.Default, train: true);
var test = Mnist.Load(DataPaths.Default, train: false);
var surveyOptions = ArchitectureSurveyOptions.ForSize(RunMode.Size);
var surveyPath = StudySettings.ResultPath("04-survey", ".json");
var runs = ArchitectureSurvey.LoadOrRun(surveyPath, surveyOptions, train, test, Console.WriteLine);
var layers = ArchitectureSurvey.TrainedLayers(runs).Where(l => double.IsFinite(l.S)).ToList();
if (layers.All(l => l.NodeTwoNn is null))
    throw new SelfSimException(
        $"{surveyPath} was saved before the dimension columns: delete it and rerun.");
display($"{layers.Count} trained layers from {runs.Count} architectures");

double V(Estimate e) => e?.Value ?? double.NaN;
display(HTML(Tables.Rows(layers.Select(l => new
{
    model = l.Architecture, layer = l.Layer, nodes = l.Nodes, S = l.S, d_B = l.BoxDimension.Value,
    nu_nodes = V(l.NodeCorrelationDimension), twonn_nodes = V(l.NodeTwoNn),
    twonn_samples = V(l.SampleTwoNn), weight_alpha = l.WeightAlpha,
}), "Every trained layer: S beside the other measures", digits: 2)));

// Look down the columns before the statistics. The node dimensions (d_B, ν, TwoNN of nodes) measure the same cloud
// three ways and should move together; the samples' TwoNN measures a different cloud. S is not a dimension at all: it is
// how far the box-covering curve bends from a straight chord.
//
// **Rank correlations.** Over the layers, Spearman's ρ between S and each measure, with a 95 % interval from Fisher's
// $z = \operatorname{atanh}\rho$ with variance $1.06/(n-3)$ (Fieller et al. 1957). If S were the intrinsic dimension
// under another name, ρ with one of the dimensions (d_B, ν, TwoNN of nodes or samples) would sit near ±1, with an
// interval that stays beyond ±0.9.

var rhos = MeasureCorrelations.WithS(layers).Select(m => new
{
    measure = m.Column.Name, layers = m.Layers, spearman_rho = m.Rho?.Value ?? double.NaN,
    lower_95 = m.Rho?.Lower ?? double.NaN, upper_95 = m.Rho?.Upper ?? double.NaN,
}).ToList();
display(HTML(Tables.Rows(rhos, "Spearman's rho between S and each measure over the trained layers",
    digits: 2)));

var palette = StudyCharts.Palette;
var clouds = layers.GroupBy(l => l.Architecture).Select((grp, k) =>
    Plotly.NET.CSharp.Chart.Point<double, double, string>(
        x: grp.Select(l => V(l.NodeTwoNn)).ToArray(), y: grp.Select(l => l.S).ToArray(),
        Name: grp.Key, MarkerColor: Plotly.NET.Color.fromString(palette[k % palette.Count])));
display(ChartLayout.Styled(Plotly.NET.CSharp.Chart.Combine(clouds),
    "S against the nodes' TwoNN dimension, one point per trained layer",
    "TwoNN dimension of the nodes (dimensionless)", "S (Srate, dimensionless)"));

var dimensionRhos = rhos
    .Where(r => r.measure != "weight alpha" && double.IsFinite(r.spearman_rho));
var closest = dimensionRhos.OrderByDescending(r => Math.Abs(r.spearman_rho)).FirstOrDefault();
bool redundant = closest is not null && (closest.lower_95 > 0.9 || closest.upper_95 < -0.9);
var verdict = closest is null ? "Too few layers to say."
    : redundant
        ? $"Yes, on these layers: S ranks them almost exactly as {closest.measure} does."
        : $"No. The dimension closest to S is {closest.measure}, and even its rho "
          + "has a 95% interval that reaches well inside (-0.9, 0.9): S and the intrinsic "
          + "dimensions order the layers differently, so one does not stand in for the other.";
display(HTML(Tables.Of(new { closest_dimension = closest?.measure, rho = closest?.spearman_rho,
    lower_95 = closest?.lower_95, upper_95 = closest?.upper_95, layers = closest?.layers,
    answer = verdict }, "Is S redundant with intrinsic dimension?", digits: 2)));

// **Reading the answer.** A rank correlation near ±1 would make S a relabelled dimension; anything short of that means
// the two carry different information about a layer. The same table answers the second question: a weight α below
// about 4 (WeightWatcher's "heavy-tailed" range is roughly 2 to 4) says the layer's weights learned structure, and its
// correlation with S says whether heavy-tailed weights and self-similar feature networks go together. At smoke size the
// models are near chance and the numbers are a pipeline check only.

// ## Does the answer hold for another seed?
//
// The intervals above come from one training of each model: they say how well 30-odd layers pin ρ down, not how much
// ρ would move if every model were trained again. The committed seed survey of notebook 04
// (`notebooks/measured/architecture-seeds`: the zoo on MNIST at the default size, seeds 0, 1 and 2) carries the same
// columns, so ρ can be computed once per seed. The spread of those three values is the seed-to-seed variation; their
// mean gets a Student-t interval with 2 degrees of freedom.
//
// By hand first, for d_B: one ρ per seed, then $\bar\rho \pm t_{0.975,\,2}\, s/\sqrt{3}$.

var bySeed = SurveySeeds.Load(StudySettings.Measured("architecture-seeds"));
var dBColumn = MeasureCorrelations.Columns[0];
var dBRhos = bySeed.Values.Select(ArchitectureSurvey.TrainedLayers).Select(seedLayers =>
    RankCorrelation.Spearman(seedLayers.Select(l => l.S).ToList(),
        seedLayers.Select(dBColumn.Get).ToList()).Value).ToList();
double rhoBar = dBRhos.Average();
double rhoSd = Math.Sqrt(dBRhos.Sum(r => (r - rhoBar) * (r - rhoBar)) / (dBRhos.Count - 1));
double halfWidth = StudentT.Quantile(0.975, dBRhos.Count - 1) * rhoSd / Math.Sqrt(dBRhos.Count);
var seedRhos = MeasureCorrelations.OverSeeds(bySeed);
if (Math.Abs(seedRhos[0].MeanRho.Upper - (rhoBar + halfWidth)) > 1e-12)
    throw new SelfSimException("The t interval by hand is not MeasureCorrelations.OverSeeds'");
display($"d_B: rho per seed {string.Join(", ", dBRhos.Select(r => r.ToString("F3")))}; by hand "
    + $"{rhoBar:F3} +- {halfWidth:F3}, library [{seedRhos[0].MeanRho.Lower:F3}, "
    + $"{seedRhos[0].MeanRho.Upper:F3}]");

display(HTML(Tables.Rows(seedRhos.Select(c => new
{
    measure = c.Column.Name, seeds = c.BySeed.Count,
    layers = string.Join(", ", c.BySeed.Values.Select(m => m.Layers)),
    rho_per_seed = string.Join(", ",
        c.BySeed.Values.Select(m => m.Rho?.Value.ToString("F2") ?? "-")),
    mean_rho = c.MeanRho.Value, lower_95 = c.MeanRho.Lower, upper_95 = c.MeanRho.Upper,
}), $"Spearman's rho with S per seed ({string.Join(", ", bySeed.Keys)}) and its mean, "
    + "95 % t interval over seeds (committed survey)", digits: 2)));

// The chart puts each seed's ρ beside the mean and its interval. **Look at** how far the dots of one measure
// scatter, and whether any bar comes near ±1.

display(StudyCharts.Lines(seedRhos.Select((c, i) => new ChartSeries(c.Column.Name,
        new double[] { i }, new[] { c.MeanRho.Value }, new[] { c.MeanRho.Lower },
        new[] { c.MeanRho.Upper })).Concat(new[] { new ChartSeries("one seed's rho",
        seedRhos.SelectMany((c, i) => c.BySeed.Values.Select(_ => (double)i)).ToArray(),
        seedRhos.SelectMany(c => c.BySeed.Values.Select(m => m.Rho?.Value ?? double.NaN))
            .ToArray(), Lines: false) }),
    "Spearman's rho of S with each measure, 3 seeds: mean and 95 % t interval (committed survey)",
    "measure (see legend)", "Spearman's rho with S (dimensionless)"));

// **Reading it.** On the committed survey no seed puts any dimension near ±1: every ρ per seed lies between
// −0.24 and 0.41, and every interval of the mean stays inside (−0.6, 0.65). The samples' TwoNN is the most stable
// positive one (0.33 [0.19, 0.47]); d_B, the paper's own dimension, ranks the layers least like S
// (0.09 [0.04, 0.15]). The weight α's ρ changes sign between seeds (0.15, −0.14, −0.23), so there is no
// consistent link between heavy-tailed weights and S here. Three seeds give a t interval with 2 degrees of
// freedom ($t_{0.975} = 4.30$), so these intervals are wide; what they do not test is a different dataset,
// larger models, or the paper's 224 px layers.

// ## CKA: the layers of one model, and one layer across runs
//
// The third question needs more than one training. The baseline-vs-constrained experiment that notebook 07 draws
// (`StudySettings.ConstraintTemplate`: the CPU residual MLP on MNIST; per seed a baseline with cross-entropy only and a
// run with the Srate term on, λ = 0.1) saves each run's checkpoint. This chapter reuses those runs (or trains them with
// the same settings when it runs on its own), loads the seed-0 baseline, the seed-0 constrained run and the seed-1
// baseline, and probes all three on the same test images, so their layers are representations of the same samples. `TrainingCheckpoint.LoadWeights` reads a
// checkpoint's weights into a model built from the options the checkpoint carries.

var template = StudySettings.ConstraintTemplate(RunMode.Size);
var experiment = ExperimentRunner.Run(template, StudySettings.ConstraintSeeds(RunMode.Size),
    StudySettings.ResultPath("06-experiment"), (o, resume) =>
    {
        using var t = new ClassifierTrainer(o, train, test);
        return t.Run(resume);
    });
var probe = NodeMatrix.ProbeBatch(test, NodeMatrix.ProbeSamplesFor(RunMode.Size));
IReadOnlyList<NodeMatrix> LayersOf(string arm, int seed)
{
    var run = experiment.Runs.SingleOrDefault(r => r.Arm == arm && r.Seed == seed)
        ?? throw new SelfSimException($"No finished {arm} run of seed {seed}: rerun notebook 07.");
    return ExperimentCka.Capture(run, test, probe);    // its checkpoint's model, on the probe
}
var baseline0 = LayersOf(ExperimentRunner.Baseline, 0);
var constrained0 = LayersOf(ExperimentRunner.Constrained, 0);
var baseline1 = LayersOf(ExperimentRunner.Baseline, 1);
var names = baseline0.Select(l => l.Name).ToList();
display(HTML(Tables.Rows(experiment.Runs.Select(r => new
    { arm = r.Arm, seed = r.Seed, test_top1 = r.Top1, final_S = r.FinalS }),
    $"The runs compared (notebook 07's experiment, {probe.shape[0]} probe images)", digits: 3)));

display(SimilarityHeatmap.Create(LinearCka.Matrix(baseline0), names,
    "Linear CKA between the layers of the baseline MLP (seed 0)"));

// Neighbouring layers of a residual MLP share most of their representation (the skip connections carry it along), so
// expect a bright band along the diagonal that fades with distance. Now the same layers across two runs: the baseline
// against the constrained run of the same seed, whose only difference is the Srate term.

double[,] Across(IReadOnlyList<NodeMatrix> a, IReadOnlyList<NodeMatrix> b)
{
    var m = new double[a.Count, b.Count];
    for (int i = 0; i < a.Count; i++)
        for (int j = 0; j < b.Count; j++) m[i, j] = LinearCka.Of(a[i], b[j]);
    return m;
}
var vsConstrained = Across(baseline0, constrained0);
var vsSeed = Across(baseline0, baseline1);
display(SimilarityHeatmap.Create(vsConstrained, names,
    "Linear CKA: baseline seed 0 (rows) against constrained seed 0 (columns)",
    xTitle: "layer of the constrained run", yTitle: "layer of the baseline"));

var sameLayer = names.Select((name, i) => new
{
    layer = name, cka_constrained = vsConstrained[i, i], cka_other_seed = vsSeed[i, i],
    cka_unbiased_constrained = LinearCka.Of(baseline0[i], constrained0[i], unbiased: true),
    S_baseline = Srate.Rate(baseline0[i].Features),
    S_constrained = Srate.Rate(constrained0[i].Features),
    S_other_seed = Srate.Rate(baseline1[i].Features),
}).ToList();
display(HTML(Tables.Rows(sameLayer, "The same layer in three runs: CKA against the seed-0 baseline, and S",
    digits: 3)));

double meanConstrained = sameLayer.Average(r => r.cka_constrained);
double meanSeed = sameLayer.Average(r => r.cka_other_seed);
var changed = meanConstrained < meanSeed
    ? "the constraint moved the representations further than a new seed does"
    : "the constraint moved the representations no further than a new seed does";
display(HTML(Tables.Of(new { mean_cka_constrained = meanConstrained, mean_cka_other_seed = meanSeed,
    answer = $"Over {names.Count} layers, {changed}." },
    "Did the constraint change the representations?", digits: 3)));

// A layer whose CKA across seeds is near 1 learned the same representation up to a rotation of its neurons. The
// question for the constraint is relative: a CKA to the constrained run well below the seed-to-seed CKA says the Srate
// term changed what the layer computes, beyond the variation a new seed brings; a CKA as high as the seed-to-seed one,
// with S moved, says the constraint moved one number and left the representation in place. At smoke size the runs are
// near chance and this is a pipeline check only; notebook 06 states what the measured Fashion-MNIST runs found.

// ## CKA in the measured grids
//
// The runs above are short and few. The Fashion-MNIST grids of notebook 06 kept their checkpoints on the machine that
// trained them, and `selfsim experiment --summarize-only --cka` measured the same comparison there, on 256 test images.
// The tables are committed as `cka.csv` beside each grid's summary. For each seed it takes the mean CKA over layers of
// each arm against the baseline *of the same seed* (same initial weights, same data order). For the yardstick it takes
// the baseline against the next seed's baseline. The table gives the mean and the 95 % t interval over seeds.
//
// **Look at** whether a constrained arm sits below the "baseline vs next seed" row of its grid. If it does, the Srate
// term moved the representations further than a whole new seed does.

IEnumerable<object> CkaRows(string grid) =>
    ExperimentCka.Summarize(ExperimentCka.Load(
            System.IO.Path.Combine(StudySettings.Measured(grid), ExperimentCka.FileName)))
        .Select(a => (object)new
        {
            grid, comparison = a.Arm == ExperimentRunner.Baseline ? "baseline vs next seed"
                : $"{a.Arm} vs its baseline",
            seeds = a.Seeds, mean_cka = a.MeanCka.Value, lower_95 = a.MeanCka.Lower,
            upper_95 = a.MeanCka.Upper,
        });
display(HTML(Tables.Rows(CkaRows("fashion-mnist-mlp60").Concat(CkaRows("fashion-mnist-vit30")),
    "Mean CKA over layers against the same seed's baseline (committed grids)", digits: 3)));

// **Reading it.** In the MLP grid, notebook 06 found that S moved and top-1 fell. There, every constrained arm ends
// further from its own seed's baseline than a new seed does: 0.79 at the reference λ 5e-2, and 0.51–0.79 across the
// arms, against 0.95 between seeds. Every interval but that of target=baseline ([0.53, 0.96]) stays below the
// seed-to-seed one. So the term changed what the layers compute, not one number only. The scale control moves the representations as well (0.66). It pushes only the activation
// scale, so a change this large does not need the self-similarity part of the gradient.
//
// In the ViT slice the gate rarely opened. The λ 5e-2 runs stay at 0.97 to their baselines. The λ 0.5 runs reach
// 0.71 [0.45, 0.97], as far as a new seed (0.73), with a wide interval over 3 seeds.
//
// **What this does not test.** A same-seed pair shares its initial weights and data order, so its CKA measures how far
// the term pushed one trajectory off another. It is not a distance between two independent solutions. CKA here is
// linear, per layer, on 256 test images. It says nothing about layers the hooks do not see.
//
// ## Exercises
//
// 1. Add Gaussian noise of growing size to the plane of the first section and watch TwoNN and the correlation dimension
//    rise towards 3. Which one reaches 3 first, and why (think about which scales each uses)?
// 2. Compute `TwoNn.Measure` with `discardFraction` 0, 0.1 and 0.3 on the nodes of one trained layer
//    (`PointCloud.Of(baseline0[2])`). How sensitive is the answer, and what does its interval say?
// 3. Repeat the CKA comparison with a stronger constraint (`template with { SrateWeight = 1.0 }`, in a new results
//    folder such as `StudySettings.ResultPath("09-experiment-l1")`): does the CKA to the baseline fall below the
//    seed-to-seed CKA, and does S move further?
// 4. Pool the three seeds' layers into one list,
//    `bySeed.Values.SelectMany(r => ArchitectureSurvey.TrainedLayers(r)).ToList()`, and call
//    `MeasureCorrelations.WithS` on it. How much narrower is the Fisher interval than the seed interval above,
//    and why does it overstate the evidence (is one model's layer under three seeds three independent points)?

// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is
// (global:: because a chapter may name a local Show or HtmlFragment of its own).
static void display(object value) => global::Show.Display(value);
static global::HtmlFragment HTML(string html) => new(html);
static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
    System.IO.Path.GetDirectoryName(file)!;

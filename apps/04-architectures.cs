// 04-architectures: the chapter notebooks/04-architectures.ipynb as a file-based app, generated from it by `selfsim export notebooks --to app --out apps`.
// Do not edit: edit the notebook and regenerate (a test fails while this file is stale).
// Run from the checkout: `dotnet run apps/04-architectures.cs`; SELFSIM_SIZE=smoke|default|full picks the size,
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

global::Show.StartApp("04-architectures", System.IO.Path.Combine(AppFolder(), "../notebooks"));

// SelfSim.csx's own statements (its files are in the #:project library):
NotebookKernel.Prepare();

// # 04 · Self-similarity across architectures
//
// The paper's first claim (Ding et al. 2025, Sec. 4) is that **the degree of self-similarity of the feature network varies by
// architecture**: some networks (MLPs, attention models) build layers whose neurons cluster like a fractal, others (CNNs) much less.
//
// This notebook puts every architecture of the model zoo side by side on the same data:
//
// | family | zoo name | CPU-scale model |
// |---|---|---|
// | MLP | `mlp` | residual MLP, width 256 |
// | CNN | `resnet`, `vgg` | CIFAR-style ResNet-14, 4-unit VGG with BatchNorm |
// | attention | `vit` | ViT, patch 4, dim 64, depth 4 |
// | MLP-style token mixers | `mixer`, `resmlp` | MLP-Mixer and ResMLP, patch 4 |
// | pooling token mixer | `poolformer` | PoolFormer, widths 16-128 |
//
// Each model is trained briefly on MNIST, then every hooked layer (stem and each block's output) is measured on one fixed
// **probe batch**: the layer's output becomes a node matrix with one row per neuron or channel and one column per probe
// image. Two numbers per layer:
//
// * **S** (Srate), the paper's self-similarity rate: how far the approximate box-covering curve bends away from the straight chord (0 = straight);
// * **d_B**, the box dimension from the exact box cover (greedy complete linkage), a log-log slope with its 95 % interval.
//
// *Run time: smoke 22 s, default 6.8 min, full 12.2 min (2 cores, 24 GB; [timings](../docs/timings.md)).*

var train = Mnist.Load(DataPaths.Default, train: true);
var test = Mnist.Load(DataPaths.Default, train: false);
var options = ArchitectureSurveyOptions.ForSize(RunMode.Size);
var budgets = options.Models.Select(m => options.For(m)).Select(o => new {
    model = o.Model, epochs = o.Epochs, images = o.TrainLimit, batch = o.BatchSize,
    peak_lr = o.LearningRate,
    floor_top1_pct = options.Floors.TryGetValue(o.Model, out var f) ? f : double.NaN });
display(HTML(Tables.Rows(budgets, $"Training budget per model ({RunMode.Name} size, "
    + $"probe {options.ProbeSize} test images)")));

// ## A layer's node matrix, by hand
//
// A hooked layer gives one output per probe image: a vector $y_{b,c}$ for an MLP, channel maps $y_{b,c,h,w}$ for a
// CNN, token vectors $y_{b,t,d}$ for ViT and the token mixers. The node matrix has one row per channel (or feature)
// and one column per probe image $b$; maps are averaged over space and tokens over the sequence (the reference's
// `model/to_sfm.py`):
//
// $$x_{cb} = y_{b,c} \;\text{(MLP)}, \qquad x_{cb} = \frac{1}{HW}\sum_{h=1}^{H}\sum_{w=1}^{W} y_{b,c,h,w} \;\text{(CNN)},
// \qquad x_{db} = \frac{1}{T}\sum_{t=1}^{T} y_{b,t,d} \;\text{(tokens)}.$$
//
// By hand on the first block of three untrained models (the reduction does not depend on the weights) and eight
// probe images, against `NodeMatrix.Capture`, the call every measurement in this chapter goes through:

// [B, C] -> [C, B]; [B, C, H, W] -> mean over H, W; [B, T, D] -> mean over T.
// The result is row-major [nodes, B].
double[] ByHandNodes(torch.Tensor y)
{
    var s = y.shape; var v = y.to(torch.float64).data<double>().ToArray();
    int b = (int)s[0], rest = (int)(y.numel() / b);
    bool tokens = s.Length == 3;
    int nodes = s.Length == 2 ? (int)s[1] : tokens ? (int)s[2] : (int)s[1], per = rest / nodes;
    var x = new double[nodes * b];
    for (int k = 0; k < b; k++)
        for (int c = 0; c < nodes; c++)
            for (int p = 0; p < per; p++)
                x[c * b + k] += v[k * rest + (tokens ? p * nodes + c : c * per + p)] / per;
    return x;
}

var probe8 = NodeMatrix.ProbeBatch(test, 8);
(long[] Output, long[] Nodes, double[] ByHand, double[] Library) TwoWays(string arch)
{
    torch.manual_seed(0);
    var model = ModelZoo.Create(arch, ModelScale.Cpu, 1, 28, 10);
    torch.Tensor y = null!;
    var hooked = (torch.nn.Module<torch.Tensor, torch.Tensor>)model.HookModule("blocks.0");
    var hook = hooked.register_forward_hook((m, i, o) => {
        y = o.detach().clone().DetachFromDisposeScope(); return null!; });
    var library = NodeMatrix.Capture(model, probe8, new[] { "blocks.0" })[0].Features;
    hook.remove();
    var lib = library.data<float>().Select(f => (double)f).ToArray();
    return (y.shape, library.shape, ByHandNodes(y), lib);
}

var reduced = new[] { "mlp", "resnet", "vit" }.Select(a => (a, r: TwoWays(a))).Select(t => new {
    model = t.a, layer_output = string.Join("×", t.r.Output),
    node_matrix = string.Join("×", t.r.Nodes),
    x_00_by_hand = t.r.ByHand[0], x_00_library = t.r.Library[0],
    largest_gap = t.r.ByHand.Zip(t.r.Library, (h, l) => Math.Abs(h - l)).Max() }).ToList();
if (reduced.Any(r => r.largest_gap > 1e-5))
    throw new SelfSimException("the node matrix by hand and NodeMatrix.Capture differ");
display(HTML(Tables.Rows(reduced,
    "blocks.0 of three untrained models: node matrix by hand and from Capture", digits: 5)));

// The gap is float32 rounding (the library averages in the layer's float32, the loop above in float64). A
// ResNet's first stage has 16 channels, so its node matrix has 16 rows however large the maps are: few nodes, which
// is why its $d_B$ intervals below are wide or missing.

// ## Train and measure
//
// `ArchitectureSurvey.LoadOrRun` trains each model with its budget above (AdamW, warm-up over the first fifth of an
// epoch, then a cosine decay), measures every hook point before and after training, and saves the result
// (`results/04-survey-*.json`), so notebook 07 can draw the figures without training again. One line per model
// shows its size, its test accuracy and how long it trained.

var clock = System.Diagnostics.Stopwatch.StartNew();
var surveyPath = StudySettings.ResultPath("04-survey", ".json");
var runs = ArchitectureSurvey.LoadOrRun(surveyPath, options, train, test, Console.WriteLine);
display($"survey done in {clock.Elapsed.TotalSeconds:F0} s");

// **Did they train?** A feature network of an untrained model says little about what the architecture learns.
// Each model has an accuracy floor, a normal test accuracy for its size and budget on MNIST; `AccuracyFloor.Check`
// stops the notebook with an error naming the model when one falls short (at default and full size; a smoke run
// only reports).

var checks = AccuracyFloor.Check(runs.Select(r => (r.Architecture, r.TestTop1)), options.Floors);
display(HTML(Tables.Rows(checks, "Test top-1 accuracy (%) after training, against each model's floor",
    digits: 2)));

// ## S per layer
//
// Layers are placed on a common axis, **relative depth** (0 = the first hooked layer, 1 = the last), because the models
// have different numbers of blocks. Look at two things: how high each architecture's curve sits (its overall degree of
// self-similarity) and how much it moves with depth.

var trained = ArchitectureSurvey.TrainedLayers(runs);
display(StudyCharts.PerLayer(trained, LayerMetric.S,
    "Srate S per layer after training (MNIST, CPU-scale models)"));

// ## d_B per layer
//
// The exact box cover gives the curve $N_B(l_B)$; $d_B$ is minus its log-log slope over the merges that leave between 0.2 % and
// 10 % of the nodes as boxes. The error bars are 95 % intervals of that slope. Narrow layers (16 channels in the first
// ResNet stage) give few points and wide intervals: read them with care.

display(StudyCharts.PerLayer(trained, LayerMetric.BoxDimension,
    "Box dimension d_B per layer after training (95 % CI)"));

// ## Control: the same layers before training
//
// If the differences between architectures were already there at random initialisation, they would say more about the
// wiring than about what the network learned. The same probe, the same layers, untrained weights:

display(StudyCharts.PerLayer(runs.SelectMany(r => r.Initial), LayerMetric.S,
    "Srate S per layer at initialisation (untrained control)"));

// ## Summary table
//
// One row per architecture: parameters, test top-1 accuracy after the brief training (test_top1_pct), the number of
// hooked layers, S over its layers (S_mean, S_min, S_max, S_spread = S_max − S_min), mean $d_B$ (dB_mean), mean S at
// initialisation (S_mean_at_init) and the training time in seconds.

var summary = ArchitectureSurvey.Summary(runs);
display(HTML(Tables.Of(summary, "Per architecture: size, accuracy, S over its layers, mean d_B")));

// Every layer's numbers, for reference (note says why a value is missing, when one is):

var layerRows = trained.Select(m => new {
    architecture = m.Architecture, layer = m.Layer, nodes = m.Nodes, S = m.S,
    d_B = m.BoxDimension.Value,
    d_B_95_CI = $"[{m.BoxDimension.Lower:F2}, {m.BoxDimension.Upper:F2}]",
    note = m.Note });
display(HTML(Tables.Rows(layerRows, "Every trained layer: S and d_B with its 95 % interval")));

// ## What the claim looks like here
//
// The paper's claim is about differences *between* architectures. A fair reading compares the range of the
// architecture means, $\max_a \bar S_a - \min_a \bar S_a$, with the mean spread *within* an architecture (layer to
// layer, the S_spread column): if the first is not larger than the second, the
// ranking of architectures is not telling much.

var rank = ArchitectureSurvey.RankByS(runs).Where(r => double.IsFinite(r.MeanS)).ToList();
double between = rank.Max(r => r.MeanS) - rank.Min(r => r.MeanS);
double within = summary["S_spread"].Cast<double?>().Where(v => v.HasValue).Average(v => v!.Value);
var order = string.Join(" > ", rank.Select(r => $"{r.Architecture} {r.MeanS:F3}"));
var verdict = between > within
    ? "between-architecture differences are larger"
    : "within-architecture spread is as large or larger";
display($"Ranking by mean S (highest first): {order}");
display($"Range of the architecture means: {between:F3}; mean spread within an architecture: "
    + $"{within:F3} ({verdict}).");

// **How to read this.** At the default size every model above passed its accuracy floor, so the curves describe
// trained networks; a smoke run only checks the pipeline (its models stay near chance and every title says
// "smoke"). These are CPU-scale models at 28 px trained for one to three short epochs, not the paper's 224-px
// ImageNet-trained models; the comparison tests whether the *qualitative* claim (S differs by architecture family)
// already shows at this scale. Compare the untrained control: where a trained curve sits close to its control,
// training did not change that layer's geometry much. Notebook 05 follows S through training; 06 tests the
// constraint, with measured results from hours of runs in
// [notebooks/measured/](measured/).

// ## Over seeds: is the ranking stable?
//
// One run per architecture cannot say whether a gap between two means is the architecture or the seed. The same
// survey was run at the default size with seeds 0, 1 and 2 (initial weights and data order; `selfsim survey`, 17 min
// on 2 cores) and committed in [measured/architecture-seeds](measured/architecture-seeds/). Each architecture's
// value per seed is the mean S over its trained layers, $\bar S_{a,s}$. Over the $n = 3$ seeds the table gives the mean,
// the standard deviation and a Student-t interval $\bar S_a \pm t_{0.975,\,n-1}\, \mathrm{sd}_a / \sqrt{n}$.
//
// **Look at** how wide the intervals are next to the gaps between the means. This cell reads the committed files at
// every size, so the numbers are the default-size survey's even in a smoke run.

var bySeed = SurveySeeds.Load(StudySettings.Measured("architecture-seeds"));
var spread = SurveySeeds.Spread(bySeed);
display(HTML(Tables.Rows(spread.Select(a => new {
    architecture = a.Architecture, seeds = a.Seeds, mean_S = a.MeanS.Value, sd_S = a.StdS,
    lower_95 = a.MeanS.Lower, upper_95 = a.MeanS.Upper, top1_pct = a.MeanTop1 }),
    $"Mean S over seeds {string.Join(", ", bySeed.Keys)} "
        + "with a 95 % t interval (committed survey)")));

display(StudyCharts.Lines(spread.Select((a, i) => new ChartSeries(a.Architecture, new double[] { i },
        new[] { a.MeanS.Value }, new[] { a.MeanS.Lower }, new[] { a.MeanS.Upper })),
    "Mean S per architecture over 3 seeds, 95 % t interval (committed survey)",
    "architecture (see legend)", "mean S over trained layers (dimensionless)"));

// A one-way analysis of variance asks whether the architecture means differ by more than the seeds make them
// scatter. With $k$ architectures and $N$ runs, $F = \frac{SS_B/(k-1)}{SS_W/(N-k)}$, where $SS_B$ sums the squared
// gaps of the architecture means from the grand mean (weighted by seeds) and $SS_W$ the squared gaps of each run from
// its architecture's mean; $\eta^2 = SS_B / (SS_B + SS_W)$ is the share of the variance between architectures. The
// cell computes $F$ by hand and then calls `SurveySeeds.Anova`.

var groups = bySeed.Values.SelectMany(v => v)
    .Select(r => (r.Architecture, S: SurveySeeds.MeanS(r)))
    .GroupBy(t => t.Architecture).Select(g => g.Select(t => t.S).ToArray()).ToList();
double grand = groups.SelectMany(g => g).Average();
double ssB = groups.Sum(g => g.Length * Math.Pow(g.Average() - grand, 2));
double ssW = groups.Sum(g => g.Sum(x => Math.Pow(x - g.Average(), 2)));
int k = groups.Count, nRuns = groups.Sum(g => g.Length);
double fByHand = (ssB / (k - 1)) / (ssW / (nRuns - k));
var anova = SurveySeeds.Anova(bySeed);
display($"ANOVA of mean S by architecture: F by hand = {fByHand:F3}, "
    + $"SurveySeeds.Anova F({anova.DfBetween}, {anova.DfWithin}) = {anova.F:F3}, "
    + $"p = {anova.P:F3}, η² = {anova.EtaSquared:F2}");

// **How to read this.** $p \approx 0.04$ says the architectures differ by more than three seeds scatter, but only
// just: most intervals overlap. The MLP sits above VGG, while the seed spread of ViT and PoolFormer covers nearly the
// whole range, so the order in the middle of the one-seed ranking above is not reliable. What this does not test: the
// paper's model sizes, its datasets, and its choice of layers at 224 px.

// ## Exercises
//
// 1. Add `"mixer"` and `"poolformer"` to the by-hand node-matrix cell. Which of the three formulas does each one's
//    `blocks.0` output follow, and how many nodes does it give?
// 2. Rank the architectures by mean $d_B$ instead of mean S (the dB_mean column of the summary table). Do the two
//    rankings agree?
// 3. Compute the between/within comparison of the last cell on the untrained control (`runs.SelectMany(r =>
//    r.Initial)`). Is the ranking of architectures already there before training?
// 4. With the committed seed files, drop one seed at a time (`bySeed.Where(kv => kv.Key != 2)`) and recompute the
//    ANOVA. Does the p-value survive, and which architecture moves most?

// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is
// (global:: because a chapter may name a local Show or HtmlFragment of its own).
static void display(object value) => global::Show.Display(value);
static global::HtmlFragment HTML(string html) => new(html);
static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
    System.IO.Path.GetDirectoryName(file)!;

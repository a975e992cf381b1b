// 06-constrained-training: the chapter notebooks/06-constrained-training.ipynb as a file-based app, generated from it by `selfsim export notebooks --to app --out apps`.
// Do not edit: edit the notebook and regenerate (a test fails while this file is stale).
// Run from the checkout: `dotnet run apps/06-constrained-training.cs`; SELFSIM_SIZE=smoke|default|full picks the size,
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

global::Show.StartApp("06-constrained-training", System.IO.Path.Combine(AppFolder(), "../notebooks"));

// SelfSim.csx's own statements (its files are in the #:project library):
NotebookKernel.Prepare();

// # 06 · Constrained training: does pulling S toward a target raise accuracy?
//
// The paper's second claim (Ding et al. 2025, Sec. 5) is that adding a self-similarity term to the
// loss raises top-1, by up to about 6 points for MLPs and attention models. The reference trains on
//
// $$\mathcal{L} = \mathrm{CE} + z \cdot \lambda \cdot \tfrac12 \,(S - S_\mathrm{target})^2 ,$$
//
// where $S$ is Srate on the node matrix of one randomly drawn layer (the batch's 64 samples per
// node), and $z$ is a gate (below). Its `run_training.sh` always passes a **fixed target**,
// `--target-sfm-rate 0.3` (0.2 for Mixer on CIFAR and ResMLP on Imagenette).
//
// This chapter does four things, in order:
//
// 1. builds the gate by hand;
// 2. asks what the term's gradient actually does to a layer (an audit);
// 3. reads a measured experiment that would show the gain if it were there: a dose-response in
//    $\lambda$, an arm that pushes $S$ the other way, and a **mechanism control**;
// 4. applies a decision rule that was written down before the runs finished.

// *Run time: smoke 30 s, default 51 s, full 69 s (2 cores, 24 GB; [timings](../docs/timings.md)).*
// Every size reads the committed results; re-running the grid (`rerun = true`) takes hours; see its README.

// ## The gate, by hand
//
// $S_\mathrm{old}$ is the epoch-mean $S$, set after epoch 0 and refreshed every few epochs (5 of the
// reference's 200). Before it exists, $z = 0$. Then
//
// $$z = 1 - \frac{\min\!\left(|S - S_\mathrm{old}| / S_\mathrm{old},\; c\right)}{c}, \qquad c = 0.05 .$$
//
// So the term acts in full when $S$ equals $S_\mathrm{old}$ and not at all once $S$ has moved 5 %
// away. Here is the formula typed out, next to the library's `SrateGate.Formula`:

double ZByHand(double s, double old, double c) =>
    1 - Math.Min(Math.Abs(s - old) / old, c) / c;

var gateRows = new[] { 0.0, 0.01, 0.025, 0.04, 0.05, 0.10 }.Select(change => new
{
    RelativeChange = change,
    ZByHand = ZByHand(0.2 * (1 + change), 0.2, 0.05),
    ZLibrary = SrateGate.Formula(0.2 * (1 + change), 0.2, 0.05),
}).ToList();
if (gateRows.Any(r => Math.Abs(r.ZByHand - r.ZLibrary) > 1e-12))
    throw new Exception("the hand-written gate disagrees with SrateGate.Formula");
display(HTML(Tables.Rows(gateRows,
    "The gate z at S_old = 0.2, c = 0.05 (left: |S − S_old| / S_old)")));

// The consequence to keep in mind: the gate is open only while $S$ stays near $S_\mathrm{old}$. If
// the target is *also* near $S_\mathrm{old}$ (our earlier reading of the reference set it to the
// baseline's own $S$), then $S - S_\mathrm{target} \approx 0$ whenever $z > 0$ and the term does
// nothing. A fixed target of 0.3, above the $S \approx 0.2$ an MLP settles at, avoids that.

// ## What the term's gradient does to a layer
//
// $S$ counts pairs closer than each box size, so it is piecewise constant in the activations $x$:
// its true gradient is 0 almost everywhere. The reference backpropagates a straight-through
// surrogate instead. A first look, on 6 nodes with 4 samples each: how much of that gradient points
// along $x$ itself? If $\cos(\nabla S, x) \approx \pm 1$, the term only makes the layer's activations
// larger or smaller.

var tiny = torch.randn(6, 4, dtype: torch.ScalarType.Float64,
    generator: new torch.Generator(7)).requires_grad_(true);
var tinyS = Srate.Measure(tiny, scales: 16);
tinyS.Rate.backward();
var g = tiny.grad!;
double cosByHand = (g * tiny).sum().item<double>()
    / (g.norm().item<double>() * tiny.norm().item<double>());
display($"S = {tinyS.S:F4}; cos(∇S, x) = {cosByHand:F3}");

// `SrateGradientAudit.Run` does this on real sizes and then asks the harder question: along a
// direction $u$, does $S$ change as the gradient predicts? Because $S$ is a step function, the
// measured change is a *smoothed* slope: the least-squares slope of $S(x + \delta + h u)$ over
// relative steps $h \in [-0.02, 0.02]$, averaged over small random jitters $\delta$, with a 95 %
// interval. "agree" is undecided when that interval contains 0.

var auditCases = new List<(string Name, torch.Tensor X)>();
int auditNodes = RunMode.Pick(smoke: 48, @default: 256, full: 256);
int auditSeeds = RunMode.Pick(smoke: 1, @default: 1, full: 3);
for (int seed = 0; seed < auditSeeds; seed++)
    auditCases.Add(($"gaussian {auditNodes}x64 seed {seed}", torch.randn(auditNodes, 64,
        dtype: torch.ScalarType.Float64, generator: new torch.Generator((ulong)seed))));
if (!RunMode.Smoke)
{
    using var lab = MlpFeatureLab.TrainAndCapture(epochs: 2, trainSamples: 20000,
        probeSamples: 64, threads: 1);
    var keep = RunMode.Full ? lab.Layers : lab.Layers.Where(l => l.Name is "stem" or "blocks.4");
    foreach (var l in keep) auditCases.Add(($"trained MLP {l.Name}", l.Features.clone()));
}
int directions = RunMode.Pick(smoke: 2, @default: 4, full: 6);
var audits = auditCases.Select(c => SrateGradientAudit.Run(c.X, c.Name, directions, seed: 1,
    replicates: RunMode.Smoke ? 4 : 8, scales: RunMode.Smoke ? 64 : Srate.DefaultScales)).ToList();
display(HTML(Tables.Rows(audits.Select(a => new { a.Case, a.Nodes, a.S, CosGradX = a.ScaleCosine,
    SignAgreement = a.SignAgreement }), RunMode.Title("Gradient audit: one row per node matrix"))));

display(HTML(Tables.Rows(audits.SelectMany(a => a.Checks.Select(c => new
{
    a.Case, c.Direction, Predicted = c.Predicted, Measured = c.Measured.Value,
    Low = c.Measured.Lower, High = c.Measured.Upper,
    Agree = c.SignsAgree is bool b ? (b ? "yes" : "no") : "undecided",
})), RunMode.Title("Predicted (straight-through) against measured dS/dh per direction"),
    digits: 4)));

// Look at three columns. `CosGradX` is close to ±1: the push is a rescaling of the layer. Along
// the estimator's own direction, `Predicted` is hundreds to thousands of times `Measured`. And the
// signs agree about as often as a coin would. The committed audit (`notebooks/measured/
// gradient-audit/`, 3 Gaussian matrices and all 6 trained layers) gives the same picture:

var auditFrame = Microsoft.Data.Analysis.DataFrame.LoadCsv(System.IO.Path.Combine(
    StudySettings.Measured("gradient-audit"), "audit.csv"));
var committedAudit = Enumerable.Range(0, (int)auditFrame.Rows.Count)
    .Select(i => (Dir: auditFrame["direction"][i]!.ToString()!,
                  Agree: auditFrame["signs_agree"][i]!.ToString()!))
    .GroupBy(r => r.Dir.StartsWith("random") ? "random" : r.Dir)
    .Select(grp => new
    {
        Direction = grp.Key,
        Checks = grp.Count(),
        Decided = grp.Count(r => r.Agree != "undecided"),
        Agree = grp.Count(r => r.Agree == "yes"),
    }).ToList();
display(HTML(Tables.Rows(committedAudit, "Committed audit: sign agreement by direction (9 matrices)")));

// That is why the experiment below has a **mechanism control**: an arm whose penalty applies exactly
// the scale part of the Srate term's push, on the same random layer with the same gate
// (`SratePenalty.ActivationScale`: its gradient is the projection of the Srate gradient onto $x$).
// If the control moves accuracy as the Srate arm does, the effect is the scale push.
//
// ## The measured experiment
//
// Fashion-MNIST (6,000 training images, the full test set), the reference MLP block at width 256
// ($n$ = 256 nodes per layer), 60 epochs, batch 64, seeds paired across arms:
//
// | arm | target | λ | question |
// |---|---|---|---|
// | baseline | – | 0 | S recorded only |
// | ref-l5e-2 | 0.3 | 5e-2 | the reference, literally |
// | ref-l0.5, ref-l5 | 0.3 | 0.5, 5 | dose-response |
// | t0.1-l0.5 | 0.1 | 0.5 | S pushed the other way |
// | tbase-l0.5 | baseline S | 0.5 | our old rule at a dose that matters |
// | scale-l0.5 | (0.3) | 0.5 | the scale push alone |

// true: run (or resume) the grid into the results folder (hours); false: read the committed runs.
bool rerun = false;
var measuredDir = rerun ? StudySettings.ResultPath("06-" + StudySettings.MeasuredFolder)
                        : StudySettings.Measured(StudySettings.MeasuredFolder);
ExperimentResult measured = rerun
    ? ExperimentRunner.Run(StudySettings.MeasuredTemplate(), new[] { 0, 1, 2, 3, 4 }, measuredDir,
        arms: ExperimentArm.Parse(StudySettings.MeasuredArms), log: Console.WriteLine)
    : ExperimentRunner.Load(measuredDir);
var curves = ExperimentCurves.Load(measured);
display(HTML(Tables.Rows(measured.Runs.GroupBy(r => r.Arm).Select(grp => new
{
    Arm = grp.Key, Seeds = string.Join(",", grp.Select(r => r.Seed)),
    Target = grp.First().Target, Rule = grp.First().TargetRule ?? "–",
}), "Finished runs in the committed grid")));

// ## Did the constraint act?
//
// First the evidence that the intervention did something, before any accuracy. S per epoch, mean
// over seeds, with the two targets drawn in: a working constraint pulls its arm's line toward its
// target, and the baseline's line is where S goes on its own.

List<ChartSeries> ArmSeries(Func<EpochRecord, double> metric, Func<ArmCurve, bool> keep) =>
    ExperimentCurves.Aggregate(curves.Where(keep), metric)
        .GroupBy(p => p.Arm).Select(grp => new ChartSeries(grp.Key,
            grp.Select(p => (double)p.Epoch).ToList(), grp.Select(p => p.Mean).ToList(),
            Markers: false)).ToList();
int lastEpoch = curves.Max(c => c.Epochs.Count) - 1;
var sSeries = ArmSeries(e => e.S, _ => true);
foreach (var t in new[] { 0.3, 0.1 })
    sSeries.Add(new ChartSeries($"target {t}", new double[] { 0, lastEpoch }, new[] { t, t },
        Markers: false));
var sChart = StudyCharts.Lines(sSeries, "S per epoch on the constrained layer, mean over seeds",
    "epoch (0-based)", "S (Srate, dimensionless)");
Figures.Save(sChart, "06-measured-s", formats: "svg");
display(sChart);

// How hard does the term push, against the cross-entropy? `grad_ratio` is
// ‖∇θ term‖ / ‖∇θ CE‖ over the steps the gate let it act; at λ = 5e-2 the push is a few percent of
// the cross-entropy's, at λ = 5 it dominates.

var ratioChart = StudyCharts.Lines(ArmSeries(e => e.GradRatio, c => c.Arm != "baseline"),
    "Constraint push against the cross-entropy's, per epoch (mean over seeds)",
    "epoch (0-based)", "‖∇θ term‖ / ‖∇θ CE‖", logY: true);
Figures.Save(ratioChart, "06-measured-grad-ratio", formats: "svg");
display(ratioChart);

// Per layer, over the last 5 epochs: S of each arm minus the same seed's baseline, with a paired
// 95 % interval ("all" pools the layers). An interval that excludes 0 means S really moved.

var shifts = ExperimentSummary.LayerShifts(measured.Runs);
display(HTML(Tables.Of(shifts,
    "S shift per layer: arm − baseline over paired seeds, last 5 epochs (committed grid)",
    digits: 4)));

// ## Accuracy, and the dose-response
//
// Final and best-epoch top-1 (the reference reports its best test epoch) per arm, as paired
// differences from the baseline of the same seed, against λ for the three reference-target arms.

var dose = StudySettings.MeasuredDose
    .Where(d => measured.Runs.Count(r => r.Arm == d.Arm) >= 2).ToList();
ChartSeries DoseSeries(string name, Func<ArmRun, double> metric)
{
    var diffs = dose
        .Select(d => ExperimentSummary.Paired(measured.Runs, "baseline", d.Arm, metric))
        .ToList();
    return new ChartSeries(name, dose.Select(d => d.Lambda).ToList(),
        diffs.Select(p => p.Difference.Value).ToList(),
        diffs.Select(p => p.Difference.Lower).ToList(),
        diffs.Select(p => p.Difference.Upper).ToList());
}
if (dose.Count > 0)
{
    var doseChart = StudyCharts.Lines(new[] { DoseSeries("final top-1", r => r.Top1),
            DoseSeries("best-epoch top-1", r => r.BestTop1) },
        "Dose-response: Δ top-1 (arm − baseline) against λ, 95 % paired intervals "
            + "(committed grid)",
        "λ (weight of the Srate term)", "Δ top-1 (percentage points)", logX: true);
    Figures.Save(doseChart, "06-measured-dose-response", formats: "svg");
    display(doseChart);
}
else display("Fewer than 2 finished seeds per reference-target arm: no dose-response yet.");

display(HTML(Tables.Of(measured.Summary,
    "Each arm over seeds, then paired differences arm − baseline (committed grid)",
    digits: 2)));

// ## The mechanism control
//
// `ref-l0.5` and `scale-l0.5` push the same layers equally hard along $x$ at every step (their
// gradient ratios in `runs.csv` match); only `ref-l0.5` carries the rest of the Srate gradient. The
// paired difference between them isolates whatever is specific to self-similarity:

var controlRows = new[] { ("ref-l0.5", "baseline"), ("scale-l0.5", "baseline"),
        ("ref-l0.5", "scale-l0.5"), ("t0.1-l0.5", "baseline"), ("tbase-l0.5", "baseline") }
    .Select(p => (p, d: ExperimentSummary.Paired(measured.Runs, p.Item2, p.Item1, r => r.Top1)))
    .Where(x => x.d.Pairs > 0)
    .Select(x => new { Comparison = $"{x.p.Item1} − {x.p.Item2}", x.d.Pairs,
        Mean = x.d.Difference.Value, Low = x.d.Difference.Lower, High = x.d.Difference.Upper })
    .ToList();
display(HTML(Tables.Rows(controlRows, "Paired Δ final top-1 in points (committed grid)", digits: 2)));

// ## The verdict
//
// The rule, committed with the experiment's README before any constrained run finished: the claim
// is supported only if (1) S moved toward the target, (2) some reference-target arm raised final
// top-1 with a 95 % interval above 0, (3) the rise grows with λ, and (4) it beats both the scale
// control and the opposite target. Condition 2 by hand, from the paired differences:

var gainByHand = StudySettings.MeasuredDose
    .Select(d => ExperimentSummary.Paired(measured.Runs, "baseline", d.Arm, r => r.Top1))
    .Where(p => p.Pairs >= 2).ToList();
display($"condition 2 by hand: {(gainByHand.Count == 0 ? "undecided"
    : gainByHand.Any(p => p.Difference.Lower > 0) ? "holds" : "fails")} " +
    $"({gainByHand.Count} dose arms with at least 2 paired seeds)");

var verdict = ExperimentDecision.Decide(measured.Runs, StudySettings.MeasuredDecision);
display(HTML(Tables.Rows(verdict.Checks.Select(c => new { c.Condition,
    Holds = c.Holds is bool h ? (h ? "yes" : "no") : "undecided", c.Evidence }),
    "The pre-registered decision rule (committed grid)")));
display(verdict.Verdict);

// **What this does and does not test.** It tests the reference's rule as its scripts run it, on a
// set-up that leaves room for a gain (an MLP reaches only about 85 % on Fashion-MNIST here), with
// paired seeds and a control for the one thing the audit says the term does. It does not test 200
// epochs at 224 px, the paper's models and widths (ViT-S has $n$ = 384; the straight-through push
// grows with $n$), or CIFAR and Imagenette. The reference's own comparisons also change more than
// the constraint: ViT-B on CIFAR-10 uses lr 5e-4 for its baseline and 1e-4 constrained, its
// PoolFormer baseline adds `--ThreeAugment --src`, and it reports the best test epoch of one
// unseeded run. A gain there could come from those differences.
//
// ## The attention model
//
// The ViT slice (baseline; target 0.3 at λ 5e-2, the reference's ViT value, and at 0.5; 3 seeds,
// 30 epochs; [measured/fashion-mnist-vit30](measured/fashion-mnist-vit30/)) asks the same question
// of the paper's headline attention model. Its rule was written down before its constrained runs
// finished. It has no scale control, so at best it can say "supported on accuracy". **Look at**
// condition 1 first: at $n = 64$ channels the push is 6× weaker than at ViT-S's 384.

var vitDir = System.IO.Path.Combine(StudySettings.Measured("gradient-audit"), "..",
    "fashion-mnist-vit30");
if (System.IO.Directory.Exists(System.IO.Path.Combine(vitDir, "vit-fashion-mnist")))
{
    var vit = ExperimentRunner.Load(vitDir);
    display(HTML(Tables.Of(vit.Summary,
        "Fashion-MNIST, ViT: each arm over seeds (committed slice)",
        digits: 2)));
    var vitVerdict = ExperimentDecision.Decide(vit.Runs, StudySettings.VitSliceDecision);
    display(HTML(Tables.Rows(vitVerdict.Checks.Select(c => new { c.Condition,
        Holds = c.Holds is bool h ? (h ? "yes" : "no") : "undecided", c.Evidence }),
        "ViT slice: the pre-registered decision rule (committed slice)")));
    display(vitVerdict.Verdict);
}
else display("The ViT slice has not been run yet (see notebooks/measured/fashion-mnist-vit30).");

// ## Smoke check of the pipeline
//
// In smoke mode a tiny grid (2 seeds, 2 epochs on 128 MNIST images, change limit 0.5 so the gate
// opens at all) runs end to end, with a reference-target arm and the scale control. Its numbers
// only show that the pipeline works; its table is labelled "smoke".

if (RunMode.Smoke)
{
    var template = StudySettings.ConstraintTemplate(RunSize.Smoke);
    var smoke = ExperimentRunner.Run(template, StudySettings.ConstraintSeeds(RunSize.Smoke),
        StudySettings.ResultPath("06-experiment"),
        arms: ExperimentArm.Parse("name=ref lambda=0.5; name=scale lambda=0.5 control=scale"));
    display(HTML(Tables.Of(smoke.RunTable, RunMode.Title("Pipeline check: every run"),
        digits: 3)));
}
else display("Not a smoke run: the pipeline check is skipped.");

// ## Exercises
//
// 1. Change $c$ in the gate table to 0.1. How much further can $S$ drift before the term switches
//    off, and what does that do to the "target = baseline S" arm's chance of ever acting?
// 2. Run `SrateGradientAudit.Run` on a layer of the trained MLP scaled by 10 (`l.Features * 10`).
//    Does `CosGradX` change? Does the predicted slope? Explain from the formula for the box sizes.
// 3. Using the per-run `metrics.csv` files, plot `grad_ratio` against the final top-1 of each
//    constrained run. Is the push size, rather than its direction, what predicts accuracy?

// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is
// (global:: because a chapter may name a local Show or HtmlFragment of its own).
static void display(object value) => global::Show.Display(value);
static global::HtmlFragment HTML(string html) => new(html);
static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
    System.IO.Path.GetDirectoryName(file)!;

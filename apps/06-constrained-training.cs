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

Show.StartApp("06-constrained-training", System.IO.Path.Combine(AppFolder(), "../notebooks"));

// # 06 · Constrained training: does pulling S toward a target help?
//
// The paper's second claim (Ding et al. 2025, Sec. 5) is that **adding a self-similarity term to
// the loss improves accuracy** for networks whose feature networks are self-similar (MLPs and
// attention models), by up to about 6 percentage points. The term is
//
//   loss = cross-entropy + z · λ · ½ (S − S_target)²,
//
// where S is computed every step on the node matrix of one randomly drawn layer (64 samples, the
// batch), and z is a gate: 0 in the first epoch, then z = 1 − min(|S − S_old| / S_old, c) / c, so
// the term fades out as S moves more than a fraction c away from S_old, the epoch-mean S refreshed
// every few epochs (the reference's `engine.py`).
//
// We follow the reference's rules (`main.py`, `run_training.sh`, `model/sup_model.py`):
//
// * the target is **the S of the unconstrained model at convergence**, taken per seed from the
//   paired baseline run (its mean S over the last epoch);
// * λ from the reference's table (5e-2 for MLPs, ViT and ResMLP), c = 0.05;
// * AdamW (weight decay 0.05), cosine learning rate stepped once per epoch with warm-up from 1e-6
//   and a floor of 1e-5, base rate scaled by batch / 512; warm-up and the S_old refresh are the
//   reference's 5 of 200 epochs, scaled to the run's length (1 epoch in 20);
// * the reference's `mlp_512` block, x + fc2(gelu(fc1(x))), without norm or dropout (here at width
//   256);
// * the metric is the best test top-1 over epochs (the reference's), and we report the final epoch
//   as well.
//
// The test is **paired runs over seeds**: per seed, a baseline (cross-entropy only, S recorded)
// and constrained arms share the initial weights and the data order; we average the per-seed
// differences and give a Student-t interval.

// **Run time** (measured with `selfsim run` on this 2-core machine, fresh clone, 2026-12-03): default 16 s, reading the measured results; smoke 30 s beside
// one other job, adding a tiny pipeline check (2 seeds, 2 epochs on 128 MNIST images). Re-running the measured grid
// (`rerun = true` below) takes about 2 h of this machine; its README gives the command-line equivalent, which can
// run in pieces.

// true: re-run the measured grid into the results folder (hours);
// false: read the committed results.
bool rerun = false;
var measuredDir = rerun ? StudySettings.ResultPath("06-fashion-mnist-mlp")
                        : StudySettings.Measured("fashion-mnist-mlp");
display(measuredDir);

// ## The measured experiment
//
// Fashion-MNIST (an MLP reaches only about 85-90 % there, so a gain has room to show), the
// reference MLP block at width 256 (hidden 1024), 20 epochs, batch 64, 3 seeds, 6,000 training
// images (so that the grid fits the shared 2-core machine) and the full 10,000-image test set.
// Four arms per seed:
//
// | arm | λ | c | target |
// |---|---|---|---|
// | baseline | – (S recorded) | – | – |
// | lambda5e-2 | 5e-2 (the reference's) | 0.05 | the seed's baseline S |
// | lambda1e-2 | 1e-2 | 0.05 | the seed's baseline S |
// | c0.1-lambda5e-2 | 5e-2 | 0.1 (a wider gate) | the seed's baseline S |
//
// `ExperimentRunner.Run` trains (or, with finished runs on disk, skips) every run;
// `ExperimentRunner.Load` only reads the finished runs under a folder.

ExperimentResult measured;
if (rerun)
{
    var arms = ExperimentArm.Parse(StudySettings.MeasuredArms);
    measured = ExperimentRunner.Run(StudySettings.MeasuredTemplate(), new[] { 0, 1, 2 },
        measuredDir, arms: arms, log: Console.WriteLine);
}
else measured = ExperimentRunner.Load(measuredDir);
var curves = ExperimentCurves.Load(measured);
display($"{measured.Runs.Count} finished runs: " +
    string.Join(", ", measured.Runs.GroupBy(r => r.Arm).Select(g => $"{g.Key} × {g.Count()}")));

// ## Accuracy per epoch
//
// Mean over seeds per arm, with a band of ±1 standard deviation. Epoch 0 runs at the warm-up rate
// (1e-6) with the gate shut, so all arms start alike; look at the last epochs, where the arms
// would separate if the term helped.

var accuracy = StudyCharts.ArmCurves(ExperimentCurves.Aggregate(curves, e => e.TestTop1),
    "Fashion-MNIST, reference MLP: test accuracy per arm (mean ± 1 sd over seeds)",
    "test top-1 accuracy (%)");
Figures.Save(accuracy, "06-measured-accuracy", formats: "svg");
display(accuracy);

// ## S per epoch and per layer
//
// The mean S over each epoch's training steps (each step measures one random layer). The
// constrained arms pull S toward their seed's baseline S at convergence, so any effect shows as S
// approaching the baseline's final value sooner.

display(StudyCharts.ArmCurves(ExperimentCurves.Aggregate(curves, e => e.S),
    "Srate S on training batches of 64, mean over layers drawn (mean ± 1 sd over seeds)",
    "S (Srate, dimensionless)"));

// Per layer, in the last epoch (mean over seeds; each layer's S averages the steps that drew it):

var layers = RunLog.Read(measured.Runs[0].OutDir!).HookPoints;
var perLayer = curves.GroupBy(c => c.Arm).Select(g => new ChartSeries(g.Key,
    layers.Select((_, i) => (double)i).ToList(),
    layers.Select(l => g.Select(c => c.Epochs[^1].SByLayer.GetValueOrDefault(l, double.NaN))
                        .Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average()).ToList()));
var sLayers = StudyCharts.Lines(perLayer,
    "Final-epoch S per layer (0 = stem, 1-5 = blocks), mean over seeds",
    "layer index", "S (dimensionless)");
Figures.Save(sLayers, "06-measured-s-per-layer", formats: "svg");
display(sLayers);

// ## How often did the gate let the term act?
//
// z = 1 means the full term acts, 0 none of it. The fraction of steps with z > 0.5 says how often
// the term acted with at least half its weight. With c = 0.05, S must stay within 5 % of S_old for
// the gate to open.

var constrained = curves.Where(c => c.Arm != ExperimentRunner.Baseline).ToList();
display(StudyCharts.ArmCurves(ExperimentCurves.Aggregate(constrained, e => e.GateOpenFraction),
    "Fraction of steps with gate z > 0.5, per epoch (mean ± 1 sd over seeds)", "fraction of steps"));

display(StudyCharts.ArmCurves(ExperimentCurves.Aggregate(constrained, e => e.Z),
    "Mean gate z per epoch (mean ± 1 sd over seeds)", "gate z (0 = off, 1 = full term)"));

// ## Result table
//
// One row per arm: mean and sample standard deviation over seeds of final and best top-1, top-5,
// final S and the gate's activity (mean z and fraction of steps with z > 0.5, after epoch 0). Then
// one row per constrained arm with the **paired difference** arm − baseline, and 95 % t intervals
// for final (`diff_top1_ci_*`) and best (`diff_best_ci_*`) top-1.

display(HTML(Tables.Of(measured.Summary, "Fashion-MNIST, MLP: each arm over seeds", digits: 2)));

// Every run:

display(HTML(Tables.Of(measured.RunTable, "Fashion-MNIST, MLP: every run", digits: 3)));

// ## What the paper claims and what we see
//
// **The paper claims** up to about 6 points of accuracy from the constraint for MLPs and attention
// models (200 epochs at 224 px). **What these runs show**, computed from the numbers above:

display(ExperimentCurves.VerdictAllArms(measured.Runs));

// **Caveats, plainly.** 20 epochs on 6,000 images of 28 px are not the paper's 200 epochs at 224
// px; three seeds give wide intervals, so only an effect of about a point or more would show; λ
// and c are the reference's, not tuned here. The attention-model run (ViT, same settings) is in
// `notebooks/measured/fashion-mnist-vit` once it has finished; `ExperimentRunner.Load` reads it
// the same way.

// ## The attention model: ViT on Fashion-MNIST
//
// The same settings with the CPU-scale ViT (patch 4, width 64, depth 4, 205,066 parameters) and
// the reference's λ for ViT, 5e-2, at c = 0.05: 3 seeds × 2 arms, the most that fits about 3 hours
// of the shared 2-core machine (one ViT epoch took about 110 s there). Runs that have not finished
// are left out and listed.

var vitDir = System.IO.Path.Combine(StudySettings.Measured("fashion-mnist-mlp"), "..",
                          "fashion-mnist-vit");
try
{
    var vit = ExperimentRunner.Load(vitDir, log: line => Console.WriteLine(line));
    var vitTop1 = ExperimentCurves.Aggregate(ExperimentCurves.Load(vit), e => e.TestTop1);
    display(StudyCharts.ArmCurves(vitTop1,
        "Fashion-MNIST, ViT: test accuracy per arm (mean ± 1 sd over seeds)",
        "test top-1 accuracy (%)"));
    display(HTML(Tables.Of(vit.Summary, "Fashion-MNIST, ViT: each arm over seeds",
        digits: 2)));
    display(ExperimentCurves.VerdictAllArms(vit.Runs));
}
catch (SelfSimException e) { display($"No finished ViT run to show yet ({e.Message})"); }

// ## Smoke check of the pipeline
//
// In smoke mode a tiny grid (2 seeds, 2 epochs on 128 MNIST images, change limit 0.5 so that the
// gate opens at all) runs end to end: baseline first, then a constrained arm with the target from
// each seed's baseline. Its numbers only show that the pipeline works; its figure is labelled
// "smoke".

if (RunMode.Smoke)
{
    var template = StudySettings.ConstraintTemplate(smoke: true);
    var train = Mnist.Load(DataPaths.Default, train: true);
    var test = Mnist.Load(DataPaths.Default, train: false);
    var smoke = ExperimentRunner.Run(template, StudySettings.ConstraintSeeds(smoke: true),
        StudySettings.ResultPath("06-experiment"), (o, resume) =>
        {
            using var t = new ClassifierTrainer(o, train, test);
            return t.Run(resume);
        });
    var chart = StudyCharts.ArmCurves(ExperimentCurves.Aggregate(ExperimentCurves.Load(smoke),
        e => e.TestTop1), "SMOKE pipeline check (not a result): test accuracy per arm",
        "top-1 (%)");
    Figures.Save(chart, "06-smoke-accuracy", formats: "svg");
    display(HTML(Tables.Of(smoke.Summary, "Pipeline check: each arm over seeds", digits: 2)));
    display(chart);
}
else display("Not a smoke run: the pipeline check is skipped.");

// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is.
static void display(object value) => Show.Display(value);
static HtmlFragment HTML(string html) => new(html);
static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
    System.IO.Path.GetDirectoryName(file)!;

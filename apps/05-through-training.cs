// 05-through-training: the chapter notebooks/05-through-training.ipynb as a file-based app, generated from it by `selfsim export notebooks --to app --out apps`.
// Do not edit: edit the notebook and regenerate (a test fails while this file is stale).
// Run from the checkout: `dotnet run apps/05-through-training.cs`; SELFSIM_SIZE=smoke|default|full picks the size,
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

global::Show.StartApp("05-through-training", System.IO.Path.Combine(AppFolder(), "../notebooks"));

// SelfSim.csx's own statements (its files are in the #:project library):
NotebookKernel.Prepare();

// # 05 · Self-similarity through training
//
// Notebook 04 measured each architecture once, after a brief training. Here we watch **one** network, the paper's
// residual MLP, while it learns: does the feature network become more or less self-similar as accuracy rises, and do all
// layers move together?
//
// Two views of S are recorded every epoch:
//
// 1. **On a fixed probe batch** (`ProbeRecorder`): the same test images go through the network before training (epoch 0)
//    and after every epoch, and every hooked layer gives S and d_B. Because the probe never changes, the curves move
//    only because the weights do.
// 2. **On the training batches** (the trainer's *record-only* Srate mode, the reference's `--only-record-sfm-rate`): every
//    step one layer is drawn at random and S is computed on that batch, without changing the loss. This is what the
//    constrained training of notebook 06 acts on.
//
// *Run time: smoke 16 s, default 57 s, full 2.0 min (2 cores, 24 GB; [timings](../docs/timings.md)).*

var train = Mnist.Load(DataPaths.Default, train: true);
var test = Mnist.Load(DataPaths.Default, train: false);
// the notebooks' schedule: per step, peak 1e-3 (the reference's per-epoch rules: 06)
var options = TrainingOptions.PerStepRecipe with
{
    Model = "mlp", Dataset = "mnist", Srate = SrateMode.Record, Device = "cpu", BatchSize = 64,
    Seed = 0, WarmupEpochs = 0.3,
    Epochs = RunMode.Pick(smoke: 2, @default: 3, full: 8),
    TrainLimit = RunMode.Pick(smoke: 128, @default: 20_000, full: 20_000),
    TestLimit = RunMode.Pick(smoke: 128, @default: 10_000, full: 10_000),
    Threads = RunMode.Pick(smoke: 1, @default: 0, full: 0),
};
var probe = NodeMatrix.ProbeBatch(test, NodeMatrix.ProbeSamplesFor(RunMode.Size));
var images = options.TrainLimit > 0 ? options.TrainLimit : train.Count;
display($"{RunMode.Name} size: {options.Model}, {options.Epochs} epochs on {images:N0} images, "
    + $"probe {probe.shape[0]} test images");

// ## Train with the recorder
//
// `ProbeRecorder.Train` measures the untrained network, then hooks the trainer's end-of-epoch callback to measure again
// after each epoch. The measuring time is reported separately from the training time.

var trainer = new ClassifierTrainer(options, train, test);
var recorder = new ProbeRecorder(probe);
var report = recorder.Train(trainer);
var top1 = report.Epochs[^1].TestTop1;
AccuracyFloor.Check("mlp", top1, AccuracyFloor.MlpMnistTop1);
display($"{report.Epochs.Count} epochs: training {report.Epochs.Sum(e => e.Seconds):F0} s, "
    + $"probe measurements {recorder.MeasureSeconds:F0} s; final test top-1 {top1:F2} %");

// ## Accuracy and the trainer's S
//
// First the ordinary learning curve, with the mean S the trainer recorded on its training batches (over whichever layers
// it drew that epoch).

var epochsX = report.Epochs.Select(e => (double)e.Epoch + 1).ToList();
var accuracy = report.Epochs.Select(e => e.TestTop1).ToList();
display(StudyCharts.Lines(new[] { new ChartSeries("test top-1", epochsX, accuracy) },
    "Test accuracy through training (MNIST, residual MLP)", "epochs trained",
    "test top-1 accuracy (%)"));

var batchS = report.Epochs.Select(e => e.S).ToList();
display(StudyCharts.Lines(new[] { new ChartSeries("mean S on training batches", epochsX, batchS) },
    "Srate S recorded on training batches (random layer per step)", "epochs trained",
    "S (Srate, dimensionless)"));

// ## S per layer on the probe batch
//
// One line per hooked layer (the stem, then each residual block). Epoch 0 is the untrained network. Look for whether the
// layers spread apart or converge, and whether deep layers move more than shallow ones.

display(StudyCharts.OverEpochs(recorder.Records, LayerMetric.S, "Srate S per layer on a fixed probe batch"));

// ## d_B per layer on the probe batch
//
// The box dimension from the exact box cover of the same node matrices, with 95 % intervals of the log-log slope.

display(StudyCharts.OverEpochs(recorder.Records, LayerMetric.BoxDimension,
    "Box dimension d_B per layer on a fixed probe batch (95 % CI)"));

// ## The numbers
//
// Change from the untrained network to the last epoch, per layer: S and $d_B$ at initialisation and at the end, their
// difference dS, and S_training_batches, the mean S the trainer recorded for that layer in the last epoch (– when the
// trainer did not draw that layer in that epoch).

int last = recorder.Records.Max(r => r.Epoch);
var first = recorder.Records.Where(r => r.Epoch == 0);
var final = recorder.Records.Where(r => r.Epoch == last);
var change = first.Join(final, a => a.Layer, b => b.Layer, (a, b) => new {
    layer = a.Layer, S_init = a.S, S_final = b.S, dS = b.S - a.S,
    d_B_init = a.BoxDimension.Value, d_B_final = b.BoxDimension.Value,
    S_training_batches = b.TrainingS }).ToList();
display(HTML(Tables.Rows(change, $"Per layer: S and d_B at initialisation and after epoch {last}")));

int up = change.Count(c => c.dS > 0);
var (r, pairs) = recorder.ProbeVersusTrainingS();
display($"S rose in {up} of {change.Count} layers from initialisation to epoch {last}. "
    + $"Probe S vs training-batch S, per (epoch, layer): Pearson r = {r:F2} over {pairs} pairs.");

// **Pearson's r by hand.** Over the $m$ (epoch, layer) pairs that have both numbers (epochs after 0 whose layer
// the trainer drew), with $a_i$ the probe S and $b_i$ the training-batch S,
//
// $$r = \frac{\sum_{i=1}^{m} (a_i - \bar a)(b_i - \bar b)}
// {\sqrt{\sum_{i=1}^{m} (a_i - \bar a)^2 \, \sum_{i=1}^{m} (b_i - \bar b)^2}}.$$
//
// The pairs and $r$ by hand, against `ProbeVersusTrainingS` (which returns NaN below three pairs):

var both = recorder.Records
    .Where(x => x.Epoch > 0 && double.IsFinite(x.S) && double.IsFinite(x.TrainingS)).ToList();
double ma = both.Average(x => x.S), mb = both.Average(x => x.TrainingS);
double sab = both.Sum(x => (x.S - ma) * (x.TrainingS - mb));
double saa = both.Sum(x => Math.Pow(x.S - ma, 2));
double sbb = both.Sum(x => Math.Pow(x.TrainingS - mb, 2));
double rByHand = both.Count < 3 ? double.NaN : sab / Math.Sqrt(saa * sbb);
bool same = double.IsNaN(r) ? double.IsNaN(rByHand) : Math.Abs(rByHand - r) < 1e-12;
if (!same || both.Count != pairs)
    throw new SelfSimException(
        $"Pearson r by hand ({rByHand}) and ProbeVersusTrainingS ({r}) differ");
display(HTML(Tables.Rows(both.Select(x => new { epoch = x.Epoch, layer = x.Layer,
    probe_S = x.S, training_batch_S = x.TrainingS }), "The pairs behind r", digits: 4)));
display(HTML(Tables.Of(new { r_by_hand = rByHand, r_ProbeVersusTrainingS = r, pairs = both.Count },
    "Pearson r by hand and from the recorder", digits: 4)));

// **How to read this.** The probe S and the training-batch S measure the same layers on different images (and the
// training batches pass through dropout), so they need not agree exactly; a high correlation says the cheap per-step
// measurement tracks the layer's self-similarity. In a smoke run there are only two epochs on 128 images, so the curves
// show the mechanics, not the science (every title says "smoke"); the default size trains the network properly.

// ## Exercises
//
// 1. Compute Spearman's rank correlation of the same pairs by hand (rank `probe_S` and `training_batch_S`, then
//    Pearson's r of the ranks). Is it close to Pearson's r?
// 2. Draw S of the last block alone over the epochs with `StudyCharts.Lines` and a `ChartSeries` built from
//    `recorder.Records.Where(x => x.Layer == "blocks.4")`. Does it move monotonically?
// 3. Measure the final network on a probe of 64 images instead (`recorder.Measure(trainer.Model, last,
//    null)` with a new `ProbeRecorder(NodeMatrix.ProbeBatch(test, 64))`). How much does S per layer shift with the
//    probe size?

// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is
// (global:: because a chapter may name a local Show or HtmlFragment of its own).
static void display(object value) => global::Show.Display(value);
static global::HtmlFragment HTML(string html) => new(html);
static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
    System.IO.Path.GetDirectoryName(file)!;

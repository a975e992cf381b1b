// 08-your-own-model: the chapter notebooks/08-your-own-model.ipynb as a file-based app, generated from it by `selfsim export notebooks --to app --out apps`.
// Do not edit: edit the notebook and regenerate (a test fails while this file is stale).
// Run from the checkout: `dotnet run apps/08-your-own-model.cs`; SELFSIM_SIZE=smoke|default|full picks the size,
// SELFSIM_FIGURES the folder its charts go to (as HTML files; tables print as text).
// Packages: the notebook's #r lines, without versions: central package management pins them in Directory.Packages.props
// (Microsoft.Data.Analysis 0.23.1, Plotly.NET 6.0.0, Plotly.NET.CSharp 0.14.0, TorchSharp 0.107.0, TorchSharp-cpu 0.107.0, Microsoft.ML.OnnxRuntime 1.32.0, OnnxSharp 0.3.2);
// the kernel's own Plotly.NET.Interactive is left out.
#:package Microsoft.Data.Analysis
#:package Plotly.NET
#:package Plotly.NET.CSharp
#:package TorchSharp
#:package TorchSharp-cpu
#:package Microsoft.ML.OnnxRuntime
#:package OnnxSharp
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
using System.IO;

global::Show.StartApp("08-your-own-model", System.IO.Path.Combine(AppFolder(), "../notebooks"));

// SelfSim.csx's own statements (its files are in the #:project library):
NotebookKernel.Prepare();
// SelfSimOnnx.csx's own statements (its files are in the #:project library):
OnnxNativeLoader.EnsureLoadable();

// # 08 · Your own model
//
// The chapters so far measured networks of our own zoo. A researcher's first question is about *their* network: **are
// the layers of MY model self-similar?** This chapter answers it for any network that can be exported to
// [ONNX](https://onnx.ai), the exchange format every major framework writes (PyTorch, TensorFlow, JAX, scikit-learn).
//
// The path is the one `selfsim analyze` takes on the command line:
//
// 1. **export** the model to a `.onnx` file (three lines of PyTorch);
// 2. **pick the layers**: by default the output of each residual block (or of each stage, in a network without
//    residual connections), found in the graph;
// 3. **capture** those tensors on a probe batch with ONNX Runtime, and turn each into a node matrix by the paper's rule;
// 4. **measure** each node matrix with the same per-layer record as chapters 04 and 05 (`LayerMeasures`: S and d_B with
//    its 95 % interval).
//
// The model analysed here ships with the repository (`notebooks/models/`), so the chapter runs offline.
//
// *Run time: default 2.6 min, full 4.2 min (2 cores, 24 GB; [timings](../docs/timings.md)).*

// ## Export from PyTorch
//
// Three lines turn a PyTorch model into a file this chapter can read (the `dynamic_axes` entry lets the batch size vary):
//
// ```python
// model.eval()
// example = torch.randn(1, 3, 224, 224)          # one input of the shape the model takes
// torch.onnx.export(model, example, "model.onnx", input_names=["input"], dynamic_axes={"input": {0: "batch"}})
// ```
//
// Then, on the command line, one call measures every block (the image folder is resized to the model's input and
// normalised by ImageNet's mean and std, overridable with `--mean` and `--std`):
//
// ```bash
// selfsim analyze model.onnx --probe my-images/ --out results/     # or --probe mnist, or --probe batch.npy
// selfsim analyze model.onnx --list-layers                          # every candidate layer with its shape
// ```
//
// The model of this chapter was made that way by `tools/make_onnx_model.py`: a torchvision-style ResNet for
// 28×28 digits (torchvision's `BasicBlock`, three stages of two blocks at 16, 32 and 64 channels), trained for one
// epoch on 12,000 MNIST images (92.8 % test accuracy), seeded. Its SHA-256 is recorded in
// `notebooks/models/README.md`; the next cell checks it, so an edited or half-copied file stops here.

var modelPath = new[] { "models", "notebooks/models", "../notebooks/models" }
    .Select(d => Path.GetFullPath(Path.Combine(d, "small-resnet-mnist.onnx")))
    .FirstOrDefault(File.Exists)
    ?? throw new SelfSimException("models/small-resnet-mnist.onnx is missing: run this notebook "
        + "from notebooks/, or rebuild it with /usr/bin/python3 tools/make_onnx_model.py.");
const string ExpectedSha256 = "ca2420a77582ecbe81a2b45d79025c9afc3ff86ff1ae27b0717238bb44be2521";
var sha = Convert.ToHexString(
    System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(modelPath))).ToLowerInvariant();
if (sha != ExpectedSha256)
    throw new SelfSimException($"{modelPath} has SHA-256 {sha}, "
        + $"not the recorded {ExpectedSha256}: restore it with git checkout, "
        + "or record a rebuilt file's hash in models/README.md.");
var model = OnnxModel.Load(modelPath);
display($"{model}; SHA-256 checked; ONNX Runtime native library: {OnnxNativeLoader.Status}");

// The input is one tensor `[batch, 1, 28, 28]` of float32: the MNIST test images fit as they are. The probe is the
// first test images, normalised by MNIST's mean and std, the same images every zoo model of chapter 04 is probed on
// (256 at the default size, 32 at smoke size).

var probe = OnnxProbe.Open("mnist", model.Input, NodeMatrix.ProbeSamplesFor(RunMode.Size));
display(probe.ToString());

// ## Which tensors are layers?
//
// Every float tensor with a batch axis is a **candidate**. `--layers auto` picks the output of each **residual
// block**: the `Add` that joins a block's branch with its shortcut (both inputs are activations of one shape; a bias
// `Add` has a weight for an input and is not one), or the activation right after it when the block ends add-then-ReLU,
// as torchvision's do. Names are the PyTorch module paths, read back from the exporter's node names
// (`/layer1/layer1.0/relu_1/Relu` → `layer1.0.relu_1`). The table marks the picked blocks.

var candidates = OnnxLayers.Candidates(model, probe.Batch(0, 2));
var blocks = OnnxLayers.Blocks(model, candidates);
var picked = blocks.ToDictionary(b => b.Tensor, b => b.Name);
display(HTML(Tables.Rows(candidates.Select(c => new {
    layer = c.Name, op = c.Op, shape = c.ShapeText, rule = OnnxFeatures.Rule(c.Shape),
    auto = picked.TryGetValue(c.Tensor, out var b) ? b : "" }),
    $"{candidates.Count} candidate layers; {blocks.Count} picked by --layers auto")));

// ## By hand: one channel of one image
//
// A conv layer's output is a tensor $a_{s,c,h,w}$: sample $s$, channel $c$, position $(h, w)$. The paper's node is the
// channel; its coordinate for sample $s$ is the **mean over the positions**,
//
// $$x_c(s) = \frac{1}{HW}\sum_{h=1}^{H}\sum_{w=1}^{W} a_{s,c,h,w},$$
//
// so a block with $C$ channels on $N$ probe images gives a node matrix of $C$ rows and $N$ columns. (A token model's
// output $[N, T, C]$ is averaged over the $T$ tokens the same way; an $[N, C]$ output is used as it is.)
//
// Run the first block on two images, take the raw $[2, C, H, W]$ tensor from ONNX Runtime, and average channel 0 of
// image 0 by hand:

var first = blocks[0];
var session = model.Session(new[] { first.Tensor });
var feed = Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor(
    model.Input.Name, probe.Batch(0, 2));
var raw = session.Run(new[] { feed }, new[] { first.Tensor });
var a = raw.First().AsTensor<float>();                      // [2, C, H, W]
int H = a.Dimensions[2], W = a.Dimensions[3];
double sum = 0;
for (int h = 0; h < H; h++)
    for (int w = 0; w < W; w++)
        sum += a[0, 0, h, w];
var byHand = sum / (H * W);
raw.Dispose();
session.Dispose();
display($"{first.Name}: raw output [{string.Join(", ", a.Dimensions.ToArray())}]; "
    + $"x_0(image 0) by hand = {byHand:F6}");

// `OnnxFeatures.Capture` does the same for every channel and every probe image, batch by batch, and returns one
// `NodeMatrix` per layer: the currency every measure of this collection takes. Its entry $[0, 0]$ is the number
// above:

var matrices = OnnxFeatures.Capture(model, probe, blocks);
var m0 = matrices[0];
var captured = m0.Features[0, 0].item<float>();
display(HTML(Tables.Rows(matrices.Select(m => new {
    layer = m.Name, nodes = m.Nodes, samples = m.Samples, precision = m.Precision }),
    "Node matrices captured (rows = channels, columns = probe images)")));
display($"Capture: x_0(image 0) = {captured:F6}; by hand {byHand:F6}; "
    + $"difference {Math.Abs(captured - byHand):E1}");

// ## Measure every block
//
// `OnnxAnalysis.Run` is `selfsim analyze` without the printing: capture, then `LayerMeasures` per layer (S of Srate
// over 256 scales, d_B of the exact box cover with its 95 % interval). A layer wider than 16,383 channels would be
// measured on seeded subsamples of its nodes (see below); none of these is.

foreach (var m in matrices) m.Dispose();
var analysis = OnnxAnalysis.Run(model, probe);
display(HTML(Tables.Rows(analysis.Layers.Select(l => new {
    layer = l.Layer.Name, shape = l.Layer.ShapeText, rule = l.Rule, nodes = l.Measures.Row.Nodes,
    S = l.Measures.Row.S, d_B = l.Measures.Row.BoxDimension.Value,
    d_B_low = l.Measures.Row.BoxDimension.Lower, d_B_high = l.Measures.Row.BoxDimension.Upper,
    note = l.Measures.Row.Note ?? "" }),
    $"{Path.GetFileName(modelPath)}: S and d_B per block ({probe.Count} probe images)")));

// Where did the time go? ONNX Runtime ran the probe through the model; the measures ran on our side:

display(HTML(Tables.Of(new {
    onnx_runtime_s = analysis.RuntimeSeconds, reduce_s = analysis.ReduceSeconds,
    measures_s = analysis.MeasureSeconds, provider = analysis.Provider },
    "Seconds spent per stage of the analysis", digits: 2)));

// ## Compare with the zoo
//
// Chapter 04 trains the zoo's models on the same data and measures the same kind of layer (each block's output). Train
// the zoo's ResNet (a CIFAR-style ResNet-14) and ViT with chapter 04's budgets here (saved under `results/`, so a rerun
// loads them) and put all three on one axis, **relative depth** (0 = the first measured layer, 1 = the last), since the
// models differ in depth. Our zoo hooks the stem too; the ONNX model's first point is its first block.

var train = Mnist.Load(DataPaths.Default, train: true);
var test = Mnist.Load(DataPaths.Default, train: false);
var zooOptions = ArchitectureSurveyOptions.ForSize(RunMode.Size)
    with { Models = new[] { "resnet", "vit" } };
var zoo = ArchitectureSurvey.LoadOrRun(StudySettings.ResultPath("08-zoo", ".json"),
    zooOptions, train, test, Console.WriteLine);
var both = analysis.Rows.Concat(ArchitectureSurvey.TrainedLayers(zoo)).ToList();
display(StudyCharts.PerLayer(both, LayerMetric.S, "Srate S per layer: the ONNX model beside the zoo's"));

display(StudyCharts.PerLayer(both, LayerMetric.BoxDimension,
    "Box dimension d_B per layer (95 % CI): the ONNX model beside the zoo's"));

display(HTML(Tables.Rows(both.GroupBy(r => r.Architecture).Select(g => new {
    model = g.Key, layers = g.Count(),
    mean_S = g.Average(r => r.S), min_S = g.Min(r => r.S), max_S = g.Max(r => r.S),
    mean_d_B = g.Select(r => r.BoxDimension.Value).Where(double.IsFinite)
        .DefaultIfEmpty(double.NaN).Average() }),
    "Per model: S and d_B over its measured layers")));

// **How to read this.** The ONNX model is a small ResNet trained for one epoch; the zoo's ResNet and ViT trained with
// chapter 04's budgets. Three models are too few for a claim about architectures (chapter 04 has the full survey);
// what this shows is that a model from outside the zoo lands on the same axes with the same measures, so it can be
// placed among them. At smoke size every model is near chance and the figures say "smoke".

// ## Layers wider than the limit
//
// The exact box cover and Srate hold all $n^2$ distances between nodes, so they stop at 16,383 nodes on the CPU. Real
// models have wider tensors (a flattened conv map, a wide MLP). `selfsim analyze` then measures **seeded subsamples**
// of 16,383 nodes (three by default, `--draws`), reports the first draw's row and the spread over the draws, and says
// so in its output. Here the same mechanism at a tiny limit: the last block's 64 channels, subsampled to 48, five
// times:

var last = blocks[^1].Name;
var sub = OnnxAnalysis.Run(model, probe, last, maxNodes: 48, draws: 5, seed: 0).Layers.Single();
display(HTML(Tables.Rows(sub.Measures.S.Select((s, i) => new {
    draw = i, seed = sub.Measures.Seed + i, nodes = sub.Measures.MeasuredNodes, S = s,
    d_B = sub.Measures.BoxDimension[i] }),
    $"{last}: S and d_B of 5 subsamples of 48 of its {sub.Measures.TotalNodes} channels")));
var whole = analysis.Layers.Single(l => l.Layer.Name == last).Measures.Row;
display($"All {whole.Nodes} channels: S = {whole.S:F4}. "
    + $"Note on the subsampled row: {sub.Measures.Row.Note}");

// The spread over the draws is the price of measuring a part: when it is small beside the differences between layers,
// the subsampled numbers can be compared; when it is not, raise `--max-nodes` (on a machine with the memory) or use
// more probe images.

// ## Exercises
//
// 1. **Your model.** Export a torchvision model (`torchvision.models.resnet18(weights=None)` will do) with the three lines
//    above and run `selfsim analyze model.onnx --probe mnist --list-layers`. Which tensors does `--layers auto` pick, and
//    does the count match the model's blocks?
// 2. **The channel axis.** A channels-last model (TensorFlow's default) gives conv maps $[N, H, W, C]$. Which axis does
//    the default rule average over for a 4-D tensor, and what does `--channel-axis 3` change? Check it with
//    `NodeFeatures.ReduceAt` on a small tensor built by hand.
// 3. **Subsampling.** Repeat the last section with 40 and 60 of the 64 channels. How does the spread of S over the draws
//    change with the subsample size?

// The kernel's display and HTML, as an app has them (shared/figures/Show.csx), and where this file is
// (global:: because a chapter may name a local Show or HtmlFragment of its own).
static void display(object value) => global::Show.Display(value);
static global::HtmlFragment HTML(string html) => new(html);
static string AppFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
    System.IO.Path.GetDirectoryName(file)!;

#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// Trains a zoo model on an image classification set, optionally under the self-similarity constraint of
/// Ding et al. 2025 (engine.py train_one_epoch): every step one hooked layer is drawn at random, its [C,B] node
/// matrix from the current batch enters Srate, and loss = CE + z·λ·½(S − target)² with the gate z of <see cref="SrateGate"/>
/// (with <see cref="TrainingOptions.SrateChunks"/> = k: k layers on k chunks of the batch, averaged, as the reference's k GPUs).
/// AdamW, cosine schedule with warm-up, label smoothing; per-epoch metrics and checkpoints in <see cref="TrainingOptions.OutDir"/>.
/// </summary>
public sealed class ClassifierTrainer : IDisposable
{
    private readonly ImageDataset train, test;
    private readonly Device device;
    private readonly TorchSharp.Modules.OptimizerHelper optimizer;
    private readonly SrateGate gate;

    public ClassifierTrainer(TrainingOptions options, ImageDataset train, ImageDataset test)
    {
        options.Validate();
        Options = options;
        this.train = options.TrainLimit > 0 ? train.Take(options.TrainLimit) : train;
        this.test = options.TestLimit > 0 ? test.Take(options.TestLimit) : test;
        if (this.train.Count < options.BatchSize)
            throw new SelfSimException($"The training split has {this.train.Count} images, fewer than one batch of {options.BatchSize}. Lower --batch-size.");
        if (this.train.Classes != this.test.Classes || this.train.ImageSize != this.test.ImageSize || this.train.Channels != this.test.Channels)
            throw new SelfSimException($"Train ({this.train}) and test ({this.test}) splits differ in shape or classes. Load both splits of one dataset.");
        device = Devices.Pick(options.Device);
        Input = new TrainingInput(options, this.train);

        torch.manual_seed(options.Seed);
        Model = ModelZoo.Create(options.Model, options.Scale, this.train.Channels, Input.Size, this.train.Classes);
        Model.to(device);

        // timm's default: no weight decay on biases and norm/scale vectors (1-D parameters).
        var decay = Model.parameters().Where(p => p.requires_grad && p.dim() > 1).ToList();
        var noDecay = Model.parameters().Where(p => p.requires_grad && p.dim() <= 1).ToList();
        optimizer = optim.AdamW(new[]
        {
            new TorchSharp.Modules.AdamW.ParamGroup(decay, lr: options.LearningRate, weight_decay: options.WeightDecay),
            new TorchSharp.Modules.AdamW.ParamGroup(noDecay, lr: options.LearningRate, weight_decay: 0),
        }, lr: options.LearningRate);
        gate = new SrateGate(options.EffectiveSampleEvery, options.ChangeLimit);
        StepsPerEpoch = this.train.Count / options.BatchSize; // drop_last, as the reference's loader
        Schedule = CosineWarmupSchedule.For(options, StepsPerEpoch);
        Report = new RunReport
        {
            Options = options,
            ModelDescription = ModelZoo.Describe(options.Model),
            Parameters = Model.ParameterCount(),
            HookPoints = Model.HookPoints,
            Device = device.ToString(),
        };
    }

    public TrainingOptions Options { get; }
    public HookedModel Model { get; }
    /// <summary>What the model sees: size, augmentation recipe, evaluation view (<see cref="TrainingInput"/>).</summary>
    public TrainingInput Input { get; }
    public RunReport Report { get; private set; }
    public int StepsPerEpoch { get; }
    public CosineWarmupSchedule Schedule { get; }
    /// <summary>Called with progress reports (from the training thread).</summary>
    public Action<TrainingProgress>? Progress { get; set; }
    /// <summary>Called with (epoch, step, normalized input batch) before each forward pass; may modify the batch in place.</summary>
    public Action<int, int, Tensor>? BatchHook { get; set; }

    /// <summary>Loads the data the options name and trains. See <see cref="Run"/>.</summary>
    public static RunReport Train(TrainingOptions options, bool resume = false, Action<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        var (tr, te) = TrainingData.Load(options.Dataset, options.DataDir);
        using var t = new ClassifierTrainer(options, tr, te) { Progress = progress };
        return t.Run(resume, cancel);
    }

    /// <summary>
    /// Trains to <see cref="TrainingOptions.Epochs"/>. With <paramref name="resume"/>, continues from OutDir/checkpoint.bin
    /// (same results as an uninterrupted run). Cancelling stops at the next step; the last finished epoch stays on disk.
    /// A non-finite loss throws <see cref="TrainingDivergedException"/> and keeps the last good checkpoint.
    /// </summary>
    public RunReport Run(bool resume = false, CancellationToken cancel = default)
    {
        var o = Options;
        string? ckpt = o.OutDir is null ? null : Path.Combine(o.OutDir, TrainingCheckpoint.FileName);
        int startEpoch = 0;
        long globalStep = 0;
        var epochs = new List<EpochRecord>();
        if (resume)
        {
            if (ckpt is null) throw new SelfSimException("--resume needs --out: the folder of the run to continue.");
            var peek = TrainingCheckpoint.ReadState(ckpt);
            ResumeSettings.Check(peek.Options, o, ckpt);
            var state = TrainingCheckpoint.Load(ckpt, Model, optimizer);
            startEpoch = state.Epoch + 1;
            globalStep = state.GlobalStep;
            gate.Restore(state.GateOldS, state.GateOldEpoch);
            epochs.AddRange(state.Epochs);
        }
        Report = Report with { Epochs = epochs, Status = "running", Message = null };
        if (o.OutDir is not null) { Directory.CreateDirectory(o.OutDir); RunLog.Write(o.OutDir, Report); }

        int threads = torch.get_num_threads();
        int wantThreads = o.Deterministic ? 1 : o.Threads;
        if (wantThreads > 0 && device.type == DeviceType.CPU) torch.set_num_threads(wantThreads);
        FeatureCapture? capture = o.Srate == SrateMode.Off ? null
            : FeatureCapture.Attach(Model, Model.HookPoints, keepGraph: o.Srate == SrateMode.Constrain);
        try
        {
            for (int epoch = startEpoch; epoch < o.Epochs; epoch++)
            {
                var record = TrainEpoch(epoch, ref globalStep, capture, cancel);
                if (record is null)
                {
                    Report = Report with { Status = "interrupted", Message = $"Stopped during epoch {epoch}; the checkpoint holds epoch {epoch - 1}. Continue with --resume." };
                    if (o.OutDir is not null) RunLog.Write(o.OutDir, Report);
                    return Report;
                }
                epochs.Add(record);
                if (o.Srate != SrateMode.Off) gate.EndEpoch(epoch, record.S);
                Report = Report with { Epochs = epochs, Status = epoch == o.Epochs - 1 ? "completed" : "running" };
                bool saved = false;
                try
                {
                    if (ckpt is not null)
                        TrainingCheckpoint.Save(ckpt, new CheckpointState
                        {
                            Epoch = epoch,
                            GlobalStep = globalStep,
                            GateOldS = gate.OldS,
                            GateOldEpoch = gate.OldEpoch,
                            Options = o,
                            Epochs = epochs.ToList(),
                        }, Model, optimizer);
                    saved = true;
                    if (o.OutDir is not null) RunLog.Write(o.OutDir, Report);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw SaveFailed(saved ? epoch : epoch - 1, epoch, e);
                }
                Progress?.Invoke(new TrainingProgress("epoch", epoch, o.Epochs, StepsPerEpoch, StepsPerEpoch, record.TrainLoss, record.S, record.Z, record.LearningRate, record));
            }
            Report = Report with { Status = "completed" };
            if (o.OutDir is not null) RunLog.Write(o.OutDir, Report);
            return Report;
        }
        catch (TrainingDivergedException e)
        {
            Report = Report with { Status = "diverged", Message = e.Message };
            if (o.OutDir is not null) RunLog.Write(o.OutDir, Report);
            throw;
        }
        finally
        {
            capture?.Dispose();
            if (wantThreads > 0 && device.type == DeviceType.CPU) torch.set_num_threads(threads);
        }
    }

    /// <summary>One epoch of training and the evaluation after it; null when cancelled.</summary>
    private EpochRecord? TrainEpoch(int epoch, ref long globalStep, FeatureCapture? capture, CancellationToken cancel)
    {
        var o = Options;
        var sw = Stopwatch.StartNew();
        // Every random stream of an epoch derives from (seed, epoch): a resumed run draws exactly what an uninterrupted one does.
        torch.manual_seed(EpochSeed(o.Seed, epoch));
        var rng = new Random(EpochSeed(o.Seed, epoch));
        using var perm = torch.randperm(train.Count);
        Model.train();
        double sumLoss = 0, sumCe = 0, sumSl = 0, sumS = 0, sumZ = 0;
        long correct = 0, seen = 0;
        int sCount = 0, srateSkipped = 0;
        var layerSum = new Dictionary<string, (double Sum, int N)>();
        var layerGate = new Dictionary<string, (double SumZ, int Open, int N)>(); // chunks that drew the layer: Σz, #(z > 0.5), n
        int openChunks = 0, termSteps = 0, scaleCount = 0;
        double sumRatio = 0, sumCos = 0, sumScaleCos = 0;
        var trainable = Model.parameters().Where(p => p.requires_grad).Cast<Tensor>().ToList();
        var hooks = Model.HookPoints;
        double lr = 0;

        for (int step = 0; step < StepsPerEpoch; step++)
        {
            if (cancel.IsCancellationRequested) return null;
            using var scope = torch.NewDisposeScope();
            lr = Schedule.At(globalStep);
            foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;

            var idx = perm.narrow(0, (long)step * o.BatchSize, o.BatchSize);
            var raw = train.Images.index_select(0, idx);
            var labels = train.Labels.index_select(0, idx);
            var (batch, soft) = Input.TrainBatch(raw, labels, rng);
            var x = batch.to(device);
            var y = labels.to(device);
            BatchHook?.Invoke(epoch, step, x);

            var logits = Model.call(x);
            // The DeiT recipe mixes images, so the loss is the cross-entropy against the mixed, smoothed soft targets (timm's
            // SoftTargetCrossEntropy, as main.py picks when mixup is on); otherwise label-smoothed cross-entropy on the labels.
            var ce = soft is null ? functional.cross_entropy(logits, y, label_smoothing: o.LabelSmoothing)
                                  : MixupCutmix.SoftCrossEntropy(logits, soft.to(device));
            double ceValue = ce.item<float>();
            if (!double.IsFinite(ceValue)) throw Diverged(epoch, step, ceValue, ceValue, double.NaN, 0);
            var loss = ce;
            Tensor? termLoss = null;
            double s = double.NaN, sl = double.NaN, z = 0;
            if (capture is not null)
            {
                // The Srate term (SrateChunks.csx): k random layers on k chunks of the batch, each with its own z against the
                // shared S_old, averaged; k = 1 (the default) is one random layer on the whole batch.
                bool constrain = o.Srate == SrateMode.Constrain;
                var term = SrateChunks.Compute(l => capture[l], hooks, o.SrateChunks, rng, o.SrateTarget, o.SrateScales,
                    constrain ? gate.Z : _ => 0.0, constrain, o.EffectiveSrateWeight, o.Penalty);
                if (term.NonFiniteLayer is string bad)
                    throw Diverged(epoch, step, double.NaN, ceValue, double.NaN, 0, $"layer {bad} has NaN/Inf activations");
                if (term.Loss is not null) loss = ce + term.Loss;
                srateSkipped += term.Skipped;
                if (term.Chunks.Count > 0) (s, sl, z) = (term.MeanS, term.MeanLoss, term.MeanZ);
                foreach (var c in term.Chunks)
                {
                    sumS += c.S; sumSl += c.LossValue; sCount++;
                    var cur = layerSum.TryGetValue(c.Layer, out var v) ? v : (0.0, 0);
                    layerSum[c.Layer] = (cur.Item1 + c.S, cur.Item2 + 1);
                    var g = layerGate.TryGetValue(c.Layer, out var gv) ? gv : (0.0, 0, 0);
                    layerGate[c.Layer] = (g.Item1 + c.Z, g.Item2 + (c.Z > 0.5 ? 1 : 0), g.Item3 + 1);
                    if (c.Z > 0.5) openChunks++;
                    if (double.IsFinite(c.ScaleCosine)) { sumScaleCos += c.ScaleCosine; scaleCount++; }
                }
                termLoss = term.Loss;
            }

            double lossValue = loss.item<float>();
            if (!double.IsFinite(lossValue)) throw Diverged(epoch, step, lossValue, ceValue, s, z);
            optimizer.zero_grad();
            if (termLoss is null) loss.backward();
            else
            {
                // Two passes give the two pushes apart (the evidence that the constraint acted): the term's parameter
                // gradient, then the cross-entropy's; the step uses their sum, as one backward of CE + term would.
                var (ratio, cos) = GradientShares.BackwardApart(trainable, () => optimizer.zero_grad(), ce, termLoss);
                sumRatio += ratio; sumCos += cos; termSteps++;
            }
            optimizer.step();
            globalStep++;
            // TorchSharp's optimizers read param.grad through wrappers that only finalizers release; until they do, autograd
            // cannot accumulate in place and allocates fresh gradients every step (~2x the weights leaked per step).
            if (globalStep % 4 == 0) { GC.Collect(); GC.WaitForPendingFinalizers(); }

            sumLoss += lossValue; sumCe += ceValue; sumZ += z;
            correct += logits.argmax(1).eq(y).sum().item<long>();
            seen += o.BatchSize;
            if (Progress is not null && (step % 10 == 0 || step == StepsPerEpoch - 1))
                Progress(new TrainingProgress("train", epoch, o.Epochs, step + 1, StepsPerEpoch, lossValue, s, z, lr));
        }
        double trainSeconds = sw.Elapsed.TotalSeconds;
        Progress?.Invoke(new TrainingProgress("eval", epoch, o.Epochs, StepsPerEpoch, StepsPerEpoch, sumLoss / StepsPerEpoch, double.NaN, 0, lr));
        var (top1, top5, testLoss) = Evaluate(Model, test, device, o.EvalBatchSize, Input.EvalBatch);
        int n = StepsPerEpoch;
        return new EpochRecord
        {
            Epoch = epoch,
            TrainLoss = sumLoss / n,
            TrainCe = sumCe / n,
            SrateLoss = sCount > 0 ? sumSl / sCount : double.NaN,
            S = sCount > 0 ? sumS / sCount : double.NaN,
            SByLayer = hooks.Where(layerSum.ContainsKey).ToDictionary(h => h, h => layerSum[h].Sum / layerSum[h].N),
            Z = sumZ / n,
            GateOpenFraction = (double)openChunks / ((long)n * o.SrateChunks),
            ZByLayer = hooks.Where(layerGate.ContainsKey).ToDictionary(h => h, h => layerGate[h].SumZ / layerGate[h].N),
            GateOpenByLayer = hooks.Where(layerGate.ContainsKey).ToDictionary(h => h, h => (double)layerGate[h].Open / layerGate[h].N),
            OldS = gate.OldS ?? double.NaN,
            TrainTop1 = 100.0 * correct / seen,
            TestTop1 = top1,
            TestTop5 = top5,
            TestLoss = testLoss,
            LearningRate = lr,
            Seconds = sw.Elapsed.TotalSeconds,
            SamplesPerSecond = seen / trainSeconds,
            SrateSkipped = srateSkipped,
            SMinusTarget = sCount > 0 ? sumS / sCount - o.SrateTarget : double.NaN,
            TermStepFraction = (double)termSteps / n,
            GradRatio = termSteps > 0 ? sumRatio / termSteps : double.NaN,
            GradCosine = termSteps > 0 ? sumCos / termSteps : double.NaN,
            ScaleCosine = scaleCount > 0 ? sumScaleCos / scaleCount : double.NaN,
        };
    }

    /// <summary>A failed save (e.g. a full disk): the last good files stay, metrics.json says "failed" and why, if it still can.</summary>
    private SelfSimException SaveFailed(int kept, int epoch, Exception e)
    {
        string reason = OutputGuard.IsDiskFull(e) ? "the disk is full" : e.Message.TrimEnd('.');
        string message = $"Could not save epoch {epoch} in '{Options.OutDir}' ({reason}); " +
                         (kept >= 0 ? $"the checkpoint of epoch {kept} is kept" : "no checkpoint was written yet") +
                         ". Free some space (or fix the folder), then continue with --resume.";
        Report = Report with { Status = "failed", Message = message };
        try { if (Options.OutDir is not null) RunLog.Write(Options.OutDir, Report); }
        catch (Exception again) when (again is IOException or UnauthorizedAccessException) { }
        return new SelfSimException(message, e);
    }

    private TrainingDivergedException Diverged(int epoch, int step, double loss, double ce, double s, double z, string? why = null)
    {
        int lastGood = epoch - 1;
        string kept = Options.OutDir is null ? "no checkpoint (no --out)"
            : lastGood >= 0 ? $"the checkpoint of epoch {lastGood} in {Path.Combine(Options.OutDir, TrainingCheckpoint.FileName)} is kept"
            : "no checkpoint yet (it diverged in the first epoch)";
        return new TrainingDivergedException(
            $"Training diverged: the loss is {loss} at epoch {epoch}, step {step} (cross-entropy {ce}, S {s:G4}, z {z:G3}{(why is null ? "" : "; " + why)}); {kept}. " +
            "Lower --lr (or --srate-weight), or check the inputs for NaN.", epoch, step, lastGood);
    }

    /// <summary>Top-1 and top-5 accuracy (percent) and mean cross-entropy of <paramref name="model"/> on a dataset; <paramref name="view"/>
    /// maps raw images to what the model sees before normalisation (e.g. <see cref="TrainingInput.EvalBatch"/>; null: as stored).</summary>
    public static (double Top1, double Top5, double Loss) Evaluate(Module<Tensor, Tensor> model, ImageDataset data, Device device, int batchSize = 1000,
        Func<Tensor, Tensor>? view = null)
    {
        model.eval();
        long c1 = 0, c5 = 0;
        double loss = 0;
        int k = Math.Min(5, data.Classes);
        using (torch.no_grad())
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                int len = Math.Min(batchSize, data.Count - start);
                var raw = data.Images.narrow(0, start, len);
                var x = data.Normalize(view is null ? raw : view(raw)).to(device);
                var y = data.Labels.narrow(0, start, len).to(device);
                var logits = model.call(x);
                loss += functional.cross_entropy(logits, y, reduction: Reduction.Sum).item<float>();
                var topk = logits.topk(k, 1).indexes;
                var hit = topk.eq(y.unsqueeze(1));
                c1 += hit.select(1, 0).sum().item<long>();
                c5 += hit.any(1).sum().item<long>();
            }
        model.train();
        return (100.0 * c1 / data.Count, 100.0 * c5 / data.Count, loss / data.Count);
    }

    /// <summary>The seed of an epoch's random streams (shuffling, augmentation, dropout, layer draws).</summary>
    public static int EpochSeed(int seed, int epoch) => unchecked(seed * 1_000_003 + epoch * 7919 + 17);

    public void Dispose()
    {
        optimizer.Dispose();
        Model.Dispose();
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

// The trainer's input pipeline. The DeiT recipe follows the reference's datasets.py build_transform and main.py (Ding et al.
// 2025), i.e. timm's create_transform + Mixup as DeiT (Touvron et al. 2021) sets them: train = random-resized crop (bicubic)
// and flip, RandAugment rand-m9-mstd0.5-inc1, normalise, random erasing 0.25, then mixup 0.8 / cutmix 1.0 with label-smoothed
// soft targets and a soft-target cross-entropy; eval = resize the shorter side to ⌊size/0.875⌋ (bicubic), centre crop.
// At input ≤ 32 px on images of that size the reference swaps the random-resized crop for a 4-px padded random crop.

/// <summary>
/// Turns raw batches (float [B,C,H,W] in [0, 1], the dataset's native size) into what the model sees at
/// <see cref="Size"/> px: <see cref="TrainBatch"/> for a training step (normalised images and, with the DeiT recipe,
/// soft targets), <see cref="EvalBatch"/> for evaluation. Normalisation uses the dataset's own mean and std (the reference
/// uses ImageNet's for every dataset; ours keeps one normalisation per dataset for the whole toolkit).
/// </summary>
public sealed class TrainingInput
{
    private readonly ImageDataset data;

    public TrainingInput(TrainingOptions options, ImageDataset data)
    {
        this.data = data;
        Native = data.ImageSize;
        Size = options.EffectiveInputSize(Native);
        Deit = options.EffectiveDeitAugment;
        CropFlip = options.Augment ?? TrainingData.DefaultAugment(options.Dataset);
        Mixup = MixupConfig.Deit with { LabelSmoothing = options.LabelSmoothing };
    }

    /// <summary>The side of the square images the model sees.</summary>
    public int Size { get; }
    /// <summary>The dataset's own image side.</summary>
    public int Native { get; }
    /// <summary>The DeiT recipe (RandAugment, random erasing, mixup/cutmix with soft targets, DeiT's crops).</summary>
    public bool Deit { get; }
    /// <summary>Without the DeiT recipe: the 4-px padded random crop and flip (<see cref="ImageAugment.RandomCropFlip"/>).</summary>
    public bool CropFlip { get; }
    public RandAugmentConfig Policy { get; } = RandAugmentConfig.Deit;
    public RandomErasingConfig Erasing { get; } = RandomErasingConfig.Deit;
    public MixupConfig Mixup { get; }

    /// <summary>
    /// One training batch from raw images and labels: the normalised input [B,C,Size,Size] and, with the DeiT recipe, the mixed
    /// soft targets [B,classes] (null without it: train on the hard labels with label smoothing). Draws from <paramref name="rng"/>
    /// (crops, RandAugment, erasing boxes, mixup) and torch's global generator (erasing noise).
    /// </summary>
    public (Tensor Images, Tensor? SoftTargets) TrainBatch(Tensor raw, Tensor labels, Random rng)
    {
        if (!Deit)
        {
            var x = Size == Native ? raw : ImagePipeline.Resize(raw, Size, Size);
            if (CropFlip) x = ImageAugment.RandomCropFlip(x, rng);
            return (data.Normalize(x), null);
        }
        var images = new List<Tensor>((int)raw.shape[0]);
        try
        {
            bool paddedCrop = Size <= 32 && Size == Native;   // the reference's RandomCrop(size, padding=4) below 33 px
            using var cropped = paddedCrop ? ImageAugment.RandomCropFlip(raw, rng) : null;
            for (long i = 0; i < raw.shape[0]; i++)
            {
                using var one = cropped is null ? ImagePipeline.RandomResizedCropFlip(raw[i], Size, rng) : cropped[i];
                images.Add(RandAugment.Apply(one, Policy, rng, data.Mean));
            }
            using var batch = stack(images);
            var normalized = data.Normalize(batch);
            RandomErasing.ApplyInPlace(normalized, Erasing, rng);
            var (mixed, targets, _) = MixupCutmix.Apply(normalized, labels, data.Classes, Mixup, rng);
            normalized.Dispose();
            return (mixed, targets);
        }
        finally { foreach (var t in images) t.Dispose(); }
    }

    /// <summary>The evaluation view of raw images (not normalised): DeiT's resize-and-centre-crop with the recipe, else a
    /// bicubic resize to <see cref="Size"/> when it differs from the native size, else the images themselves.</summary>
    public Tensor EvalBatch(Tensor raw) =>
        Deit ? ImagePipeline.EvalTransform(raw, Size) : Size == Native ? raw : ImagePipeline.Resize(raw, Size, Size);
}

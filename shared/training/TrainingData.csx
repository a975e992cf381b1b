#nullable enable
using System;

/// <summary>Loads the train and test splits a training run names.</summary>
public static class TrainingData
{
    public static (ImageDataset Train, ImageDataset Test) Load(string dataset, string? dataDir = null)
    {
        var dir = dataDir ?? DataPaths.Default;
        return dataset switch
        {
            "mnist" or "fashion-mnist" => (Mnist.Load(dir, true, dataset), Mnist.Load(dir, false, dataset)),
            "cifar10" => (Cifar.Load(dir, true, 10), Cifar.Load(dir, false, 10)),
            "cifar100" => (Cifar.Load(dir, true, 100), Cifar.Load(dir, false, 100)),
            "imagenette" => (ImageFolder.LoadImagenette(dir, true), ImageFolder.LoadImagenette(dir, false)),
            "cinic10" => (ImageFolder.LoadCinic10(dir, "train"), ImageFolder.LoadCinic10(dir, "test")),
            _ => throw new SelfSimException($"Unknown dataset '{dataset}'. Use {string.Join(", ", TrainingOptions.Datasets)}."),
        };
    }

    /// <summary>Crop and flip by default only for CIFAR (digits must not be mirrored).</summary>
    public static bool DefaultAugment(string dataset) => dataset.StartsWith("cifar", StringComparison.Ordinal);
}

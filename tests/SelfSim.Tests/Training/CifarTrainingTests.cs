using System;
using System.IO;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SelfSim.Tests.Training;

[Collection(TorchRngCollection.Name)]
public class CifarTrainingTests
{
    /// <summary>Writes CIFAR-10 binary files: per record 1 label byte, then 1024 R, 1024 G, 1024 B bytes (32x32).</summary>
    static void WriteSyntheticCifar10(string dataDir, int perBatch, int testCount)
    {
        var dir = Path.Combine(dataDir, "cifar10", "cifar-10-batches-bin");
        Directory.CreateDirectory(dir);
        var rng = new Random(5);
        byte[] Records(int n)
        {
            var bytes = new byte[n * 3073];
            for (int i = 0; i < n; i++)
            {
                int label = i % 10;
                bytes[i * 3073] = (byte)label;
                for (int p = 0; p < 3072; p++)
                {
                    int plane = p / 1024, row = p % 1024 / 32;
                    // class signal: the red plane is bright in a 3-row band picked by the label
                    int v = rng.Next(0, 100) + (plane == 0 && row / 3 == label ? 150 : 0);
                    bytes[i * 3073 + 1 + p] = (byte)Math.Min(255, v);
                }
            }
            return bytes;
        }
        for (int b = 1; b <= 5; b++) File.WriteAllBytes(Path.Combine(dir, $"data_batch_{b}.bin"), Records(perBatch));
        File.WriteAllBytes(Path.Combine(dir, "test_batch.bin"), Records(testCount));
    }

    [Fact]
    public void Cifar_binary_data_trains_a_cnn_with_crop_and_flip_and_writes_metrics()
    {
        using var data = new TempDir();
        using var run = new TempDir();
        WriteSyntheticCifar10(data.Path, perBatch: 40, testCount: 50);
        var o = new TrainingOptions
        {
            Model = "resnet",
            Dataset = "cifar10",
            DataDir = data.Path,
            Epochs = 2,
            BatchSize = 20,
            LearningRate = 2e-3,
            WarmupEpochs = 0.5,
            Schedule = LrSchedule.PerStep,
            ScaleLearningRate = false,
            Seed = 3,
            Srate = SrateMode.Record,
            SrateScales = 64,
            Device = "cpu",
            OutDir = run.Path,
            Deterministic = true,
        };
        var (train, test) = TrainingData.Load(o.Dataset, o.DataDir);
        Assert.Equal(200, train.Count);
        Assert.Equal(3, train.Channels);
        Assert.Equal(32, train.ImageSize);
        using var t = new ClassifierTrainer(o, train, test);
        Assert.True(TrainingData.DefaultAugment(o.Dataset));   // crop + flip on for CIFAR
        Assert.False(TrainingData.DefaultAugment("mnist"));     // never mirror digits
        var report = t.Run();
        Assert.Equal("completed", report.Status);
        Assert.Equal(2, report.Epochs.Count);
        Assert.All(report.Epochs, e => Assert.True(double.IsFinite(e.TrainLoss) && double.IsFinite(e.S)));
        Assert.InRange(report.Epochs[^1].TestTop1, 0, 100);
        Assert.True(report.Epochs[^1].TestTop5 >= report.Epochs[^1].TestTop1);
        Assert.True(File.Exists(Path.Combine(run.Path, "metrics.csv")));
        Assert.Equal(6, report.HookPoints.Count); // ResNet-14: 3 stages x 2 blocks
    }

    [Fact]
    public void Random_crop_and_flip_keep_shape_and_move_pixels()
    {
        using var x = arange(2 * 3 * 8 * 8).reshape(2, 3, 8, 8).to_type(ScalarType.Float32);
        using var y = ImageAugment.RandomCropFlip(x, new Random(1), pad: 2);
        Assert.Equal(x.shape, y.shape);
        Assert.False(y.eq(x).all().item<bool>(), "with pad 2 some offset or flip must differ from identity for seed 1");
        // Every output pixel is either zero padding or a value from the same image and channel.
        for (int i = 0; i < 2; i++)
            for (int c = 0; c < 3; c++)
            {
                var src = x[i, c].flatten().data<float>().ToHashSet();
                Assert.All(y[i, c].flatten().data<float>().ToArray(), v => Assert.True(v == 0 || src.Contains(v)));
            }
    }

    [Fact]
    public void Missing_cifar_files_name_the_fetch_command()
    {
        using var empty = new TempDir();
        var e = Assert.ThrowsAny<Exception>(() => TrainingData.Load("cifar10", empty.Path));
        Assert.Contains("cifar", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}

using System;
using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace SelfSim.Cli;

/// <summary>A tiny end-to-end check on the embedded MNIST: load, train a small MLP briefly, evaluate.</summary>
public static class EndToEndCheck
{
    public sealed record Result(int TrainSamples, int TestSamples, double TestAccuracy, double Seconds);

    public static Result Run(Device device, int trainSamples = 5000, int testSamples = 2000, int epochs = 2, int seed = 1)
    {
        var sw = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        manual_seed(seed);
        var train = Mnist.Load(DataPaths.Default, train: true).Take(trainSamples);
        var test = Mnist.Load(DataPaths.Default, train: false).Take(testSamples);
        var model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.GELU(), nn.Linear(128, 10)).to(device);
        var opt = optim.AdamW(model.parameters(), 2e-3);
        var x = train.Normalize(train.Images).to(device);
        var y = train.Labels.to(device);
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var order = randperm(train.Count, device: device);
            for (int i = 0; i < train.Count; i += 100)
            {
                using var inner = NewDisposeScope();
                var idx = order.narrow(0, i, Math.Min(100, train.Count - i));
                opt.zero_grad();
                var loss = nn.functional.cross_entropy(model.forward(x.index_select(0, idx)), y.index_select(0, idx));
                loss.backward();
                opt.step();
            }
        }
        model.eval();
        using var noGrad = no_grad();
        var pred = model.forward(test.Normalize(test.Images).to(device)).argmax(1);
        double acc = pred.eq(test.Labels.to(device)).to_type(ScalarType.Float32).mean().item<float>();
        return new Result(train.Count, test.Count, acc, sw.Elapsed.TotalSeconds);
    }
}

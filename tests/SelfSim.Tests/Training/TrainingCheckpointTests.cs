using System.IO;
using System.Linq;
using Xunit;

namespace SelfSim.Tests.Training;

[Collection(TorchRngCollection.Name)]
public class TrainingCheckpointTests
{
    [Fact]
    public void LoadWeights_gives_a_fresh_model_the_finished_runs_weights_and_refuses_another_model()
    {
        var (train, test) = TrainerTests.Toy(128);
        using var dir = new TempDir();
        var o = new TrainingOptions
        {
            Model = "mlp",
            Dataset = "mnist",
            Epochs = 1,
            BatchSize = 32,
            Seed = 3,
            Deterministic = true,
            Srate = SrateMode.Off,
            Device = "cpu",
            OutDir = dir.Path,
        };
        using var t = new ClassifierTrainer(o, train, test);
        t.Run();
        var path = Path.Combine(dir.Path, TrainingCheckpoint.FileName);
        var options = TrainingCheckpoint.ReadState(path).Options;
        using var fresh = ModelZoo.Create(options.Model, options.Scale, test.Channels, options.EffectiveInputSize(test.ImageSize), test.Classes);
        var before = fresh.parameters().First().clone();
        var state = TrainingCheckpoint.LoadWeights(path, fresh);
        Assert.Equal(0, state.Epoch);
        Assert.False(before.eq(fresh.parameters().First()).all().item<bool>());                    // the weights did change ...
        var trained = t.Model.state_dict();
        foreach (var (name, w) in fresh.state_dict())                                // ... to exactly the run's
            Assert.True(w.eq(trained[name]).all().item<bool>(), name);

        using var other = ModelZoo.Create(options.Model, options.Scale, test.Channels, options.EffectiveInputSize(test.ImageSize), 7);
        var e = Assert.Throws<SelfSimException>(() => TrainingCheckpoint.LoadWeights(path, other));
        Assert.Contains("belongs to another model", e.Message);
    }
}

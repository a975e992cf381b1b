using System.IO;
using System.Linq;
using SelfSim.Tests.Models;
using Xunit;

namespace SelfSim.Tests.Cli;

/// <summary>`selfsim checkpoint` end to end: PyTorch weights of the zoo's CPU-scale ViT, probe images from the embedded MNIST.</summary>
[Collection(SelfSim.Tests.Training.TorchRngCollection.Name)]
public class CheckpointCommandTests : IClassFixture<StateDictLoaderTests.Files>
{
    readonly StateDictLoaderTests.Files files;
    public CheckpointCommandTests(StateDictLoaderTests.Files files) => this.files = files;

    [Fact]
    public void Command_loads_the_weights_and_measures_every_hooked_layer()
    {
        var (rc, stdout, err) = InProcessCli.Run("checkpoint", "--weights", Path.Combine(files.Dir, "vit_cpu.safetensors"),
            "--model", "vit", "--scale", "cpu", "--classes", "10", "--image-size", "32", "--dataset", "mnist", "--probe", "24", "--json");
        Assert.True(rc == 0, err);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        var layers = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(new[] { "blocks.0", "blocks.1", "blocks.2", "blocks.3" }, layers.Select(l => l.GetProperty("layer").GetString()));
        Assert.All(layers, l => Assert.Equal(24, l.GetProperty("samples").GetInt32()));
        Assert.All(layers, l => Assert.InRange(l.GetProperty("s").GetDouble(), 0.0, 1.0));
        // every LayerMeasures field of docs/cli-json.md: the precisions and the Srate d_B with its interval
        Assert.All(layers, l => Assert.Equal(("float32", "float32"),
            (l.GetProperty("precision").GetString(), l.GetProperty("sratePrecision").GetString())));
        Assert.All(layers, l => Assert.True(l.GetProperty("srateBoxDimension").TryGetProperty("upper", out _)
            && l.GetProperty("normalisedSlope").TryGetProperty("lower", out _) && l.GetProperty("boxDimension").TryGetProperty("level", out _)));
        // and the measures beside S: TwoNN of nodes and samples (Estimate objects), the nodes' correlation dimension, weight α
        Assert.All(layers, l => Assert.InRange(l.GetProperty("sampleTwoNn").GetProperty("value").GetDouble(), 0.5, 24));
        Assert.All(layers, l => Assert.True(l.GetProperty("nodeTwoNn").GetProperty("lower").GetDouble() > 0));
        Assert.All(layers, l => Assert.True(l.TryGetProperty("nodeCorrelationDimension", out _)));
        Assert.All(layers, l => Assert.InRange(l.GetProperty("weightAlpha").GetDouble(), 1.0, 50));
    }
}

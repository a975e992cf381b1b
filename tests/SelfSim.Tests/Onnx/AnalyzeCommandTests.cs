using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text.Json;
using SelfSim.Cli;
using SelfSim.Tests.Cli;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace SelfSim.Tests.Onnx;

/// <summary>`selfsim analyze` end to end: its S and d_B per layer equal `selfsim srate` and `selfsim boxcover` run on
/// PyTorch's dumped activations; --list-layers, --out, and the three kinds of probe.</summary>
[Collection("Console")]
public class AnalyzeCommandTests : IClassFixture<OnnxExports>
{
    readonly OnnxExports _x;
    public AnalyzeCommandTests(OnnxExports x) => _x = x;

    [Theory]
    [InlineData("resnet18")]
    [InlineData("vit")]
    public void S_and_dB_per_layer_equal_srate_and_boxcover_on_the_pytorch_activations(string name)
    {
        var (code, output, err) = InProcessCli.Run("analyze", _x.Model(name), "--probe", _x.Probe(name), "--json");
        Assert.True(code == 0, err);
        var layers = JsonDocument.Parse(output).RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(_x.Blocks[name], layers.Select(l => l.GetProperty("layer").GetString()));
        foreach (var l in layers)
        {
            var hook = _x.Hook(name, l.GetProperty("layer").GetString()!);
            var m = l.GetProperty("measures");
            var srate = InProcessCli.Run("srate", "--features", hook, "--samples-in-rows", "--json");
            Assert.True(srate.Code == 0, srate.Err);
            // The activations agree to 1e-5 (float32, two runtimes); S, a float32 rate over 256 scales, moves by up to
            // about 1e-5 with them (1.4e-5 seen on the ViT), d_B by about 1e-6.
            Close(JsonDocument.Parse(srate.Out).RootElement.GetProperty("srate").GetDouble(), m.GetProperty("s").GetDouble(), 1e-4);
            var box = InProcessCli.Run("boxcover", "--features", hook, "--samples-in-rows", "--json");
            Assert.True(box.Code == 0, box.Err);
            var b = JsonDocument.Parse(box.Out).RootElement;
            // boxcover: logLogFit.boxDimension.value (null without a fit); analyze: the row's boxDimension estimate
            double analyzed = Number(m.GetProperty("boxDimension").GetProperty("value"));
            if (b.TryGetProperty("logLogFit", out var fit) && fit.ValueKind == JsonValueKind.Object)
                Close(fit.GetProperty("boxDimension").GetProperty("value").GetDouble(), analyzed, 1e-5);
            else
                Assert.True(double.IsNaN(analyzed), "boxcover fitted no d_B, analyze did");
        }
    }

    // A number as RunLog.Json writes it: NaN as the string "NaN".
    static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetDouble();

    static void Close(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected:R}, got {actual:R} (tolerance {tolerance})");

    [Fact]
    public void List_layers_prints_candidates_with_shapes_and_marks_the_blocks()
    {
        var (code, output, err) = InProcessCli.Run("analyze", _x.Model("vit"), "--list-layers");
        Assert.True(code == 0, err);
        Assert.Contains("2 picked by --layers auto", output);
        var marked = output.Split('\n').Where(l => l.StartsWith("* ")).ToList();
        Assert.Equal(2, marked.Count);
        Assert.StartsWith("* encoder.layers.encoder_layer_0 = encoder.layers.encoder_layer_0/Add_1", marked[0]);
        Assert.Contains("[N, 17, 64]", marked[0]);
        Assert.Contains("mean over tokens", marked[0]);
    }

    [Fact]
    public void Out_writes_json_csv_and_titled_figures()
    {
        var dir = Path.Combine(_x.Dir, "out");
        var (code, output, err) = InProcessCli.Run("analyze", _x.Model("vit"), "--probe", _x.Probe("vit"), "--out", dir);
        Assert.True(code == 0, err);
        Assert.Contains("encoder.layers.encoder_layer_1", output);
        Assert.Contains("s in ONNX Runtime", output);
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "analyze.json"))).RootElement;
        Assert.Equal("input", json.GetProperty("input").GetProperty("name").GetString());
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "layers.csv")).Length);
        Assert.Contains("Srate S per layer of vit", File.ReadAllText(Path.Combine(dir, "s-per-layer.html")));
        Assert.Contains("Box dimension d_B (95 % CI) per layer of vit", File.ReadAllText(Path.Combine(dir, "dB-per-layer.html")));
    }

    [Fact]
    public void Subsampling_is_said_in_the_table()
    {
        var (code, output, err) = InProcessCli.Run("analyze", _x.Model("resnet18"), "--probe", _x.Probe("resnet18"), "--layers", "layer4.1", "--max-nodes", "200");
        Assert.True(code == 0, err);
        Assert.Contains("note: subsampled: 200 of 512 nodes, 3 seeded draws (seed 0)", output);
        Assert.Contains("layers wider than 200 nodes were measured on 3 seeded subsamples", output);
    }

    [Fact]
    public void An_image_folder_is_resized_and_normalised_as_stated()
    {
        var folder = Path.Combine(_x.Dir, "images");
        Directory.CreateDirectory(Path.Combine(folder, "a"));
        for (int k = 0; k < 3; k++)
        {
            using var img = new Image<Rgb24>(40, 40, new Rgb24((byte)(60 * k), 128, 255));
            img.SaveAsPng(Path.Combine(folder, "a", $"{k}.png"));
        }
        ImageSharpDecoder.Install();
        var model = OnnxModel.Load(_x.Model("vit"));
        var probe = OnnxProbe.Open(folder, model.Input, 8);
        Assert.Equal(new[] { 3, 3, 32, 32 }, probe.Shape);
        Assert.Contains("normalised by mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225)", probe.Source);
        // A flat image stays flat through resize and crop: image 1, red channel = (60/255 − 0.485)/0.229.
        Assert.Equal((60 / 255f - 0.485f) / 0.229f, probe.Data[1 * 3 * 1024 + 5], 5);
        var custom = OnnxProbe.Open(folder, model.Input, 8, mean: new[] { 0.5f }, std: new[] { 0.5f });
        Assert.Equal((128 / 255f - 0.5f) / 0.5f, custom.Data[1024 + 7], 5);               // image 0, green channel
        var (code, _, err) = InProcessCli.Run("analyze", _x.Model("vit"), "--probe", folder, "--json");
        Assert.True(code == 0, err);
    }

    [Fact]
    public void Mnist_probes_are_shaped_for_the_model_or_refused_in_one_line()
    {
        var model = OnnxModel.Load(_x.Model("vit"));
        var probe = OnnxProbe.Open("mnist", model.Input, 4);
        Assert.Equal(new[] { 4, 3, 32, 32 }, probe.Shape);                              // 1×28×28 resized, channel repeated
        Assert.Contains("normalised by mean (0.1307, 0.1307, 0.1307)", probe.Source);
        var (code, _, err) = InProcessCli.Run("analyze", Path.Combine(_x.Dir, "two-inputs.onnx"), "--probe", "mnist");
        Assert.Equal(1, code);
        Assert.Single(err.Trim().Split('\n'));
    }
}

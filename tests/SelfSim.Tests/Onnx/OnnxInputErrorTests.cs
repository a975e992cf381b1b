using System;
using System.IO;
using System.Linq;
using SelfSim.Cli;
using Xunit;

namespace SelfSim.Tests.Onnx;

/// <summary>Bad inputs to the ONNX path get one clear line each: what is wrong, what the model expects, what to do.</summary>
public class OnnxInputErrorTests : IClassFixture<OnnxExports>
{
    readonly OnnxExports _x;
    public OnnxInputErrorTests(OnnxExports x) => _x = x;

    static string Line(Action a)
    {
        var e = Record.Exception(a);
        Assert.NotNull(e);
        var line = CliErrors.Describe(e!);
        Assert.DoesNotContain("internal error", line);
        Assert.DoesNotContain('\n', line);
        return line;
    }

    static AnalyzeCommand.AnalyzeArgs Args(string model, string? probe, string layers = OnnxLayers.Auto) =>
        new(model, probe, layers, Samples: 16);

    [Fact]
    public void A_truncated_model_is_named_and_the_fix_given()
    {
        var bytes = File.ReadAllBytes(_x.Model("vit"));
        var cut = Path.Combine(_x.Dir, "cut.onnx");
        File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var line = Line(() => AnalyzeCommand.Run(Args(cut, _x.Probe("vit")), TextWriter.Null));
        Assert.Contains("cut.onnx' is not a readable ONNX model", line);
        Assert.Contains("truncated", line);
        Assert.Contains("torch.onnx.export", line);
    }

    [Fact]
    public void A_file_that_is_not_onnx_is_refused()
    {
        var text = Path.Combine(_x.Dir, "notes.onnx");
        File.WriteAllText(text, "this is a text file, not a model\n");
        var line = Line(() => OnnxModel.Load(text));
        Assert.Contains("notes.onnx' is not a readable ONNX model", line);
    }

    [Fact]
    public void A_model_with_two_inputs_names_them()
    {
        var line = Line(() => OnnxModel.Load(Path.Combine(_x.Dir, "two-inputs.onnx")));
        Assert.Contains("has 2 inputs (a [2, 4] float32; b [2, 4] float32)", line);
        Assert.Contains("one input", line);
    }

    [Fact]
    public void A_probe_of_the_wrong_shape_names_the_input_the_model_expects()
    {
        // MNIST-shaped samples [16, 1, 28, 28] for a model that takes [batch, 3, 32, 32].
        var wrong = Path.Combine(_x.Dir, "mnist-like.npy");
        var zeros = new float[16 * 28 * 28];
        WriteNpy(wrong, zeros, 16, 1, 28, 28);
        var line = Line(() => AnalyzeCommand.Run(Args(_x.Model("resnet18"), wrong), TextWriter.Null));
        Assert.Contains("is [16, 1, 28, 28], but the model's input is input [batch, 3, 32, 32] float32", line);
    }

    [Fact]
    public void A_layer_that_does_not_exist_lists_the_nearest_names()
    {
        var line = Line(() => AnalyzeCommand.Run(Args(_x.Model("resnet18"), _x.Probe("resnet18"), "layer1.2"), TextWriter.Null));
        Assert.Contains("has no layer 'layer1.2'; nearest: ", line);
        var nearest = line.Split("nearest: ")[1].Split(". --list-layers")[0].Split(", ");
        Assert.Contains("layer1.0", nearest);
        Assert.Contains("layer1.1", nearest);
        Assert.Contains("--list-layers", line);
    }

    [Fact]
    public void A_missing_probe_says_what_the_model_takes()
    {
        var line = Line(() => AnalyzeCommand.Run(Args(_x.Model("vit"), null), TextWriter.Null));
        Assert.Contains("--probe is missing", line);
        Assert.Contains("input [batch, 3, 32, 32] float32", line);
    }

    /// <summary>A float32 C-order .npy of any rank.</summary>
    internal static void WriteNpy(string path, float[] data, params int[] shape)
    {
        var dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")}), }}";
        int pad = (64 - (10 + dict.Length + 1) % 64) % 64;
        var header = dict + new string(' ', pad) + "\n";
        using var f = File.Create(path);
        f.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(header.Length & 255), (byte)(header.Length >> 8) });
        f.Write(System.Text.Encoding.Latin1.GetBytes(header));
        var buf = new byte[data.Length * 4];
        Buffer.BlockCopy(data, 0, buf, 0, buf.Length);
        f.Write(buf);
    }
}

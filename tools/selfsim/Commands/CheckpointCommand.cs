using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using static TorchSharp.torch;

namespace SelfSim.Cli;

/// <summary>`selfsim checkpoint`: load a PyTorch state dict (.pt/.pth/.safetensors, timm parameter names) into a zoo model and
/// measure S and d_B of every hooked layer on a probe batch of a dataset.</summary>
public sealed class CheckpointCommand : ICliCommand
{
    public Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "state dict saved by torch.save(model.state_dict()) or safetensors (timm names)", Required = true };
        var model = new Option<string>("--model") { Description = "zoo model: " + string.Join(", ", ModelZoo.Names) + " (paper scale = vit_small_patch16_224, resmlp_12_224, mixer_b16_224, poolformer_s12)", Required = true };
        var scale = new Option<string>("--scale") { Description = "paper (timm sizes) or cpu", DefaultValueFactory = _ => "paper" };
        var classes = new Option<int>("--classes") { Description = "classes of the checkpoint's head (1000 for ImageNet weights)", DefaultValueFactory = _ => 1000 };
        var size = new Option<int>("--image-size") { Description = "input side the model was built for", DefaultValueFactory = _ => 224 };
        var dataset = new Option<string>("--dataset") { Description = "probe images: mnist, fashion-mnist, cifar10, cifar100, imagenette, cinic10 (test split, resized to --image-size)", DefaultValueFactory = _ => "cifar10" };
        var probe = new Option<int>("--probe") { Description = "probe images (the samples of each node; default: the studies' one probe size)", DefaultValueFactory = _ => NodeMatrix.DefaultProbeSamples };
        var data = new Option<string?>("--data") { Description = "data folder" };
        var json = new Option<bool>("--json") { Description = "print one JSON array of layers (fields: docs/cli-json.md)" };
        var cmd = new Command("checkpoint", "Load PyTorch weights into a zoo model (strict: missing, unexpected and mis-shaped keys are listed) and measure S and d_B per hooked layer on a probe batch.")
            { weights, model, scale, classes, size, dataset, probe, data, json };
        cmd.SetAction((parse, cancel) =>
        {
            var sc = parse.GetValue(scale) == "cpu" ? ModelScale.Cpu : parse.GetValue(scale) == "paper" ? ModelScale.Paper
                : throw new SelfSimException($"--scale '{parse.GetValue(scale)}' is not a scale. Use paper or cpu.");
            int side = parse.GetValue(size);
            if (parse.GetValue(probe) < 1) throw new SelfSimException($"--probe must be at least 1 image; got {parse.GetValue(probe)}.");
            using var net = ModelZoo.Create(parse.GetValue(model)!, sc, 3, side, parse.GetValue(classes));
            int copied = CheckpointFile.LoadInto(net, parse.GetValue(weights)!);
            var (_, test) = TrainingData.Load(parse.GetValue(dataset)!, parse.GetValue(data));
            var take = test.Take(Math.Min(parse.GetValue(probe), test.Count));
            using var raw = take.Images.shape[1] == 1 ? take.Images.expand(-1, 3, -1, -1).contiguous() : take.Images.alias();
            using var sized = raw.shape[2] == side && raw.shape[3] == side ? raw.alias() : ImagePipeline.Resize(raw, side, side);
            var mean = take.Mean.Length == 3 ? take.Mean : Enumerable.Repeat(take.Mean[0], 3).ToArray();
            var std = take.Std.Length == 3 ? take.Std : Enumerable.Repeat(take.Std[0], 3).ToArray();
            using var m = tensor(mean).view(1, 3, 1, 1);
            using var s = tensor(std).view(1, 3, 1, 1);
            using var batch = (sized - m) / s;
            var layers = LayerMeasures.Survey(net, batch);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(layers, RunLog.Json));
            else
            {
                var c = CultureInfo.InvariantCulture;
                Console.WriteLine($"{net.Architecture}: {copied} tensors loaded from {parse.GetValue(weights)}; probe {batch.shape[0]} images of {take.Name}");
                Console.WriteLine("layer                      nodes        S      d_B");
                foreach (var l in layers)
                    Console.WriteLine(string.Format(c, "{0,-24} {1,7} {2,8:F4} {3,8:F3}{4}", l.Layer, l.Nodes, l.S, l.BoxDimension, l.Note is null ? "" : "  " + l.Note));
            }
            return System.Threading.Tasks.Task.FromResult(0);
        });
        return cmd;
    }
}

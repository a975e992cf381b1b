#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// ResNet layout (He et al. 2016): blocks per stage and stage widths. Paper = ResNet-34 with the ImageNet stem
/// (the reference trains timm's resnet34); Cpu = a CIFAR-style ResNet-14 (3x3 stem, widths 16/32/64).
/// </summary>
public sealed record ResNetConfig(int[] BlocksPerStage, int[] Widths, bool ImageNetStem)
{
    public static ResNetConfig Paper => new(new[] { 3, 4, 6, 3 }, new[] { 64, 128, 256, 512 }, ImageNetStem: true);
    public static ResNetConfig Cpu => new(new[] { 2, 2, 2 }, new[] { 16, 32, 64 }, ImageNetStem: false);
}

/// <summary>Basic residual block: two 3x3 conv-BN, projection shortcut when the shape changes. Output after the final ReLU.</summary>
public sealed class ResNetBasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Module<Tensor, Tensor> shortcut;

    public ResNetBasicBlock(int inC, int outC, int stride) : base(nameof(ResNetBasicBlock))
    {
        conv1 = Conv2d(inC, outC, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(outC);
        conv2 = Conv2d(outC, outC, 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(outC);
        shortcut = stride != 1 || inC != outC
            ? Sequential(Conv2d(inC, outC, 1, stride: stride, bias: false), BatchNorm2d(outC))
            : Identity();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var y = functional.relu(bn1.call(conv1.call(x)));
        y = bn2.call(conv2.call(y));
        return functional.relu(y + shortcut.call(x));
    }
}

/// <summary>ResNet (He et al. 2016) with a CIFAR or ImageNet stem. Hook points: every residual block ("blocks.i"), as the reference hooks timm's layerN.i.</summary>
public sealed class CifarResNet : HookedModel
{
    private readonly Module<Tensor, Tensor> stem;
    private readonly ModuleList<Module<Tensor, Tensor>> blocks;
    private readonly Linear head;
    private readonly IReadOnlyList<string> hooks;

    public CifarResNet(ResNetConfig config, int inChannels, int classes) : base(nameof(CifarResNet))
    {
        int w0 = config.Widths[0];
        stem = config.ImageNetStem
            ? Sequential(Conv2d(inChannels, w0, 7, stride: 2, padding: 3, bias: false), BatchNorm2d(w0), ReLU(), MaxPool2d(3, 2, 1))
            : Sequential(Conv2d(inChannels, w0, 3, stride: 1, padding: 1, bias: false), BatchNorm2d(w0), ReLU());
        blocks = new ModuleList<Module<Tensor, Tensor>>();
        int c = w0;
        for (int s = 0; s < config.Widths.Length; s++)
            for (int b = 0; b < config.BlocksPerStage[s]; b++)
            {
                blocks.Add(new ResNetBasicBlock(c, config.Widths[s], b == 0 && s > 0 ? 2 : 1));
                c = config.Widths[s];
            }
        head = Linear(c, classes);
        hooks = Numbered("blocks", blocks.Count);
        RegisterComponents();
    }

    public override IReadOnlyList<string> HookPoints => hooks;
    public override string Architecture => "resnet";

    public override Tensor forward(Tensor x)
    {
        x = stem.call(x);
        foreach (var b in blocks) x = b.call(x);
        return head.call(x.mean(new long[] { 2, 3 }));
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// VGG layout (Simonyan and Zisserman 2015): conv widths, 0 = max-pool after the previous conv.
/// Paper = VGG-11 (the reference trains timm's vgg11), with BatchNorm and a global-average-pool head;
/// Cpu = four narrow conv stages.
/// </summary>
public sealed record VggConfig(int[] Layout)
{
    public static VggConfig Paper => new(new[] { 64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0 });
    public static VggConfig Cpu => new(new[] { 32, 0, 64, 0, 128, 128, 0 });
}

/// <summary>conv3x3 - BN - ReLU, optionally followed by a 2x2 max-pool.</summary>
public sealed class VggUnit : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly Module<Tensor, Tensor> pool;

    public VggUnit(int inC, int outC, bool poolAfter) : base(nameof(VggUnit))
    {
        conv = Conv2d(inC, outC, 3, padding: 1, bias: false);
        bn = BatchNorm2d(outC);
        pool = poolAfter ? MaxPool2d(2, 2) : Identity();
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => pool.call(functional.relu(bn.call(conv.call(x))));
}

/// <summary>A VGG (Simonyan and Zisserman 2015). Hook points: each conv unit ("blocks.i").</summary>
public sealed class SmallVgg : HookedModel
{
    private readonly ModuleList<Module<Tensor, Tensor>> blocks;
    private readonly Dropout drop;
    private readonly Linear head;
    private readonly IReadOnlyList<string> hooks;

    public SmallVgg(VggConfig config, int inChannels, int classes) : base(nameof(SmallVgg))
    {
        blocks = new ModuleList<Module<Tensor, Tensor>>();
        int c = inChannels;
        var layout = config.Layout;
        for (int i = 0; i < layout.Length; i++)
        {
            if (layout[i] == 0) continue;
            bool pool = i + 1 < layout.Length && layout[i + 1] == 0;
            blocks.Add(new VggUnit(c, layout[i], pool));
            c = layout[i];
        }
        drop = Dropout(0.3);
        head = Linear(c, classes);
        hooks = Numbered("blocks", blocks.Count);
        RegisterComponents();
    }

    public override IReadOnlyList<string> HookPoints => hooks;
    public override string Architecture => "vgg";

    public override Tensor forward(Tensor x)
    {
        foreach (var b in blocks) x = b.call(x);
        return head.call(drop.call(x.mean(new long[] { 2, 3 })));
    }
}

#nullable enable
using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>ViT sizes (Dosovitskiy et al. 2021). Paper = ViT-S/16 (timm vit_small_patch16_224, the reference's vit_small_); Cpu = patch 4, dim 64, 4 blocks.</summary>
public sealed record VitConfig(int Patch, int Dim, int Depth, int Heads, int MlpRatio = 4, double Dropout = 0.0)
{
    public static VitConfig Paper => new(Patch: 16, Dim: 384, Depth: 12, Heads: 6);
    public static VitConfig Cpu => new(Patch: 4, Dim: 64, Depth: 4, Heads: 4);
}

/// <summary>Multi-head self-attention over tokens [B,T,C].</summary>
public sealed class SelfAttention : Module<Tensor, Tensor>
{
    private readonly Linear qkv, proj;
    private readonly int heads;

    public SelfAttention(int dim, int heads) : base(nameof(SelfAttention))
    {
        if (dim % heads != 0) throw new SelfSimException($"ViT: width {dim} is not divisible by {heads} heads. Pick a width that is a multiple of the head count.");
        this.heads = heads;
        qkv = Linear(dim, dim * 3);
        proj = Linear(dim, dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        long b = x.shape[0], t = x.shape[1], c = x.shape[2];
        var parts = qkv.call(x).reshape(b, t, 3, heads, c / heads).permute(2, 0, 3, 1, 4); // [3,B,h,T,d]
        var attn = functional.scaled_dot_product_attention(parts[0], parts[1], parts[2]);  // [B,h,T,d]
        return proj.call(attn.transpose(1, 2).reshape(b, t, c));
    }
}

/// <summary>Pre-norm transformer block: x + attn(LN(x)), then x + mlp(LN(x)). Its output is the token stream [B,T,C].</summary>
public sealed class VitBlock : Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1, norm2;
    private readonly SelfAttention attn;
    private readonly FeedForward mlp;

    public VitBlock(int dim, int heads, int mlpRatio, double dropout) : base(nameof(VitBlock))
    {
        norm1 = LayerNorm(dim, eps: VisionTransformer.NormEps);
        attn = new SelfAttention(dim, heads);
        norm2 = LayerNorm(dim, eps: VisionTransformer.NormEps);
        mlp = new FeedForward(dim, dim * mlpRatio, dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x + attn.call(norm1.call(x));
        return x + mlp.call(norm2.call(x));
    }
}

/// <summary>
/// Vision Transformer (Dosovitskiy et al. 2021): patch embedding, CLS token, learned positions, pre-norm blocks, CLS head.
/// Parameter names follow timm's VisionTransformer (cls_token, pos_embed, patch_embed.proj, blocks.i.attn.qkv, ..., norm, head),
/// so timm state dicts load as they are. Hook points: each block ("blocks.i").
/// </summary>
public sealed class VisionTransformer : HookedModel
{
    /// <summary>timm's ViT LayerNorm epsilon.</summary>
    public const double NormEps = 1e-6;

    private readonly PatchEmbedding patch_embed;
    private readonly Parameter cls_token, pos_embed;
    private readonly ModuleList<Module<Tensor, Tensor>> blocks;
    private readonly LayerNorm norm;
    private readonly Linear head;
    private readonly IReadOnlyList<string> hooks;

    public VisionTransformer(VitConfig config, int inChannels, int imageSize, int classes) : base(nameof(VisionTransformer))
    {
        int grid = PatchGrid("vit", imageSize, config.Patch);
        patch_embed = new PatchEmbedding(inChannels, config.Dim, config.Patch);
        cls_token = Parameter(zeros(1, 1, config.Dim));
        pos_embed = Parameter(zeros(1, grid * grid + 1, config.Dim));
        using (no_grad())
        {
            init.trunc_normal_(pos_embed, std: 0.02);
            init.trunc_normal_(cls_token, std: 0.02);
        }
        blocks = new ModuleList<Module<Tensor, Tensor>>();
        for (int i = 0; i < config.Depth; i++) blocks.Add(new VitBlock(config.Dim, config.Heads, config.MlpRatio, config.Dropout));
        norm = LayerNorm(config.Dim, eps: NormEps);
        head = Linear(config.Dim, classes);
        hooks = Numbered("blocks", config.Depth);
        RegisterComponents();
    }

    public override IReadOnlyList<string> HookPoints => hooks;
    public override string Architecture => "vit";

    public override Tensor forward(Tensor x)
    {
        var tokens = patch_embed.call(x);
        tokens = cat(new[] { cls_token.expand(tokens.shape[0], -1, -1), tokens }, 1) + pos_embed;
        foreach (var b in blocks) tokens = b.call(tokens);
        return head.call(norm.call(tokens.select(1, 0)));
    }
}

"""PyTorch twins of the four paper models with timm's module names (written for these tests, not taken from timm).

Each builder mirrors the parameter layout of the timm model it names (vit_small_patch16_224, resmlp_12_224,
mixer_b16_224, poolformer_s12) so that a state dict saved from it loads into the C# models with the same keys.
Sizes are arguments, so the tests can build tiny versions; `paper(name, classes)` builds the published size.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Mlp(nn.Module):
    def __init__(self, dim, hidden, conv=False):
        super().__init__()
        layer = (lambda i, o: nn.Conv2d(i, o, 1)) if conv else nn.Linear
        self.fc1, self.fc2 = layer(dim, hidden), layer(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class PatchEmbed(nn.Module):
    def __init__(self, chans, dim, patch):
        super().__init__()
        self.proj = nn.Conv2d(chans, dim, patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).reshape(b, t, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        w = (q @ k.transpose(-2, -1)) * (c // self.heads) ** -0.5
        return self.proj((w.softmax(-1) @ v).transpose(1, 2).reshape(b, t, c))


class VitBlock(nn.Module):
    def __init__(self, dim, heads, ratio):
        super().__init__()
        self.norm1, self.attn = nn.LayerNorm(dim, eps=1e-6), Attention(dim, heads)
        self.norm2, self.mlp = nn.LayerNorm(dim, eps=1e-6), Mlp(dim, dim * ratio)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class Vit(nn.Module):
    def __init__(self, chans, size, classes, patch, dim, depth, heads, ratio=4):
        super().__init__()
        tokens = (size // patch) ** 2
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, tokens + 1, dim))
        self.patch_embed = PatchEmbed(chans, dim, patch)
        self.blocks = nn.Sequential(*[VitBlock(dim, heads, ratio) for _ in range(depth)])
        self.norm, self.head = nn.LayerNorm(dim, eps=1e-6), nn.Linear(dim, classes)

    def forward(self, x):
        t = self.patch_embed(x)
        t = torch.cat([self.cls_token.expand(t.shape[0], -1, -1), t], 1) + self.pos_embed
        return self.head(self.norm(self.blocks(t))[:, 0])


class Affine(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.alpha, self.beta = nn.Parameter(torch.ones(1, 1, dim)), nn.Parameter(torch.zeros(1, 1, dim))

    def forward(self, x):
        return self.alpha * x + self.beta


class ResBlock(nn.Module):
    def __init__(self, dim, tokens, ratio, init):
        super().__init__()
        self.norm1, self.linear_tokens = Affine(dim), nn.Linear(tokens, tokens)
        self.norm2, self.mlp_channels = Affine(dim), Mlp(dim, dim * ratio)
        self.ls1, self.ls2 = nn.Parameter(init * torch.ones(dim)), nn.Parameter(init * torch.ones(dim))

    def forward(self, x):
        x = x + self.ls1 * self.linear_tokens(self.norm1(x).transpose(1, 2)).transpose(1, 2)
        return x + self.ls2 * self.mlp_channels(self.norm2(x))


class MixerBlock(nn.Module):
    def __init__(self, dim, tokens, token_hidden, channel_hidden):
        super().__init__()
        self.norm1, self.mlp_tokens = nn.LayerNorm(dim, eps=1e-6), Mlp(tokens, token_hidden)
        self.norm2, self.mlp_channels = nn.LayerNorm(dim, eps=1e-6), Mlp(dim, channel_hidden)

    def forward(self, x):
        x = x + self.mlp_tokens(self.norm1(x).transpose(1, 2)).transpose(1, 2)
        return x + self.mlp_channels(self.norm2(x))


class TokenMlpNet(nn.Module):
    """timm's MlpMixer class: stem, blocks, norm, mean over tokens, head (ResMLP uses it with ResBlock/Affine)."""

    def __init__(self, stem, blocks, norm, head):
        super().__init__()
        self.stem, self.blocks, self.norm, self.head = stem, nn.Sequential(*blocks), norm, head

    def forward(self, x):
        return self.head(self.norm(self.blocks(self.stem(x))).mean(1))


def resmlp(chans, size, classes, patch, dim, depth, ratio=4, init=0.1):
    tokens = (size // patch) ** 2
    return TokenMlpNet(PatchEmbed(chans, dim, patch), [ResBlock(dim, tokens, ratio, init) for _ in range(depth)],
                       Affine(dim), nn.Linear(dim, classes))


def mixer(chans, size, classes, patch, dim, depth, token_hidden, channel_hidden):
    tokens = (size // patch) ** 2
    return TokenMlpNet(PatchEmbed(chans, dim, patch),
                       [MixerBlock(dim, tokens, token_hidden, channel_hidden) for _ in range(depth)],
                       nn.LayerNorm(dim, eps=1e-6), nn.Linear(dim, classes))


class Scale(nn.Module):
    def __init__(self, dim, init):
        super().__init__()
        self.scale = nn.Parameter(init * torch.ones(dim))

    def forward(self, x):
        return x * self.scale.view(-1, 1, 1)


class PoolBlock(nn.Module):
    def __init__(self, dim, init):
        super().__init__()
        self.norm1, self.layer_scale1 = nn.GroupNorm(1, dim), Scale(dim, init)
        self.norm2, self.mlp, self.layer_scale2 = nn.GroupNorm(1, dim), Mlp(dim, 4 * dim, conv=True), Scale(dim, init)

    def forward(self, x):
        y = self.norm1(x)
        x = x + self.layer_scale1(F.avg_pool2d(y, 3, 1, 1, count_include_pad=False) - y)
        return x + self.layer_scale2(self.mlp(self.norm2(x)))


class Conv(nn.Module):
    def __init__(self, i, o, k, s, p):
        super().__init__()
        self.conv = nn.Conv2d(i, o, k, stride=s, padding=p)

    def forward(self, x):
        return self.conv(x)


class Stage(nn.Module):
    def __init__(self, i, o, depth, init):
        super().__init__()
        self.downsample = nn.Identity() if i == o else Conv(i, o, 3, 2, 1)
        self.blocks = nn.Sequential(*[PoolBlock(o, init) for _ in range(depth)])

    def forward(self, x):
        return self.blocks(self.downsample(x))


class LayerNorm2d(nn.LayerNorm):
    def forward(self, x):
        return F.layer_norm(x.permute(0, 2, 3, 1), self.normalized_shape, self.weight, self.bias,
                            self.eps).permute(0, 3, 1, 2)


class Head(nn.Module):
    def __init__(self, dim, classes):
        super().__init__()
        self.norm, self.fc = LayerNorm2d(dim, eps=1e-6), nn.Linear(dim, classes)

    def forward(self, x):
        return self.fc(self.norm(x.mean((2, 3), keepdim=True)).flatten(1))


class PoolFormer(nn.Module):
    def __init__(self, chans, classes, depths, dims, stem=(7, 4, 2), init=1e-5):
        super().__init__()
        self.stem = Conv(chans, dims[0], *stem)
        self.stages = nn.Sequential(*[Stage(dims[max(s - 1, 0)], dims[s], depths[s], init) for s in range(len(dims))])
        self.head = Head(dims[-1], classes)

    def forward(self, x):
        return self.head(self.stages(self.stem(x)))


def paper(name, classes):
    if name == "vit":
        return Vit(3, 224, classes, 16, 384, 12, 6)
    if name == "resmlp":
        return resmlp(3, 224, classes, 16, 384, 12)
    if name == "mixer":
        return mixer(3, 224, classes, 16, 768, 12, 384, 3072)
    if name == "poolformer":
        return PoolFormer(3, classes, [2, 2, 6, 2], [64, 128, 320, 512])
    raise ValueError(name)


if __name__ == "__main__":
    for n in ("vit", "resmlp", "mixer", "poolformer"):
        counts = [sum(p.numel() for p in paper(n, c).parameters()) for c in (1000, 10)]
        print(n, *counts)

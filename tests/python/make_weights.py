"""Writes small timm-layout models' weights (.pt and .safetensors), a fixed input and PyTorch's output on it.

Usage: /usr/bin/python3 tests/python/make_weights.py OUT_DIR
For each of vit, resmlp, mixer, poolformer: NAME.pt (torch.save of the state dict), NAME.safetensors (written by hand
below: 8-byte little-endian header length, JSON header, raw little-endian tensor bytes), NAME.input.npy, NAME.output.npy.
The C# test builds the same configurations and must reproduce NAME.output.npy from the loaded weights.
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))
import timm_layout as tl  # noqa: E402

# name -> (builder, input shape); the C# side mirrors these sizes in WeightsRoundTripTests.
SMALL = {
    "vit": (lambda: tl.Vit(3, 16, 5, patch=4, dim=32, depth=2, heads=4), (3, 3, 16, 16)),
    "resmlp": (lambda: tl.resmlp(3, 16, 5, patch=4, dim=24, depth=2), (3, 3, 16, 16)),
    "mixer": (lambda: tl.mixer(3, 16, 5, patch=4, dim=32, depth=2, token_hidden=16, channel_hidden=64), (3, 3, 16, 16)),
    "poolformer": (lambda: tl.PoolFormer(3, 5, [1, 1, 2, 1], [8, 16, 24, 32], stem=(3, 2, 1)), (3, 3, 32, 32)),
    # The zoo's CPU-scale ViT on 32-px images with 10 classes, for the `selfsim checkpoint` command test.
    "vit_cpu": (lambda: tl.Vit(3, 32, 10, patch=4, dim=64, depth=4, heads=4), (2, 3, 32, 32)),
}


def write_safetensors(path, state):
    header, blobs, offset = {}, [], 0
    for key, t in state.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[key] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def main(out):
    out.mkdir(parents=True, exist_ok=True)
    for i, (name, (build, shape)) in enumerate(SMALL.items()):
        torch.manual_seed(100 + i)
        model = build().eval()
        with torch.no_grad():
            for p in model.parameters():  # every parameter random, so a wrong mapping cannot go unnoticed
                p.copy_(torch.randn_like(p) * 0.3)
        x = torch.randn(*shape)
        with torch.no_grad():
            y = model(x)
        state = model.state_dict()
        torch.save(state, out / f"{name}.pt")
        write_safetensors(out / f"{name}.safetensors", state)
        np.save(out / f"{name}.input.npy", x.numpy().astype(np.float32).reshape(1, -1))  # 2-D for NpyFile
        np.save(out / f"{name}.output.npy", y.numpy().astype(np.float32))
        print(name, len(state), "tensors", float(y.abs().max()))


if __name__ == "__main__":
    main(Path(sys.argv[1]))

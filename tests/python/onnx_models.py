"""Exports the ONNX models of tests/SelfSim.Tests/Onnx (random seeded weights) and PyTorch's forward-hook outputs.

usage: onnx_models.py OUT_DIR
Writes, per model (resnet18: torchvision ResNet-18 on 3x32x32; vit: a 2-block torchvision VisionTransformer on 3x32x32):
  MODEL.onnx, MODEL-probe.npy (16 samples [16, 3, 32, 32]), MODEL-BLOCK.npy (the block's hook output after the spatial
  mean [N, C, H, W] -> [N, C] or the token mean [N, T, C] -> [N, C], float32 [samples, channels]);
and two-inputs.onnx, a model with two inputs. Prints a JSON manifest {model: [block names in order]}.
"""
import json
import sys

import numpy as np
import torch
import torchvision

out = sys.argv[1]
torch.manual_seed(0)
torch.set_num_threads(1)


def export(name, model, blocks, reduce):
    model.eval()
    x = torch.randn(16, 3, 32, 32, generator=torch.Generator().manual_seed(1))
    np.save(f"{out}/{name}-probe.npy", x.numpy().astype(np.float32))
    captured = {}
    handles = [dict(model.named_modules())[b].register_forward_hook(
        lambda m, i, o, b=b: captured.__setitem__(b, o.detach())) for b in blocks]
    with torch.no_grad():
        model(x)
    for h in handles:
        h.remove()
    for b in blocks:
        np.save(f"{out}/{name}-{b}.npy", reduce(captured[b]).numpy().astype(np.float32))
    torch.onnx.export(model, x, f"{out}/{name}.onnx", input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    return blocks


manifest = {}
resnet = torchvision.models.resnet18(num_classes=10)
manifest["resnet18"] = export("resnet18", resnet,
                              [f"layer{s}.{b}" for s in range(1, 5) for b in range(2)], lambda t: t.mean(dim=(2, 3)))
vit = torchvision.models.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=64,
                                           mlp_dim=64, num_classes=10)
manifest["vit"] = export("vit", vit, [f"encoder.layers.encoder_layer_{i}" for i in range(2)], lambda t: t.mean(dim=1))


class TwoInputs(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 3)

    def forward(self, a, b):
        return torch.relu(self.fc(a) + self.fc(b))


torch.onnx.export(TwoInputs(), (torch.randn(2, 4), torch.randn(2, 4)), f"{out}/two-inputs.onnx", input_names=["a", "b"],
                  opset_version=13)
print(json.dumps(manifest))

"""Makes notebooks/models/small-resnet-mnist.onnx, the ONNX model chapter 08 analyses (run from the repository root):

    /usr/bin/python3 tools/make_onnx_model.py [OUT.onnx]

A torchvision-style ResNet for 1x28x28 digits (torchvision's BasicBlock; a 16-channel stem, three stages of two blocks
at 16, 32 and 64 channels, global average pool, linear head; 0.17 M parameters), seeded (torch.manual_seed(0), one
thread), trained for one epoch on the first 12,000 MNIST training images of data/mnist (Adam, lr 2e-3, batch 100), and
exported with a dynamic batch by torch.onnx.export at opset 13. Needs Debian's python3-torch, python3-torchvision, numpy.
It prints the test accuracy on the 10,000 test images and the file's SHA-256 (record both in notebooks/models/README.md).
The same machine and library versions give the same bytes; others may differ in the last float bits, so the chapter
checks the SHA-256 of the committed file, not of a rebuild.
"""
import gzip
import hashlib
import sys

import numpy as np
import torch
from torch import nn
from torchvision.models.resnet import BasicBlock

OUT = sys.argv[1] if len(sys.argv) > 1 else "notebooks/models/small-resnet-mnist.onnx"
torch.manual_seed(0)
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def images(split):
    x = idx(f"data/mnist/{split}-images-idx3-ubyte.gz").astype(np.float32) / 255.0
    y = idx(f"data/mnist/{split}-labels-idx1-ubyte.gz").astype(np.int64)
    return torch.from_numpy((x[:, None] - 0.1307) / 0.3081), torch.from_numpy(y)


class SmallResNet(nn.Module):
    """torchvision's ResNet layout at a width for digits: conv1/bn1/relu, layer1..layer3 of BasicBlocks, avgpool, fc."""

    def __init__(self, widths=(16, 32, 64), blocks=2, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, widths[0], 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        stages, inplanes = [], widths[0]
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            down = None if stride == 1 and inplanes == w else nn.Sequential(
                nn.Conv2d(inplanes, w, 1, stride=stride, bias=False), nn.BatchNorm2d(w))
            layers = [BasicBlock(inplanes, w, stride, down)] + [BasicBlock(w, w) for _ in range(blocks - 1)]
            stages.append(nn.Sequential(*layers))
            inplanes = w
        self.layer1, self.layer2, self.layer3 = stages
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(widths[-1], classes)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


model = SmallResNet()
x, y = images("train")
x, y = x[:12000], y[:12000]
opt = torch.optim.Adam(model.parameters(), lr=2e-3)
model.train()
for i in range(0, len(x), 100):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x[i:i + 100]), y[i:i + 100])
    loss.backward()
    opt.step()
model.eval()
tx, ty = images("t10k")
with torch.no_grad():
    acc = sum((model(tx[i:i + 500]).argmax(1) == ty[i:i + 500]).sum().item() for i in range(0, len(tx), 500)) / len(tx)
torch.onnx.export(model, tx[:2], OUT, input_names=["input"], output_names=["logits"],
                  dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
sha = hashlib.sha256(open(OUT, "rb").read()).hexdigest()
params = sum(p.numel() for p in model.parameters())
print(f"{OUT}: {params} parameters, test accuracy {acc:.4f}, sha256 {sha}")

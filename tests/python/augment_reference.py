"""Reference outputs for the C# 224-px pipeline and RandAugment ops, from PyTorch and PIL.

Usage: /usr/bin/python3 tests/python/augment_reference.py OUT_DIR
  resize_down.npy / resize_up.npy: torch bicubic interpolate (align_corners=False; antialias when shrinking) of resize_in.npy
  image.npy: a 12x12 RGB uint8 test image (values 30..200), stored [1, 3*12*12] channel-first
  smooth.npy: a smooth 12x12 RGB image for the resampling ops (shear, rotate by 17 degrees)
  pil_<op>.npy: PIL's result of each op on it (the ops and arguments of timm's auto_augment.py), same layout
"""
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageEnhance, ImageOps

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)


def save(name, array):
    np.save(out / f"{name}.npy", np.asarray(array, dtype=np.float32).reshape(1, -1))


torch.manual_seed(7)
x = torch.rand(1, 3, 20, 30)
save("resize_in", x)
save("resize_down", F.interpolate(x, size=(11, 17), mode="bicubic", align_corners=False, antialias=True).clamp(0, 1))
save("resize_up", F.interpolate(x, size=(37, 45), mode="bicubic", align_corners=False, antialias=False).clamp(0, 1))

rng = np.random.default_rng(11)
hwc = rng.integers(30, 201, size=(12, 12, 3), dtype=np.uint8)
hwc[:4, :4] = 60  # a flat patch, so equalize and sharpness see ties and flat regions
img = Image.fromarray(hwc, "RGB")
save("image", hwc.transpose(2, 0, 1))

# A smooth image for the resampling ops: bicubic kernels differ between PIL and libtorch, which noise would amplify.
yy, xx = np.mgrid[0:12, 0:12]
smooth_hwc = np.stack([40 + 12 * xx, 60 + 10 * yy, 120 + 50 * np.sin(xx / 3.0) * np.cos(yy / 4.0)], -1).round().astype(np.uint8)
smooth = Image.fromarray(smooth_hwc, "RGB")
save("smooth", smooth_hwc.transpose(2, 0, 1))

fill = (124, 116, 104)


def lut(table):
    return img.point(table * 3)


ops = {
    "invert": ImageOps.invert(img),
    "posterize2": ImageOps.posterize(img, 2),
    "solarize100": ImageOps.solarize(img, 100),
    "solarize_add60": lut([min(255, i + 60) if i < 128 else i for i in range(256)]),
    "autocontrast": ImageOps.autocontrast(img),
    "equalize": ImageOps.equalize(img),
    "color1.6": ImageEnhance.Color(img).enhance(1.6),
    "color0.4": ImageEnhance.Color(img).enhance(0.4),
    "contrast1.7": ImageEnhance.Contrast(img).enhance(1.7),
    "contrast0.3": ImageEnhance.Contrast(img).enhance(0.3),
    "brightness1.5": ImageEnhance.Brightness(img).enhance(1.5),
    "brightness0.5": ImageEnhance.Brightness(img).enhance(0.5),
    "sharpness1.8": ImageEnhance.Sharpness(img).enhance(1.8),
    "sharpness0.2": ImageEnhance.Sharpness(img).enhance(0.2),
    "translate_x3": img.transform(img.size, Image.AFFINE, (1, 0, 3, 0, 1, 0), resample=Image.BICUBIC, fillcolor=fill),
    "translate_y-2": img.transform(img.size, Image.AFFINE, (1, 0, 0, 0, 1, -2), resample=Image.BICUBIC, fillcolor=fill),
    "rotate90": img.rotate(90, resample=Image.BICUBIC, fillcolor=fill),
    "shear_x0.2": smooth.transform(smooth.size, Image.AFFINE, (1, 0.2, 0, 0, 1, 0), resample=Image.BICUBIC, fillcolor=fill),
    "rotate17": smooth.rotate(17, resample=Image.BICUBIC, fillcolor=fill),
}
for name, result in ops.items():
    save("pil_" + name, np.asarray(result).transpose(2, 0, 1))
print(len(ops), "ops")

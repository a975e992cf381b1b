"""Writes a small ONNX model whose initializers are known weights, for `selfsim weights --weights model.onnx`.

Usage: /usr/bin/python3 tests/python/onnx_weights.py OUT_DIR
model.onnx: a Gemm (fc.weight float32 [120, 80], fc.bias [120]) after a Conv (conv.weight float32 [16, 8, 3, 3]),
plus an int64 shape initializer that has no spectrum; fc.npy and conv.npy hold the same weights (conv as [16, 72]).
"""
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    out = Path(sys.argv[1])
    rng = np.random.default_rng(5)
    fc = rng.standard_normal((120, 80)).astype(np.float32)
    conv = rng.standard_normal((16, 8, 3, 3)).astype(np.float32)
    inits = [numpy_helper.from_array(fc, "fc.weight"), numpy_helper.from_array(np.zeros(120, np.float32), "fc.bias"),
             numpy_helper.from_array(conv, "conv.weight"), numpy_helper.from_array(np.array([1, -1], np.int64), "shape")]
    nodes = [helper.make_node("Conv", ["x", "conv.weight"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("Reshape", ["c", "shape"], ["f"]),
             helper.make_node("Gemm", ["f", "fc.weight", "fc.bias"], ["y"], transB=1)]
    graph = helper.make_graph(nodes, "weights", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 1, 5])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 120])], inits)
    onnx.save(helper.make_model(graph), out / "model.onnx")
    np.save(out / "fc.npy", fc)
    np.save(out / "conv.npy", conv.reshape(16, 72))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Writes tests/data/tiny_conv.onnx: Y = Relu(Conv1x1(X; W=[2, -1], B=0.5)), X float32 [N,2,H,W] -> Y [N,1,H,W].
The ORT test computes the expected numbers by hand, so it checks real arithmetic, not just loading.
Regenerate with: /usr/bin/python3 tests/data/make_tiny_model.py (needs Debian python3-onnx)."""
import os

import onnx
from onnx import TensorProto, helper

w = helper.make_tensor("W", TensorProto.FLOAT, [1, 2, 1, 1], [2.0, -1.0])
b = helper.make_tensor("B", TensorProto.FLOAT, [1], [0.5])
graph = helper.make_graph(
    [helper.make_node("Conv", ["X", "W", "B"], ["C"]), helper.make_node("Relu", ["C"], ["Y"])],
    "tiny_conv",
    [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 2, "H", "W"])],
    [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 1, "H", "W"])],
    initializer=[w, b],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="edgeai-tests")
model.ir_version = 8
onnx.checker.check_model(model)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny_conv.onnx")
onnx.save(model, out)
print(f"wrote {out} ({os.path.getsize(out)} bytes)")

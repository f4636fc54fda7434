#!/usr/bin/python3
"""Writes tests/data/tiny_detector.onnx + .manifest.json: a real (untrained, hand-built) detector in the
YOLOv8 output layout for pipeline tests that must not depend on the trained demo model.

Input "images" [N,3,64,64] (dynamic batch). The frame is split into a 4x4 grid; each cell is one candidate
box (the cell itself, in input pixels) whose single class "bright" scores sigmoid(12*(mean(cell) - 0.45)).
So bright regions yield detections, a black frame yields none, and results are exactly computable.
Regenerate with: /usr/bin/python3 tests/data/make_tiny_detector.py (needs Debian python3-onnx)."""
import hashlib
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

S, G = 64, 4
cell = S // G
boxes = np.zeros((1, 4, G * G), dtype=np.float32)
for gy in range(G):
    for gx in range(G):
        k = gy * G + gx
        boxes[0, :, k] = [gx * cell + cell / 2, gy * cell + cell / 2, cell, cell]  # cx, cy, w, h

inits = [
    numpy_helper.from_array(boxes, "boxes"),
    numpy_helper.from_array(np.array([12.0], dtype=np.float32), "gain"),
    numpy_helper.from_array(np.array([0.45], dtype=np.float32), "offset"),
    numpy_helper.from_array(np.array([0.0], dtype=np.float32), "zero"),
    numpy_helper.from_array(np.array([0, 1, G * G], dtype=np.int64), "shape"),
]
nodes = [
    helper.make_node("AveragePool", ["images"], ["pooled"], kernel_shape=[cell, cell], strides=[cell, cell]),
    helper.make_node("ReduceMean", ["pooled"], ["gray"], axes=[1], keepdims=1),
    helper.make_node("Reshape", ["gray", "shape"], ["flat"]),
    helper.make_node("Sub", ["flat", "offset"], ["centered"]),
    helper.make_node("Mul", ["centered", "gain"], ["logit"]),
    helper.make_node("Sigmoid", ["logit"], ["score"]),
    helper.make_node("Mul", ["score", "zero"], ["zeros"]),
    helper.make_node("Add", ["zeros", "boxes"], ["batch_boxes"]),
    helper.make_node("Concat", ["batch_boxes", "score"], ["output0"], axis=1),
]
graph = helper.make_graph(nodes, "tiny_detector",
                          [helper.make_tensor_value_info("images", TensorProto.FLOAT, ["batch", 3, S, S])],
                          [helper.make_tensor_value_info("output0", TensorProto.FLOAT, ["batch", 5, G * G])],
                          initializer=inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="edgeai-tests")
model.ir_version = 8
onnx.checker.check_model(model)
here = os.path.dirname(os.path.abspath(__file__))
path = os.path.join(here, "tiny_detector.onnx")
onnx.save(model, path)
sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
manifest = {
    "name": "tiny-detector", "version": "1.0.0", "file": "tiny_detector.onnx", "sha256": sha,
    "input": {"name": "images", "width": S, "height": S, "layout": "NCHW", "color": "RGB",
              "scale": 1 / 255, "mean": [0, 0, 0], "std": [1, 1, 1], "letterbox": True, "pad_value": 114},
    "output": {"name": "output0", "layout": "yolov8"},
    "labels": ["bright"],
    "thresholds": {"confidence": 0.5, "iou": 0.5},
}
with open(os.path.join(here, "tiny_detector.manifest.json"), "w") as f:
    json.dump(manifest, f, indent=2)
print(f"wrote {path} sha256 {sha}")

#!/usr/bin/python3
"""Builds tiny reference ONNX detectors, one per output layout, and the detections an independent numpy decoder finds in them.

  /usr/bin/python3 make_layout_models.py OUTDIR      (Debian python3-onnx + python3-numpy; no onnxruntime needed)

Each model takes a [1,3,64,64] image and returns a fixed tensor in its layout, built from known boxes (plus a duplicate
for NMS, low scores below the threshold and, for yolox, raw grid offsets). The decode here is written from each
layout's definition (Ultralytics / YOLOX / YOLOv10 / RT-DETR exports), not from the C# decoder, and is the reference the
C# tests compare with (tests/EdgeAi.Worker.Tests/Inference/LayoutParityTests.cs): expected.json lists per model the kept detections (class, score, box in input pixels).
Variants: FP16 input and output (Cast nodes at both ends), int8 output (int8 initializer + DequantizeLinear, as
quantize_static leaves the end of a graph).
"""
import json, os, sys
import numpy as np
import onnx
from onnx import helper, TensorProto, numpy_helper

W = H = 64
NC = 3
LABELS = ["person", "litter", "car"]
CONF, IOU = 0.35, 0.5
STRIDES = [8, 16, 32]
GRID = [(x, y, s) for s in STRIDES for y in range(H // s) for x in range(W // s)]   # 64 + 16 + 4 = 84 points
N = len(GRID)
# known objects: (class, score, cx, cy, w, h) in input pixels
OBJECTS = [(0, 0.91, 20.0, 30.0, 10.0, 24.0), (1, 0.62, 45.5, 50.25, 6.0, 5.0), (2, 0.78, 40.0, 16.0, 30.0, 14.0),
           (0, 0.85, 21.0, 31.0, 10.0, 24.0),   # overlaps the first person (IoU ~0.7): NMS drops it in NMS layouts
           (1, 0.20, 10.0, 10.0, 4.0, 4.0)]     # below the confidence threshold


def iou(a, b):
    iw = min(a[2], b[2]) - max(a[0], b[0]); ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0: return 0.0
    inter = iw * ih
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def nms(c):
    c = sorted(c, key=lambda d: -d[1]); kept = []
    for d in c:
        if all(k[0] != d[0] or iou(k[2], d[2]) <= IOU for k in kept): kept.append(d)
    return kept


def xyxy(cx, cy, w, h): return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]


def tensor_yolov8():
    t = np.zeros((4 + NC, N), np.float32); t[4:, :] = 0.01
    for i, (c, s, cx, cy, w, h) in enumerate(OBJECTS):
        t[0:4, i * 7] = [cx, cy, w, h]; t[4 + c, i * 7] = s
    return t


def decode_yolov8(t):
    out = []
    for i in range(t.shape[1]):
        sc = t[4:, i]; c = int(np.argmax(sc))
        if sc[c] >= CONF: out.append((c, float(sc[c]), xyxy(*map(float, t[0:4, i]))))
    return nms(out)


def tensor_yolov5():
    t = np.zeros((N * 3, 5 + NC), np.float32); t[:, 5:] = 0.5; t[:, 4] = 0.05
    for i, (c, s, cx, cy, w, h) in enumerate(OBJECTS):
        r = i * 11; t[r, 0:4] = [cx, cy, w, h]; t[r, 4] = 0.95; t[r, 5:] = 0.1; t[r, 5 + c] = s / 0.95
    return t


def decode_yolov5(t):
    out = []
    for r in t:
        c = int(np.argmax(r[5:])); s = float(r[4]) * float(r[5 + c])
        if r[4] >= CONF and s >= CONF: out.append((c, s, xyxy(*map(float, r[0:4]))))
    return nms(out)


def tensor_yolox():
    t = np.zeros((N, 5 + NC), np.float32); t[:, 4] = 0.02; t[:, 5:] = 0.3
    for c, s, cx, cy, w, h in OBJECTS:
        # the first free grid point (finest stride first) whose cell holds the centre
        k = next(i for i, (gx, gy, s2) in enumerate(GRID) if gx == int(cx // s2) and gy == int(cy // s2) and t[i, 4] < 0.5)
        gx, gy, st = GRID[k]
        t[k, 0:4] = [cx / st - gx, cy / st - gy, np.log(w / st), np.log(h / st)]
        t[k, 4] = 0.9; t[k, 5:] = 0.05; t[k, 5 + c] = s / 0.9
    return t


def decode_yolox(t):
    out = []
    for (gx, gy, s), r in zip(GRID, t):
        c = int(np.argmax(r[5:])); sc = float(r[4]) * float(r[5 + c])
        if r[4] >= CONF and sc >= CONF:
            out.append((c, sc, xyxy((float(r[0]) + gx) * s, (float(r[1]) + gy) * s, float(np.exp(np.float32(r[2]))) * s, float(np.exp(np.float32(r[3]))) * s)))
    return nms(out)


def tensor_end2end():
    t = np.zeros((300, 6), np.float32)
    for i, (c, s, cx, cy, w, h) in enumerate(sorted(OBJECTS, key=lambda o: -o[1])):
        t[i] = xyxy(cx, cy, w, h) + [s, c]
    return t


def decode_end2end(t):   # NMS is inside the model: every row above the threshold is a detection
    return sorted([(int(r[5]), float(r[4]), [float(v) for v in r[0:4]]) for r in t if r[4] >= CONF], key=lambda d: -d[1])


def tensor_rtdetr():
    t = np.zeros((300, 4 + NC), np.float32); t[:, 4:] = 0.01
    for i, (c, s, cx, cy, w, h) in enumerate(OBJECTS):
        t[i * 9, 0:4] = [cx / W, cy / H, w / W, h / H]; t[i * 9, 4 + c] = s
    return t


def decode_rtdetr(t):   # one object per query, no NMS
    out = []
    for r in t:
        c = int(np.argmax(r[4:]))
        if r[4 + c] >= CONF: out.append((c, float(r[4 + c]), xyxy(float(r[0]) * W, float(r[1]) * H, float(r[2]) * W, float(r[3]) * H)))
    return sorted(out, key=lambda d: -d[1])


def model(name, out_tensor, fp16=False, int8=False):
    """images [1,3,64,64] -> output [1,a,b]: the fixed tensor plus 0 x mean(images), so the input is really read."""
    a, b = out_tensor.shape
    nodes, inits = [], []
    in_type = TensorProto.FLOAT16 if fp16 else TensorProto.FLOAT
    x = "images"
    if fp16:
        nodes.append(helper.make_node("Cast", ["images"], ["x32"], to=TensorProto.FLOAT)); x = "x32"
    nodes.append(helper.make_node("ReduceMean", [x], ["m4"], keepdims=1))
    inits.append(numpy_helper.from_array(np.array([1, 1, 1], np.int64), "shp3"))
    nodes.append(helper.make_node("Reshape", ["m4", "shp3"], ["m3"]))
    inits.append(numpy_helper.from_array(np.zeros((1, 1, 1), np.float32), "zero"))
    nodes.append(helper.make_node("Mul", ["m3", "zero"], ["z"]))
    if int8:
        # per-channel along the short axis (box rows/columns and score rows/columns get their own scale)
        axis = 1 if a < b else 2
        amax = np.abs(out_tensor).max(axis=1 if axis == 1 else 0)
        scale = np.maximum(amax, 1e-6).astype(np.float32) / np.float32(127.0)
        shaped = scale[:, None] if axis == 1 else scale[None, :]
        q = np.clip(np.round(out_tensor / shaped), -127, 127).astype(np.int8)
        inits += [numpy_helper.from_array(q[None], "q"), numpy_helper.from_array(scale, "qs"),
                  numpy_helper.from_array(np.zeros(scale.shape, np.int8), "qz")]
        nodes.append(helper.make_node("DequantizeLinear", ["q", "qs", "qz"], ["const"], axis=axis))
        effective = (q.astype(np.float32) * shaped).astype(np.float32)
    else:
        stored = out_tensor.astype(np.float16).astype(np.float32) if fp16 else out_tensor
        inits.append(numpy_helper.from_array(stored[None].astype(np.float32), "const"))
        effective = stored
    if fp16:
        nodes.append(helper.make_node("Add", ["const", "z"], ["y32"]))
        nodes.append(helper.make_node("Cast", ["y32"], ["output0"], to=TensorProto.FLOAT16))
    else:
        nodes.append(helper.make_node("Add", ["const", "z"], ["output0"]))
    g = helper.make_graph(nodes, name, [helper.make_tensor_value_info("images", in_type, [1, 3, H, W])],
                          [helper.make_tensor_value_info("output0", TensorProto.FLOAT16 if fp16 else TensorProto.FLOAT, [1, a, b])], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)], producer_name="edgeai-layout-reference")
    m.ir_version = 7
    onnx.checker.check_model(m)
    return m, effective


def main(outdir):
    os.makedirs(outdir, exist_ok=True)
    cases = [("yolov8", tensor_yolov8, decode_yolov8, {}), ("yolov5", tensor_yolov5, decode_yolov5, {}),
             ("yolox", tensor_yolox, decode_yolox, {}), ("end2end", tensor_end2end, decode_end2end, {}),
             ("rtdetr", tensor_rtdetr, decode_rtdetr, {}),
             ("yolov8-fp16", tensor_yolov8, decode_yolov8, {"fp16": True}), ("yolox-fp16", tensor_yolox, decode_yolox, {"fp16": True}),
             ("yolov8-int8", tensor_yolov8, decode_yolov8, {"int8": True}), ("end2end-int8", tensor_end2end, decode_end2end, {"int8": True})]
    expected = {}
    for name, make, decode, kw in cases:
        m, effective = model(name, make(), **kw)
        if name == "yolov8":   # as an Ultralytics export carries them (what `edgeai models import` reads)
            for k, v in {"author": "Ultralytics", "task": "detect", "stride": "32", "imgsz": "[64, 64]",
                         "names": "{0: 'person', 1: 'litter', 2: 'car'}"}.items():
                onnx.helper.set_model_props(m, {**{p.key: p.value for p in m.metadata_props}, k: v})
        onnx.save(m, os.path.join(outdir, name + ".onnx"))
        dets = decode(effective)
        expected[name] = {"layout": name.split("-")[0], "width": W, "height": H, "labels": LABELS, "confidence": CONF, "iou": IOU,
                          "detections": [{"class": c, "score": s, "box": [round(v, 4) for v in box]} for c, s, box in dets]}
        print(name, len(dets), "detections")
    # unsupported on purpose: the int8 tensor itself is the output (no DequantizeLinear): verify must refuse it by key
    q = helper.make_graph([helper.make_node("Identity", ["qc"], ["output0"])], "int8-output",
                          [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, H, W])],
                          [helper.make_tensor_value_info("output0", TensorProto.INT8, [1, 4 + NC, N])],
                          [numpy_helper.from_array(np.zeros((1, 4 + NC, N), np.int8), "qc")])
    qm = helper.make_model(q, opset_imports=[helper.make_opsetid("", 13)], producer_name="edgeai-layout-reference"); qm.ir_version = 7
    onnx.save(qm, os.path.join(outdir, "int8-output.onnx"))
    with open(os.path.join(outdir, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))

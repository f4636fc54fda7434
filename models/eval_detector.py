#!/usr/bin/python3
"""Evaluate the EdgeAi demo detector (per-class AP@0.5) and check its ONNX export.

  /usr/bin/python3 models/eval_detector.py                       # AP of models/demo/edgeai-demo.onnx
  /usr/bin/python3 models/eval_detector.py --onnx F.onnx --no-clips --heldout-scenes 20
  /usr/bin/python3 models/eval_detector.py --selftest            # re-check models/demo/selftest.json

The ONNX file itself is executed with a small numpy interpreter (onnx_numpy.py), since
onnxruntime is not available to Python here. Held-out data: random frames rendered from scene
seeds 1..99 (never used in training, which uses seeds >= 100000) and the key frames (1 per second)
of the standard evaluation clips (scenegen/render.py --set eval, seeds 1..99), decoded from H.264.
An object whose box is covered >= 60% by objects in front of it ("occ" in the GT) is ignored.
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

from detector import CLASSES, NC, IMG, PAD, nms_yolov8, ap_at_50, letterbox_geom  # noqa: E402

OCC_IGNORE = 0.6
CLIPS_DIR = os.path.join(ROOT, ".cache", "clips", "eval")


# ============================================================================ inference backends
class TorchBackend:
    def __init__(self, model):
        import torch
        from detector import Export
        self.torch = torch
        self.m = Export(model).eval()

    def __call__(self, x):
        with self.torch.no_grad():
            return self.m(self.torch.from_numpy(x)).numpy()


class OnnxBackend:
    def __init__(self, path):
        from onnx_numpy import Runner
        self.r = Runner(path)

    def __call__(self, x):
        return self.r.run({"images": x})[0]


def backend(m):
    if isinstance(m, (TorchBackend, OnnxBackend)):
        return m
    if isinstance(m, str):
        return OnnxBackend(m)
    return TorchBackend(m)


def to_input(batch_u8):
    """(B,320,320,3) uint8 -> (B,3,320,320) float32 / 255."""
    return np.ascontiguousarray(batch_u8.transpose(0, 3, 1, 2), dtype=np.float32) / np.float32(255.0)


def letterbox_content(content):
    """(h,320,3) content of a letterboxed frame -> (320,320,3), centred vertically, pad 114."""
    h = content.shape[0]
    out = np.full((IMG, IMG, 3), PAD, np.uint8)
    py = (IMG - h) // 2
    out[py:py + h] = content
    return out, py


def detect_batches(m, frames_u8, bs=16, conf=0.001):
    be = backend(m)
    dets = []
    for i in range(0, len(frames_u8), bs):
        out = be(to_input(np.stack(frames_u8[i:i + bs])))
        for o in out:
            dets.append(nms_yolov8(o, conf=conf, iou=0.5))
    return dets


# ============================================================================ evaluation sets
def _gt_array(rows):
    """rows [(cls,x1,y1,x2,y2,occ)] -> (G,6) [cls,x1,y1,x2,y2,ignore]."""
    g = np.array(rows, np.float32).reshape(-1, 6)
    if len(g):
        g[:, 5] = (g[:, 5] >= OCC_IGNORE).astype(np.float32)
    return g


def eval_arrays(m, imgs, boxes, bs=16):
    """imgs (N,h,320,3) letterbox content; boxes [(G,6) cls,x1,y1,x2,y2,occ in content px]."""
    frames, gts = [], []
    for im, b in zip(imgs, boxes):
        lb, py = letterbox_content(im)
        frames.append(lb)
        g = _gt_array(b)
        if len(g):
            g[:, 2] += py
            g[:, 4] += py
        gts.append(g)
    dets = detect_batches(m, frames, bs)
    return ap_at_50(dets, gts)


def ensure_eval_clips(out=CLIPS_DIR, workers=2):
    sys.path.insert(0, HERE)
    from scenegen import render as R
    rows = R._set("eval")
    import multiprocessing as mp
    args = [(out, name, sc, seed, var, dur, early, W, H) for (name, sc, seed, var, dur, early, W, H) in rows]
    with mp.get_context("fork").Pool(workers) as pool:
        pool.map(_render_one, args)
    return [os.path.join(out, r[0]) for r in rows]


def _render_one(a):
    from scenegen import render as R
    out, name, sc, seed, var, dur, early, W, H = a
    R.render_clip(out, name, sc, seed, var, dur, early, W, H, 10, video=True, quiet=True)


def keyframes(mp4, W, H):
    """Decode key frames only (one per second with the generator's GOP)."""
    raw = subprocess.run(["ffmpeg", "-v", "error", "-skip_frame", "nokey", "-i", mp4, "-vsync", "passthrough",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    n = len(raw) // (W * H * 3)
    return np.frombuffer(raw, np.uint8)[:n * W * H * 3].reshape(n, H, W, 3)


def eval_clips(m, clips_dir=CLIPS_DIR, verbose=True):
    from PIL import Image
    t0 = time.time()
    bases = ensure_eval_clips(clips_dir)
    frames, gts = [], []
    for base in bases:
        gt = json.load(open(base + ".gt.json"))
        W, H, fps = gt["width"], gt["height"], gt["fps"]
        r, nw, nh, px, py = letterbox_geom(W, H)
        kf = keyframes(base + ".mp4", W, H)
        for k in range(len(kf)):
            i = k * gt["gop"]
            if i >= len(gt["frames"]):
                break
            im = np.asarray(Image.fromarray(kf[k]).resize((nw, nh), Image.BILINEAR))
            lb = np.full((IMG, IMG, 3), PAD, np.uint8)
            lb[py:py + nh, px:px + nw] = im
            frames.append(lb)
            rows = []
            for o in gt["frames"][i]["objects"]:
                b = o["box"]
                rows.append((CLASSES.index(o["cls"]), b[0] * W * r + px, b[1] * H * r + py, b[2] * W * r + px, b[3] * H * r + py, o.get("occ", 0.0)))
            gts.append(_gt_array(rows))
    if verbose:
        print("  eval clips: %d clips, %d key frames (prepared in %.0fs)" % (len(bases), len(frames), time.time() - t0), flush=True)
    dets = detect_batches(m, frames)
    aps, stats = ap_at_50(dets, gts)
    return aps, stats, len(frames)


def print_table(title, aps, stats):
    print("  %s" % title)
    print("    %-13s %7s %7s %8s" % ("class", "AP@0.5", "GT", "recall"))
    for c, ap, s in zip(CLASSES, aps, stats):
        print("    %-13s %7s %7d %8s" % (c, "-" if np.isnan(ap) else "%.3f" % ap, s["npos"], "%.3f" % s["recall"] if "recall" in s else "-"))
    print("    %-13s %7.3f" % ("mAP@0.5", np.nanmean(aps)), flush=True)


# ============================================================================ export + self-test
def export_onnx(model, path, opset=13, size=(IMG, IMG)):
    """size: (width, height) of the model input, multiples of 32."""
    import torch
    from detector import Export
    import onnx
    m = Export(model, size).eval()
    x = torch.zeros(1, 3, size[1], size[0])
    torch.onnx.export(m, x, path, input_names=["images"], output_names=["output0"], opset_version=opset,
                      dynamic_axes={"images": {0: "batch"}, "output0": {0: "batch"}}, do_constant_folding=True)
    mo = onnx.load(path)
    # name the output dims statically: [batch, 4 + nc, N]
    n_anchors = sum((size[0] // s) * (size[1] // s) for s in (8, 16, 32))
    dims = mo.graph.output[0].type.tensor_type.shape.dim
    dims[0].dim_param = "batch"
    dims[1].dim_value = 4 + NC
    dims[2].dim_value = n_anchors
    onnx.checker.check_model(mo)
    mo.producer_name = "edgeai models/train_detector.py"
    mo.doc_string = "EdgeAi demo detector (synthetic scenes only). Output YOLOv8 layout [batch, 4+%d, N]: cx,cy,w,h px + sigmoid class scores. Labels: %s" % (NC, ",".join(CLASSES))
    onnx.save(mo, path)
    return path


def pattern_input():
    """Deterministic input any runtime can rebuild: value[c][y][x] = ((7x + 13y + 29c) mod 256) / 255."""
    c, y, x = np.meshgrid(np.arange(3), np.arange(IMG), np.arange(IMG), indexing="ij")
    return (((7 * x + 13 * y + 29 * c) % 256).astype(np.float32) / np.float32(255.0))[None]


def scene_input(seed=7, frame=0):
    """A held-out scene frame (seed 1..99) letterboxed to 320x320; python only (needs scenegen)."""
    from PIL import Image
    from scenegen.sample import sample_scene_frames
    img, boxes = sample_scene_frames(seed, frame + 1, W=960, H=540, jpeg=False)[frame]
    r, nw, nh, px, py = letterbox_geom(960, 540)
    lb = np.full((IMG, IMG, 3), PAD, np.uint8)
    lb[py:py + nh, px:px + nw] = np.asarray(img.resize((nw, nh), Image.BILINEAR))
    gt = [dict(cls=CLASSES[c], box=[round(x1 * r + px, 1), round(y1 * r + py, 1), round(x2 * r + px, 1), round(y2 * r + py, 1)]) for c, x1, y1, x2, y2, _ in boxes]
    return to_input(lb[None]), gt


def _samples(out, n=12):
    """A few fixed positions of output0 (row, anchor) with their values."""
    A = out.shape[2]
    idx = [(r, a) for r, a in zip([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 4], [0, 17, 1599, 1600, 1999, 2000, 2099, 800, 1234, 42, 2099, 1000])]
    return [dict(row=int(r), anchor=int(a % A), value=round(float(out[0, r, a % A]), 5)) for r, a in idx]


def _dets(out, conf=0.35, k=10):
    d = nms_yolov8(out[0], conf=conf, iou=0.5)[:k]
    return [dict(cls=CLASSES[int(x[5])], score=round(float(x[4]), 4), box=[round(float(v), 1) for v in x[:4]]) for x in d]


def verify_export(model, onnx_path, selftest_path=None, verbose=True):
    """Run the exported graph with the numpy executor and compare with the torch model."""
    import hashlib
    import onnx
    tb = TorchBackend(model)
    ob = OnnxBackend(onnx_path)
    mo = onnx.load(onnx_path)
    ins = mo.graph.input[0]
    outs = mo.graph.output[0]
    dims_in = [d.dim_param or d.dim_value for d in ins.type.tensor_type.shape.dim]
    dims_out = [d.dim_param or d.dim_value for d in outs.type.tensor_type.shape.dim]
    cases = []
    worst = 0.0
    sc_x, sc_gt = scene_input()
    inputs = [("pad_only", np.full((1, 3, IMG, IMG), PAD / 255.0, np.float32), {"kind": "constant", "value_u8": PAD, "value": PAD / 255.0}),
              ("pattern", pattern_input(), {"kind": "formula", "formula": "value[c][y][x] = ((7*x + 13*y + 29*c) % 256) / 255 (c=0 R, 1 G, 2 B)"}),
              ("scene", sc_x, {"kind": "scenegen", "seed": 7, "frame": 0, "size": [960, 540], "letterbox": "bilinear 320x180, pad rows 70 top / 70 bottom, value 114",
                               "python": "eval_detector.scene_input(seed=7, frame=0)", "ground_truth": sc_gt})]
    for name, x, desc in inputs:
        t0 = time.time()
        yo = ob(x)
        t_np = time.time() - t0
        yt = tb(x)
        diff = float(np.abs(yo - yt).max())
        worst = max(worst, diff)
        cases.append(dict(name=name, input=desc, expect=dict(output_shape=list(yo.shape), max_score=round(float(yo[0, 4:].max()), 5),
                                                            detections=_dets(yo), samples=_samples(yo)),
                          _diff=diff, _t=t_np))
        if verbose:
            print("  export check %-9s max |onnx - torch| = %.2e  (numpy executor %.2fs)  detections@0.35: %d" % (name, diff, t_np, len(cases[-1]["expect"]["detections"])), flush=True)
    # batch axis: two images at once must equal one at a time
    xb = np.concatenate([inputs[1][1], inputs[2][1]], 0)
    yb = ob(xb)
    bdiff = float(max(np.abs(yb[0:1] - ob(inputs[1][1])).max(), np.abs(yb[1:2] - ob(inputs[2][1])).max()))
    res = dict(opset=[o.version for o in mo.opset_import], input=[ins.name, dims_in], output=[outs.name, dims_out],
               ops=sorted(set(n.op_type for n in mo.graph.node)), max_abs_diff_vs_torch=worst, batch2_max_abs_diff=bdiff)
    if verbose:
        print("  graph: input %s %s, output %s %s, opset %s, batch-2 diff %.2e" % (ins.name, dims_in, outs.name, dims_out, res["opset"], bdiff), flush=True)
        print("  ops: %s" % ", ".join(res["ops"]), flush=True)
    if selftest_path:
        st = dict(model=os.path.basename(onnx_path), sha256=hashlib.sha256(open(onnx_path, "rb").read()).hexdigest(),
                  input=dict(name="images", shape=[1, 3, IMG, IMG], dtype="float32", layout="NCHW RGB, value = u8/255"),
                  output=dict(name="output0", layout="yolov8: rows 0-3 cx,cy,w,h (input px), rows 4.. class scores (sigmoid)", labels=CLASSES),
                  postprocess=dict(confidence=0.35, iou=0.5, nms="class-wise, greedy"),
                  tolerance=dict(abs_output=2e-3, box_px=1.0, score=2e-3),
                  cases=[{k: v for k, v in c.items() if not k.startswith("_")} for c in cases])
        with open(selftest_path, "w") as f:
            json.dump(st, f, indent=1)
            f.write("\n")
    return res


def run_selftest(onnx_path, selftest_path):
    st = json.load(open(selftest_path))
    ob = OnnxBackend(onnx_path)
    ok = True
    for c in st["cases"]:
        if c["input"]["kind"] == "constant":
            x = np.full((1, 3, IMG, IMG), c["input"]["value"], np.float32)
        elif c["input"]["kind"] == "formula":
            x = pattern_input()
        else:
            x, _ = scene_input(c["input"]["seed"], c["input"]["frame"])
        y = ob(x)
        worst = max(abs(float(y[0, s["row"], s["anchor"]]) - s["value"]) for s in c["expect"]["samples"])
        d = _dets(y)
        same = len(d) == len(c["expect"]["detections"]) and all(
            a["cls"] == b["cls"] and abs(a["score"] - b["score"]) < 2e-3 and max(abs(p - q) for p, q in zip(a["box"], b["box"])) < 1.0
            for a, b in zip(d, c["expect"]["detections"]))
        good = worst < st["tolerance"]["abs_output"] and same
        ok &= good
        print("  selftest %-9s %s  (max sample diff %.1e, %d detections)" % (c["name"], "OK" if good else "FAIL", worst, len(d)))
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnx", default=os.path.join(HERE, "demo", "edgeai-demo.onnx"))
    ap.add_argument("--torch", help="evaluate a torch state_dict (.pt) instead of the ONNX file")
    ap.add_argument("--heldout-scenes", type=int, default=99)
    ap.add_argument("--no-clips", action="store_true")
    ap.add_argument("--selftest", action="store_true", help="only re-check selftest.json against the ONNX file")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    if a.selftest:
        ok = run_selftest(a.onnx, os.path.join(os.path.dirname(a.onnx), "selftest.json"))
        sys.exit(0 if ok else 1)
    if a.torch:
        import torch
        from detector import TinyDet
        torch.set_num_threads(a.threads)
        net = TinyDet()
        net.load_state_dict(torch.load(a.torch, map_location="cpu"))
        m = net.eval()
        print("model: %s (torch)" % a.torch)
    else:
        m = OnnxBackend(a.onnx)
        print("model: %s (ONNX, numpy executor)" % a.onnx)
    from train_detector import build_dataset
    t0 = time.time()
    vimgs, vboxes = build_dataset(1, a.heldout_scenes, 8, "heldout", workers=a.threads)
    aps, stats = eval_arrays(m, vimgs, vboxes)
    print_table("held-out random frames, seeds 1..%d (%d images, %.0fs)" % (a.heldout_scenes, len(vimgs), time.time() - t0), aps, stats)
    if not a.no_clips:
        t0 = time.time()
        caps, cstats, n = eval_clips(m)
        print_table("eval clips, H.264 key frames (%d images, %.0fs)" % (n, time.time() - t0), caps, cstats)


if __name__ == "__main__":
    main()

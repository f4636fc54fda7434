#!/usr/bin/python3
"""Re-export the demo detector's weights at another input size (no training).

  /usr/bin/python3 models/reexport.py --size 480x288 --out DIR [--onnx models/demo/edgeai-demo.onnx]

TinyDet is fully convolutional: only the anchor grid inside the exported graph depends on the input size. A
larger input shows small objects with more pixels (a can 8 px wide at 320x320 is 12 px at 480x288 for a 16:9
camera); a non-square input matching the camera's aspect spends no pixels on letterbox padding. Writes
<name>.onnx and <name>.manifest.json (the source manifest with file, sha256 and input size replaced) and checks
the new graph against the torch model with the numpy executor.
"""
import argparse
import hashlib
import json
import os
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402

import detector as D  # noqa: E402
import eval_detector as E  # noqa: E402
import onnx_numpy  # noqa: E402
import onnx_weights  # noqa: E402


def parse_size(s):
    try:
        w, h = (int(v) for v in s.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("size must be WIDTHxHEIGHT, e.g. 480x288")
    if w <= 0 or h <= 0 or w % 32 or h % 32:
        raise argparse.ArgumentTypeError("width and height must be positive multiples of 32 (the largest stride): %s" % s)
    return w, h


def reexport(src_onnx, manifest, size, out, stem, manifest_path=None, verbose=True, net=None):
    """Export src_onnx's weights at size (width, height) as out/stem.onnx; writes manifest (a dict: the source
    model's manifest) with file, sha256 and input size replaced to manifest_path (default out/stem.manifest.json).
    net: the torch TinyDet itself when at hand (training), instead of rebuilding it from src_onnx."""
    w, h = size
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, stem + ".onnx")
    net = (net if net is not None else onnx_weights.load_tinydet(src_onnx)).eval()
    E.export_onnx(net, path, size=(w, h))
    # the exported graph against the torch model, on a deterministic input of the new size
    yy, xx = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    x = np.stack([((7 * xx + 13 * yy + 29 * c) % 256) for c in range(3)])[None].astype(np.float32) / 255
    with torch.no_grad():
        want = D.Export(net, (w, h)).eval()(torch.from_numpy(x)).numpy()
    got = onnx_numpy.Runner(path).run({"images": x})
    got = got["output0"] if isinstance(got, dict) else got[0]
    diff = float(np.abs(got - want).max())
    if got.shape != want.shape or diff > 1e-3:
        raise SystemExit("export check failed: shape %s vs %s, max |diff| %.2e" % (got.shape, want.shape, diff))
    sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
    manifest = json.loads(json.dumps(manifest))
    manifest["file"] = stem + ".onnx"
    manifest["sha256"] = sha
    manifest["input"]["width"], manifest["input"]["height"] = w, h
    with open(manifest_path or os.path.join(out, stem + ".manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    if verbose:
        print("%s: %dx%d input, %d candidates, %.2f MB, sha256 %s, numpy executor vs torch max |diff| %.1e"
              % (path, w, h, want.shape[2], os.path.getsize(path) / 1e6, sha[:16], diff), flush=True)
    return path, sha


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=parse_size, required=True, help="WIDTHxHEIGHT, multiples of 32")
    ap.add_argument("--onnx", default=os.path.join(HERE, "demo", "edgeai-demo.onnx"))
    ap.add_argument("--manifest", help="source manifest (default: the .onnx's sibling <stem>.manifest.json)")
    ap.add_argument("--name", help="output file stem (default <source stem>-<W>x<H>)")
    ap.add_argument("--manifest-out", help="where the new manifest goes (default OUT/<name>.manifest.json)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    src_manifest = a.manifest or os.path.splitext(a.onnx)[0] + ".manifest.json"
    with open(src_manifest) as f:
        manifest = json.load(f)
    w, h = a.size
    stem = a.name or "%s-%dx%d" % (os.path.splitext(os.path.basename(a.onnx))[0], w, h)
    reexport(a.onnx, manifest, a.size, a.out, stem, a.manifest_out)


if __name__ == "__main__":
    main()

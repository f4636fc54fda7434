#!/usr/bin/python3
"""Reference YOLOX decoding, independent of the C# code: ffmpeg → numpy letterbox → ONNX Runtime (C API via ctypes) → numpy.

  /usr/bin/python3 yolox_reference.py LIBONNXRUNTIME_SO MODEL.onnx CONF IOU RESIZE PICTURE...   → JSON on stdout

RESIZE: numpy (our own bilinear, as cv2.INTER_LINEAR) or ffmpeg (ffmpeg's bilinear scaler, as the worker's ingest uses:
then only the resampling is shared with the worker, and padding, channel order, inference call and decode stay independent).

Implements the contract in ../shared/realworld/README.md as YOLOX's own demo does (yolox/data/data_augment.py preproc,
yolox/utils/demo_postprocess + multiclass_nms): BGR, 0..255, resize by r = min(416/h, 416/w) with bilinear
interpolation (half-pixel centres, as cv2.INTER_LINEAR), pad 114 at the bottom/right; grid decode over strides 8/16/32;
score = objectness x class score; class-aware NMS. Boxes are returned in source pixels. Needs only python3-numpy and
the libonnxruntime.so the .NET build ships; no onnxruntime Python package.
"""
import ctypes as C, json, subprocess, sys
import numpy as np

lib_path, model, conf, iou_thr = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
resize_mode = sys.argv[5]
pictures = sys.argv[6:]
SIZE, STRIDES = 416, (8, 16, 32)

lib = C.CDLL(lib_path)
lib.OrtGetApiBase.restype = C.c_void_p
base = C.cast(lib.OrtGetApiBase(), C.POINTER(C.c_void_p))
api = C.cast(C.CFUNCTYPE(C.c_void_p, C.c_uint32)(base[0])(16), C.POINTER(C.c_void_p))   # OrtApi v16: slots below are stable
P = C.c_void_p
def f(i, *args): return C.CFUNCTYPE(P, *args)(api[i])
errmsg = C.CFUNCTYPE(C.c_char_p, P)(api[2])
def ck(st):
    if st: raise RuntimeError(errmsg(st).decode())
env = P(); ck(f(3, C.c_int, C.c_char_p, C.POINTER(P))(3, b'ref', C.byref(env)))
opts = P(); ck(f(10, C.POINTER(P))(C.byref(opts)))
ck(f(24, P, C.c_int)(opts, 1))
sess = P(); ck(f(7, P, C.c_char_p, P, C.POINTER(P))(env, model.encode(), opts, C.byref(sess)))
mi = P(); ck(f(69, C.c_int, C.c_int, C.POINTER(P))(0, 0, C.byref(mi)))
create = f(49, P, P, C.c_size_t, C.POINTER(C.c_int64), C.c_size_t, C.c_int, C.POINTER(P))
run = f(9, P, P, C.POINTER(C.c_char_p), C.POINTER(P), C.c_size_t, C.POINTER(C.c_char_p), C.c_size_t, C.POINTER(P))
getdata = f(51, P, C.POINTER(P)); release = C.CFUNCTYPE(None, P)(api[96])


def infer(x):
    x = np.ascontiguousarray(x, np.float32); shp = (C.c_int64 * 4)(*x.shape)
    v = P(); ck(create(mi, x.ctypes.data, x.nbytes, shp, 4, 1, C.byref(v)))
    out = P(); ins = (C.c_char_p * 1)(b'images'); outs = (C.c_char_p * 1)(b'output'); iv = (P * 1)(v)
    ck(run(sess, None, ins, iv, 1, outs, 1, C.byref(out)))
    p = P(); ck(getdata(out, C.byref(p)))
    y = np.ctypeslib.as_array(C.cast(p, C.POINTER(C.c_float)), (3549 * 85,)).reshape(3549, 85).copy()
    release(out); release(v); return y


def decode_bgr(path, size=None):
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", path],
                           capture_output=True, text=True, check=True).stdout.strip().split(",")
    w, h = int(probe[0]), int(probe[1])
    scale = ["-vf", f"scale={size[0]}:{size[1]}:flags=bilinear"] if size else []
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, *scale, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1"], capture_output=True, check=True).stdout
    if size: w, h = size
    return np.frombuffer(raw, np.uint8)[: w * h * 3].reshape(h, w, 3)


def resize_bilinear(img, nw, nh):
    h, w, _ = img.shape
    fx, fy = w / nw, h / nh
    xs = np.clip((np.arange(nw) + 0.5) * fx - 0.5, 0, w - 1); ys = np.clip((np.arange(nh) + 0.5) * fy - 0.5, 0, h - 1)
    x0 = np.floor(xs).astype(int); y0 = np.floor(ys).astype(int)
    x1 = np.minimum(x0 + 1, w - 1); y1 = np.minimum(y0 + 1, h - 1)
    ax = (xs - x0)[None, :, None]; ay = (ys - y0)[:, None, None]
    im = img.astype(np.float32)
    top = im[y0][:, x0] * (1 - ax) + im[y0][:, x1] * ax
    bot = im[y1][:, x0] * (1 - ax) + im[y1][:, x1] * ax
    return np.round(top * (1 - ay) + bot * ay).clip(0, 255).astype(np.uint8)


GRID = np.array([(x, y, s) for s in STRIDES for y in range(SIZE // s) for x in range(SIZE // s)], np.float32)


def iou(a, b):
    iw = min(a[2], b[2]) - max(a[0], b[0]); ih = min(a[3], b[3]) - max(a[1], b[1])
    if iw <= 0 or ih <= 0: return 0.0
    inter = iw * ih
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


results = []
for path in pictures:
    img = decode_bgr(path)
    h, w, _ = img.shape
    r = min(SIZE / h, SIZE / w)
    nw, nh = int(round(w * r)), int(round(h * r))
    padded = np.full((SIZE, SIZE, 3), 114, np.uint8)
    padded[:nh, :nw] = resize_bilinear(img, nw, nh) if resize_mode == "numpy" else decode_bgr(path, (nw, nh))
    y = infer(padded.transpose(2, 0, 1)[None].astype(np.float32))
    cx = (y[:, 0] + GRID[:, 0]) * GRID[:, 2]; cy = (y[:, 1] + GRID[:, 1]) * GRID[:, 2]
    bw = np.exp(y[:, 2]) * GRID[:, 2]; bh = np.exp(y[:, 3]) * GRID[:, 2]
    cls = y[:, 5:].argmax(1); score = y[:, 4] * y[np.arange(len(y)), 5 + cls]
    cand = sorted([(int(cls[i]), float(score[i]), [(cx[i] - bw[i] / 2) / r, (cy[i] - bh[i] / 2) / r, (cx[i] + bw[i] / 2) / r, (cy[i] + bh[i] / 2) / r])
                   for i in np.nonzero(score >= conf)[0]], key=lambda d: -d[1])
    kept = []
    for d in cand:
        if all(k[0] != d[0] or iou(k[2], d[2]) <= iou_thr for k in kept): kept.append(d)
    results.append({"picture": path, "width": w, "height": h,
                    "detections": [{"class_id": c, "confidence": s, "box": [float(min(max(v, 0), (w if i % 2 == 0 else h))) for i, v in enumerate(b)]} for c, s, b in kept]})
json.dump(results, sys.stdout)

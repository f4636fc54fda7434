"""Shared pieces of the EdgeAi demo detector: network, anchors, decoding, NMS, AP, letterbox.

Used by train_detector.py (training + export) and eval_detector.py (evaluation + ONNX checks).
"""
import math
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

IMG = 320
STRIDES = (8, 16, 32)
CLASSES = ["person", "litter", "garbage_pile", "pothole", "boat", "fishing_rod"]
NC = len(CLASSES)
PAD = 114


# ============================================================================ network
class ConvBN(nn.Sequential):
    def __init__(self, ci, co, k=3, s=1):
        super().__init__(nn.Conv2d(ci, co, k, s, k // 2, bias=False), nn.BatchNorm2d(co), nn.SiLU(inplace=True))


class Res(nn.Module):
    def __init__(self, c, n=2):
        super().__init__()
        self.m = nn.Sequential(*[ConvBN(c, c, 3) for _ in range(n)])

    def forward(self, x):
        return x + self.m(x)


class Head(nn.Module):
    def __init__(self, c, nc):
        super().__init__()
        self.cls = nn.Sequential(ConvBN(c, c, 3), nn.Conv2d(c, nc, 1))
        self.reg = nn.Sequential(ConvBN(c, c, 3), nn.Conv2d(c, 4, 1))
        nn.init.constant_(self.cls[-1].bias, -math.log((1 - 0.01) / 0.01))
        nn.init.constant_(self.reg[-1].bias, 0.5)

    def forward(self, x):
        return self.reg(x), self.cls(x)


class TinyDet(nn.Module):
    """Anchor-free detector, strides 8/16/32, FPN+PAN neck, decoupled heads.
    forward() returns raw per-level (reg, cls) maps; Export wraps it into the YOLOv8 layout."""

    def __init__(self, nc=NC, w=(16, 24, 48, 64, 96), neck=40):
        super().__init__()
        self.stem = ConvBN(3, w[0], 3, 2)                                         # /2
        self.s2 = ConvBN(w[0], w[1], 3, 2)                                        # /4
        self.s3 = nn.Sequential(ConvBN(w[1], w[2], 3, 2), Res(w[2], 2))          # /8
        self.s4 = nn.Sequential(ConvBN(w[2], w[3], 3, 2), Res(w[3], 2))          # /16
        self.s5 = nn.Sequential(ConvBN(w[3], w[4], 3, 2), Res(w[4], 1))          # /32
        self.l3, self.l4, self.l5 = ConvBN(w[2], neck, 1), ConvBN(w[3], neck, 1), ConvBN(w[4], neck, 1)
        self.td4, self.td3 = ConvBN(neck, neck, 3), ConvBN(neck, neck, 3)
        self.d3, self.d4 = ConvBN(neck, neck, 3, 2), ConvBN(neck, neck, 3, 2)
        self.bu4, self.bu5 = ConvBN(neck, neck, 3), ConvBN(neck, neck, 3)
        self.heads = nn.ModuleList([Head(neck, nc) for _ in STRIDES])

    def forward(self, x):
        c3 = self.s3(self.s2(self.stem(x)))
        c4 = self.s4(c3)
        c5 = self.s5(c4)
        p5 = self.l5(c5)
        p4 = self.td4(self.l4(c4) + F.interpolate(p5, scale_factor=2.0, mode="nearest"))
        p3 = self.td3(self.l3(c3) + F.interpolate(p4, scale_factor=2.0, mode="nearest"))
        n4 = self.bu4(p4 + self.d3(p3))
        n5 = self.bu5(p5 + self.d4(n4))
        return [h(f) for h, f in zip(self.heads, (p3, n4, n5))]


def make_anchors(h, w, device="cpu"):
    """Anchor centres (A,2) and strides (A,) for an input of h x w pixels, level order 8,16,32, row-major."""
    pts, strs = [], []
    for s in STRIDES:
        gy, gx = torch.meshgrid(torch.arange(h // s, dtype=torch.float32), torch.arange(w // s, dtype=torch.float32), indexing="ij")
        pts.append(torch.stack([(gx + 0.5) * s, (gy + 0.5) * s], -1).reshape(-1, 2))
        strs.append(torch.full((pts[-1].shape[0],), float(s)))
    return torch.cat(pts).to(device), torch.cat(strs).to(device)


def flat_outputs(outs):
    """per-level [(reg (B,4,h,w), cls (B,C,h,w))] -> reg (B,A,4), cls logits (B,A,C)."""
    regs = torch.cat([r.flatten(2) for r, _ in outs], 2).transpose(1, 2)
    clss = torch.cat([c.flatten(2) for _, c in outs], 2).transpose(1, 2)
    return regs, clss


def decode_ltrb(reg, anchors, strides):
    """raw reg (B,A,4) -> boxes xyxy (B,A,4) in input pixels."""
    d = F.softplus(reg) * strides[None, :, None]
    x1y1 = anchors[None] - d[..., :2]
    x2y2 = anchors[None] + d[..., 2:]
    return torch.cat([x1y1, x2y2], -1)


class Export(nn.Module):
    """Wraps TinyDet for ONNX: images (B,3,320,320) -> output0 (B, 4+nc, A) Ultralytics YOLOv8 layout:
    rows 0..3 = cx, cy, w, h in input pixels, rows 4.. = per-class sigmoid scores.
    size: an int (square input) or (width, height), each a multiple of 32; the network is fully convolutional,
    only the anchor grid depends on it."""

    def __init__(self, net, size=IMG):
        super().__init__()
        self.net = net
        w, h = (size, size) if isinstance(size, int) else size
        a, s = make_anchors(h, w)
        self.register_buffer("anc", a.t().contiguous()[None])     # (1,2,A)
        self.register_buffer("strd", s[None, None])                # (1,1,A)

    def forward(self, x):
        outs = self.net(x)
        reg = torch.cat([r.flatten(2) for r, _ in outs], 2)        # (B,4,A)
        cls = torch.cat([c.flatten(2) for _, c in outs], 2)        # (B,C,A)
        d = F.softplus(reg) * self.strd
        lt, rb = d[:, 0:2], d[:, 2:4]
        cxy = self.anc + (rb - lt) * 0.5
        wh = lt + rb
        return torch.cat([cxy, wh, torch.sigmoid(cls)], 1)


# ============================================================================ letterbox
def letterbox_geom(W, H, size=IMG):
    r = min(size / W, size / H)
    nw, nh = int(round(W * r)), int(round(H * r))
    return r, nw, nh, (size - nw) // 2, (size - nh) // 2


def letterbox(img, size=IMG, resample=None):
    """PIL image -> uint8 array (size,size,3) letterboxed (centred, pad 114), plus (r, px, py)."""
    from PIL import Image
    W, H = img.size
    r, nw, nh, px, py = letterbox_geom(W, H, size)
    im = img.resize((nw, nh), Image.BILINEAR if resample is None else resample)
    out = np.full((size, size, 3), PAD, np.uint8)
    out[py:py + nh, px:px + nw] = np.asarray(im)
    return out, (r, px, py)


# ============================================================================ post-processing
def box_iou_np(a, b):
    """a (N,4), b (M,4) xyxy -> (N,M)."""
    iw = np.clip(np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0]), 0, None)
    ih = np.clip(np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1]), 0, None)
    inter = iw * ih
    aa = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    bb = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    return inter / np.maximum(aa[:, None] + bb[None, :] - inter, 1e-9)


def nms_yolov8(out, conf=0.001, iou=0.5, max_det=100, max_cand=1000):
    """out: numpy (4+nc, A) for one image (the ONNX output layout). Class-wise NMS.
    Returns (K,6): x1,y1,x2,y2,score,cls sorted by score."""
    boxes_c = out[:4].T
    scores = out[4:].T
    xyxy = np.concatenate([boxes_c[:, :2] - boxes_c[:, 2:] / 2, boxes_c[:, :2] + boxes_c[:, 2:] / 2], 1)
    ai, ci = np.nonzero(scores > conf)
    if len(ai) == 0:
        return np.zeros((0, 6), np.float32)
    sc = scores[ai, ci]
    order = np.argsort(-sc)[:max_cand]
    ai, ci, sc = ai[order], ci[order], sc[order]
    bx = xyxy[ai]
    keep = []
    for c in np.unique(ci):
        idx = np.nonzero(ci == c)[0]
        b = bx[idx]
        suppressed = np.zeros(len(idx), bool)
        ious = box_iou_np(b, b)
        for i in range(len(idx)):
            if suppressed[i]:
                continue
            keep.append(idx[i])
            suppressed |= ious[i] > iou
    keep = np.array(sorted(keep, key=lambda k: -sc[k]))[:max_det]
    return np.concatenate([bx[keep], sc[keep, None], ci[keep, None].astype(np.float32)], 1).astype(np.float32)


def ap_at_50(dets, gts, nc=NC, iou_thr=0.5):
    """dets: list per image of (K,6) [x1,y1,x2,y2,score,cls]; gts: list per image of (G,6) [cls,x1,y1,x2,y2,ignore].
    COCO-style 101-point interpolated AP at IoU 0.5 per class; GTs with ignore=1 neither count nor penalise."""
    aps, stats = [], []
    for c in range(nc):
        recs = []  # (score, tp)
        npos = 0
        for d, g in zip(dets, gts):
            gc = g[g[:, 0] == c] if len(g) else np.zeros((0, 6))
            dc = d[d[:, 5] == c] if len(d) else np.zeros((0, 6))
            npos += int((gc[:, 5] == 0).sum()) if len(gc) else 0
            if len(dc) == 0:
                continue
            dc = dc[np.argsort(-dc[:, 4])]
            used = np.zeros(len(gc), bool)
            ious = box_iou_np(dc[:, :4], gc[:, 1:5]) if len(gc) else np.zeros((len(dc), 0))
            for i in range(len(dc)):
                if ious.shape[1] == 0:
                    recs.append((dc[i, 4], 0))
                    continue
                # prefer unmatched non-ignored gts
                cand = ious[i].copy()
                cand[used] = -1
                j = int(np.argmax(cand))
                if cand[j] >= iou_thr:
                    if gc[j, 5]:
                        used[j] = True       # matched an ignored gt: drop the detection
                        continue
                    used[j] = True
                    recs.append((dc[i, 4], 1))
                else:
                    # a duplicate of an ignored gt is ignored too
                    if len(gc) and np.any((ious[i] >= iou_thr) & (gc[:, 5] == 1)):
                        continue
                    recs.append((dc[i, 4], 0))
        if npos == 0:
            aps.append(float("nan"))
            stats.append(dict(npos=0, ndet=len(recs)))
            continue
        recs.sort(key=lambda r: -r[0])
        tp = np.array([r[1] for r in recs], np.float64)
        fp = 1 - tp
        ctp, cfp = np.cumsum(tp), np.cumsum(fp)
        rec = ctp / npos
        prec = ctp / np.maximum(ctp + cfp, 1e-9)
        # precision envelope, 101-point interpolation
        for i in range(len(prec) - 2, -1, -1):
            prec[i] = max(prec[i], prec[i + 1])
        rs = np.linspace(0, 1, 101)
        ap = 0.0
        for r in rs:
            k = np.searchsorted(rec, r, side="left")
            ap += prec[k] if k < len(prec) else 0.0
        aps.append(ap / 101)
        stats.append(dict(npos=npos, ndet=len(recs), recall=float(rec[-1]) if len(rec) else 0.0))
    return aps, stats

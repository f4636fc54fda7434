#!/usr/bin/python3
"""Train the EdgeAi demo detector on synthetic frames and export it to ONNX (YOLOv8 layout).

  /usr/bin/python3 models/train_detector.py                      # full run: data, train, eval, export
  /usr/bin/python3 models/train_detector.py --epochs 1 --scenes 100 --out /tmp/x   # quick smoke run

Steps: (1) render training frames from scene seeds >= 100000 with models/scenegen (cached under
.cache/detector/), (2) train TinyDet on CPU, (3) evaluate AP@0.5 on held-out frames rendered from
seeds 1..99, (4) export ONNX + manifest + self-test vector into --out (models/demo by default).
Evaluation and export checks live in eval_detector.py.
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import sys
import threading
import queue
import time

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from detector import (TinyDet, Export, make_anchors, flat_outputs, decode_ltrb, CLASSES, NC, IMG, PAD)  # noqa: E402

TRAIN_SEED0 = 100000
CACHE = os.path.join(ROOT, ".cache", "detector")


# ============================================================================ data
def _render_chunk(args):
    """Worker: render frames for a list of scene seeds, letterbox content 320x180 (16:9)."""
    seeds, per_scene, jpeg = args
    sys.path.insert(0, HERE)
    from PIL import Image
    from scenegen.sample import sample_scene_frames
    res = [(960, 540)] * 7 + [(640, 360)] * 2 + [(1280, 720)]
    methods = [Image.BILINEAR] * 8 + [Image.BICUBIC] * 5 + [Image.BOX] * 4 + [Image.LANCZOS] * 2 + [Image.NEAREST]
    imgs, boxes = [], []
    for s in seeds:
        rng = np.random.default_rng([s, 99])
        W, H = res[int(rng.integers(len(res)))]
        r = IMG / W
        nh = int(round(H * r))
        for img, bx in sample_scene_frames(s, per_scene, W=W, H=H, jpeg=jpeg):
            m = methods[int(rng.integers(len(methods)))]
            a = np.asarray(img.resize((IMG, nh), m), np.uint8)
            imgs.append(a)
            b = np.array([[c, x1 * r, y1 * r, x2 * r, y2 * r, occ] for c, x1, y1, x2, y2, occ in bx], np.float32).reshape(-1, 6)
            # drop degenerate boxes
            if len(b):
                b = b[((b[:, 3] - b[:, 1]) >= 1.5) & ((b[:, 4] - b[:, 2]) >= 1.5)]
            boxes.append(b)
    return imgs, boxes


def build_dataset(first_seed, n_scenes, per_scene, tag, jpeg=True, workers=2, verbose=True):
    """Render (or load from cache) n_scenes*per_scene frames. Returns uint8 (N,180,320,3), list of (G,6) [cls,x1,y1,x2,y2,occ]."""
    import multiprocessing as mp
    src = hashlib.sha256()
    for d in (os.path.join(HERE, "scenegen"),):
        for fn in sorted(os.listdir(d)):
            if fn.endswith(".py"):
                src.update(open(os.path.join(d, fn), "rb").read())
    key = hashlib.sha256(json.dumps([first_seed, n_scenes, per_scene, jpeg, src.hexdigest(), 2]).encode()).hexdigest()[:12]
    path = os.path.join(CACHE, "%s-%s" % (tag, key))
    if os.path.exists(path + ".npy") and os.path.exists(path + ".boxes.npz"):
        imgs = np.load(path + ".npy", mmap_mode=None)
        z = np.load(path + ".boxes.npz")
        boxes = [z["b%d" % i] for i in range(len(imgs))]
        if verbose:
            print("  %s: %d frames from cache %s" % (tag, len(imgs), os.path.relpath(path, ROOT)), flush=True)
        return imgs, boxes
    os.makedirs(CACHE, exist_ok=True)
    seeds = list(range(first_seed, first_seed + n_scenes))
    chunks = [(seeds[i:i + 25], per_scene, jpeg) for i in range(0, len(seeds), 25)]
    t0 = time.time()
    imgs, boxes = [], []
    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        for k, (im, bx) in enumerate(pool.imap(_render_chunk, chunks)):
            imgs += im
            boxes += bx
            if verbose:
                done = (k + 1) / len(chunks)
                el = time.time() - t0
                print("\r  rendering %s: %5d frames  %3.0f%%  %4.0f img/s  ETA %3.0fs " % (tag, len(imgs), done * 100, len(imgs) / el, el / done - el),
                      end="", flush=True)
    if verbose:
        print(flush=True)
    imgs = np.stack(imgs)
    np.save(path + ".npy", imgs)
    np.savez(path + ".boxes.npz", **{"b%d" % i: b for i, b in enumerate(boxes)})
    return imgs, boxes


def photometric(rng, im):
    """Colour jitter (saturation, contrast, brightness, per-channel gain; 80 %) and sensor noise (20 %) on a float32
    HxWx3 image; returns it as uint8. The random draws come in a fixed order, so a seed gives the same batches."""
    if rng.random() < 0.8:
        g = im.mean(2, keepdims=True)
        s = rng.uniform(0.6, 1.4)
        im = g + (im - g) * s
        c = rng.uniform(0.75, 1.25)
        m = im.mean()
        im = (im - m) * c + m * rng.uniform(0.75, 1.25)
        im *= rng.uniform(0.92, 1.08, 3)[None, None, :]
    if rng.random() < 0.2:
        im += rng.normal(0, rng.uniform(2, 6), im.shape).astype(np.float32)
    return np.clip(im, 0, 255).astype(np.uint8)

class Batcher:
    """Augmented training batches on a background thread: colour jitter, h-flip, random vertical
    placement of the 320x180 content inside a 320xHC canvas padded with 114 (as the letterbox)."""

    def __init__(self, imgs, boxes, bs, canvas_h, seed, n_batches):
        self.imgs, self.boxes, self.bs, self.ch = imgs, boxes, bs, canvas_h
        self.rng = np.random.default_rng(seed)
        self.q = queue.Queue(maxsize=6)
        self.n = n_batches
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()

    def _run(self):
        N = len(self.imgs)
        perm = self.rng.permutation(N)
        p = 0
        for _ in range(self.n):
            if p + self.bs > N:
                perm = self.rng.permutation(N)
                p = 0
            idx = perm[p:p + self.bs]
            p += self.bs
            self.q.put(self._make(idx))
        self.q.put(None)

    def _make(self, idx):
        rng, B, CH = self.rng, len(idx), self.ch
        canvas = np.full((B, CH, IMG, 3), PAD, np.uint8)
        gts = []
        for b, i in enumerate(idx):
            im = self.imgs[i].astype(np.float32)
            h = im.shape[0]
            im = photometric(rng, im)
            bx = self.boxes[i].copy()
            if rng.random() < 0.5:
                im = im[:, ::-1]
                if len(bx):
                    x1 = IMG - bx[:, 3]
                    x2 = IMG - bx[:, 1]
                    bx[:, 1], bx[:, 3] = x1, x2
            oy = int(rng.integers(0, CH - h + 1))
            canvas[b, oy:oy + h] = im
            if len(bx):
                bx[:, 2] += oy
                bx[:, 4] += oy
            gts.append(bx)
        return self.pack(canvas, gts)

    @staticmethod
    def pack(canvas, gts):
        """The batch as tensors: images (B,3,H,W) in 0..1 and the ground truth padded to the most boxes of any image
        (boxes, labels, mask); each gts[b] holds rows (class, x1, y1, x2, y2) in canvas pixels."""
        B = len(gts)
        G = max(1, max(len(g) for g in gts))
        gb = np.zeros((B, G, 4), np.float32)
        gl = np.zeros((B, G), np.int64)
        gm = np.zeros((B, G), bool)
        for b, g in enumerate(gts):
            if len(g):
                gb[b, :len(g)] = g[:, 1:5]
                gl[b, :len(g)] = g[:, 0]
                gm[b, :len(g)] = True
        x = torch.from_numpy(canvas).permute(0, 3, 1, 2).float().div_(255.0)
        return x, torch.from_numpy(gb), torch.from_numpy(gl), torch.from_numpy(gm)

    def __iter__(self):
        while True:
            item = self.q.get()
            if item is None:
                return
            yield item


# ============================================================================ loss
def bbox_iou(a, b, eps=1e-7, giou=True):
    """a, b (..., 4) xyxy -> IoU or GIoU (...)."""
    iw = (torch.min(a[..., 2], b[..., 2]) - torch.max(a[..., 0], b[..., 0])).clamp(0)
    ih = (torch.min(a[..., 3], b[..., 3]) - torch.max(a[..., 1], b[..., 1])).clamp(0)
    inter = iw * ih
    aa = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    bb = (b[..., 2] - b[..., 0]) * (b[..., 3] - b[..., 1])
    union = aa + bb - inter + eps
    iou = inter / union
    if not giou:
        return iou
    cw = torch.max(a[..., 2], b[..., 2]) - torch.min(a[..., 0], b[..., 0])
    ch = torch.max(a[..., 3], b[..., 3]) - torch.min(a[..., 1], b[..., 1])
    carea = cw * ch + eps
    return iou - (carea - union) / carea


@torch.no_grad()
def assign(scores, pboxes, anchors, strides, gl, gb, gm, topk=10, alpha=0.5, beta=6.0):
    """Task-aligned assignment (as in YOLOv8), with candidate regions grown to at least one
    stride around tiny boxes so that every object has candidates on the stride-8 grid.
    scores (B,A,C) sigmoid, pboxes (B,A,4), gl (B,G), gb (B,G,4), gm (B,G).
    Returns target_scores (B,A,C), target_boxes (B,A,4), fg (B,A)."""
    B, A, C = scores.shape
    G = gb.shape[1]
    cx = (gb[..., 0] + gb[..., 2]) / 2
    cy = (gb[..., 1] + gb[..., 3]) / 2
    hw = ((gb[..., 2] - gb[..., 0]) / 2)[..., None]
    hh = ((gb[..., 3] - gb[..., 1]) / 2)[..., None]
    s = strides[None, None, :]
    hw = torch.max(hw, 0.5 * s)
    hh = torch.max(hh, 0.5 * s)
    dx = (anchors[None, None, :, 0] - cx[..., None]).abs()
    dy = (anchors[None, None, :, 1] - cy[..., None]).abs()
    cand = (dx < hw) & (dy < hh) & gm[..., None]                                   # (B,G,A)
    sc = scores.permute(0, 2, 1).gather(1, gl[..., None].expand(B, G, A))           # (B,G,A)
    iou = bbox_iou(gb[:, :, None, :], pboxes[:, None, :, :], giou=False).clamp(0)   # (B,G,A)
    align = sc.pow(alpha) * iou.pow(beta) * cand
    k = min(topk, A)
    top = align.topk(k, dim=-1).indices
    mtop = torch.zeros_like(cand).scatter_(-1, top, True)
    pos = mtop & cand
    # every gt keeps at least its best candidate (by centre distance) even when align == 0
    dist = (dx / hw + dy / hh).masked_fill(~cand, 1e9)
    best = dist.argmin(-1, keepdim=True)
    has = cand.any(-1, keepdim=True)
    pos = pos | (torch.zeros_like(cand).scatter_(-1, best, True) & has)
    # an anchor assigned to several gts keeps the one with the highest IoU
    multi = pos.sum(1) > 1                                                          # (B,A)
    if multi.any():
        ioum = iou.masked_fill(~pos, -1.0)
        bestg = ioum.argmax(1)                                                      # (B,A)
        one = torch.zeros_like(pos).scatter_(1, bestg[:, None, :], True)
        pos = torch.where(multi[:, None, :], one & pos, pos)
    fg = pos.any(1)                                                                 # (B,A)
    gidx = pos.float().argmax(1)                                                    # (B,A)
    tboxes = gb.gather(1, gidx[..., None].expand(B, A, 4))
    tlabels = gl.gather(1, gidx)
    alignp = align * pos
    amax = alignp.amax(-1, keepdim=True)
    imax = (iou * pos).amax(-1, keepdim=True)
    norm = (alignp * imax / (amax + 1e-9)).amax(1)                                  # (B,A)
    # guaranteed positives with zero alignment still get a small target
    norm = torch.where(fg, norm.clamp(min=0.05), norm)
    ts = torch.zeros(B, A, C)
    ts.scatter_(2, tlabels[..., None], 1.0)
    ts = ts * (norm * fg)[..., None]
    return ts, tboxes, fg


def compute_loss(outs, anchors, strides, gl, gb, gm, w_box=7.5, w_cls=1.0, w_l1=1.0):
    reg, cls = flat_outputs(outs)                  # (B,A,4), (B,A,C)
    pboxes = decode_ltrb(reg, anchors, strides)
    ts, tb, fg = assign(cls.detach().sigmoid(), pboxes.detach(), anchors, strides, gl, gb, gm)
    tss = max(ts.sum().item(), 1.0)
    l_cls = F.binary_cross_entropy_with_logits(cls, ts, reduction="sum") / tss
    if fg.any():
        wt = ts.sum(-1)[fg]
        g = bbox_iou(pboxes[fg], tb[fg], giou=True)
        l_box = ((1.0 - g) * wt).sum() / tss
        st = strides[None, :, None].expand_as(pboxes)[fg]
        anc = anchors[None].expand(pboxes.shape[0], -1, -1)[fg]
        t_ltrb = torch.cat([anc - tb[fg][:, :2], tb[fg][:, 2:] - anc], 1).clamp(min=0) / st
        p_ltrb = torch.cat([anc - pboxes[fg][:, :2], pboxes[fg][:, 2:] - anc], 1) / st
        l_l1 = (F.smooth_l1_loss(p_ltrb, t_ltrb, reduction="none", beta=0.5).sum(1) * wt).sum() / tss
    else:
        l_box = l_l1 = reg.sum() * 0.0
    return w_box * l_box + w_cls * l_cls + w_l1 * l_l1, (l_box.item(), l_cls.item(), l_l1.item())


class EMA:
    def __init__(self, model, decay=0.998, tau=300):
        import copy
        self.m = copy.deepcopy(model).eval()
        for p in self.m.parameters():
            p.requires_grad_(False)
        self.decay, self.tau, self.n = decay, tau, 0

    @torch.no_grad()
    def update(self, model):
        self.n += 1
        d = self.decay * (1 - math.exp(-self.n / self.tau))
        msd = model.state_dict()
        for k, v in self.m.state_dict().items():
            if v.dtype.is_floating_point:
                v.mul_(d).add_(msd[k].detach(), alpha=1 - d)
            else:
                v.copy_(msd[k])


def fmt_t(s):
    s = int(max(0, s))
    return "%dm%02ds" % (s // 60, s % 60)


# ============================================================================ main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(HERE, "demo"))
    ap.add_argument("--scenes", type=int, default=1500, help="training scenes (seeds 100000..)")
    ap.add_argument("--per-scene", type=int, default=8, help="frames per training scene")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--canvas", type=int, default=224, help="training canvas height (content 180 + random padding)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--val-scenes", type=int, default=99, help="held-out scenes from seeds 1..99")
    ap.add_argument("--deploy-size",
                    help="also export at this input size (WxH, multiples of 32) and point the gateway manifest at that file "
                         "(default: none, the manifest names the 320x320 export; MODEL_CARD.md has the fresh-seed eval of other sizes)")
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--no-clip-eval", action="store_true", help="skip AP on decoded eval clips")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    t_start = time.time()
    print("== EdgeAi demo detector: classes %s" % CLASSES, flush=True)
    print("[1/4] training data (scene seeds %d..%d, %d frames each)" % (TRAIN_SEED0, TRAIN_SEED0 + a.scenes - 1, a.per_scene), flush=True)
    imgs, boxes = build_dataset(TRAIN_SEED0, a.scenes, a.per_scene, "train", workers=a.threads)
    cnt = np.bincount(np.concatenate([b[:, 0].astype(int) for b in boxes if len(b)]), minlength=NC)
    print("  %d frames; objects per class: %s" % (len(imgs), dict(zip(CLASSES, cnt.tolist()))), flush=True)
    assert a.val_scenes <= 99
    vimgs, vboxes = build_dataset(1, a.val_scenes, 8, "heldout", workers=a.threads)
    t_data = time.time() - t_start

    print("[2/4] training TinyDet on CPU (%d threads)" % a.threads, flush=True)
    net = TinyDet()
    nparam = sum(p.numel() for p in net.parameters())
    print("  parameters: %d" % nparam, flush=True)
    decay, no_decay = [], []
    for n_, p in net.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}], lr=a.lr, betas=(0.9, 0.99))
    ipe = len(imgs) // a.batch
    total = ipe * a.epochs
    warm = min(300, total // 10)
    anchors, strides = make_anchors(a.canvas, IMG)
    ema = EMA(net)
    batches = Batcher(imgs, boxes, a.batch, a.canvas, a.seed, total)
    t0 = time.time()
    seen = 0
    run = None
    hist = []
    net.train()
    for it, (x, gb, gl, gm) in enumerate(batches):
        lr = a.lr * (it + 1) / warm if it < warm else a.lr * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * (it - warm) / max(1, total - warm))))
        for g in opt.param_groups:
            g["lr"] = lr
        outs = net(x)
        loss, parts = compute_loss(outs, anchors, strides, gl, gb, gm)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 10.0)
        opt.step()
        ema.update(net)
        seen += x.shape[0]
        lv = np.array([loss.item(), *parts])
        run = lv if run is None else 0.95 * run + 0.05 * lv
        if (it + 1) % 20 == 0 or it + 1 == total:
            el = time.time() - t0
            ips = seen / el
            eta = (total - it - 1) * a.batch / ips
            print("  ep %d/%d it %4d/%d  loss %.3f (box %.3f cls %.3f l1 %.3f)  lr %.2e  %5.1f img/s  elapsed %s  ETA %s" %
                  (it // ipe + 1, a.epochs, it + 1, total, run[0], run[1], run[2], run[3], lr, ips, fmt_t(el), fmt_t(eta)), flush=True)
        if (it + 1) % ipe == 0 and (it + 1) < total:
            import eval_detector as ev
            ev_aps, _ = ev.eval_arrays(ema.m, vimgs[:240], vboxes[:240])
            hist.append(dict(epoch=(it + 1) // ipe, map50_subset=float(np.nanmean(ev_aps))))
            print("  epoch %d: held-out subset mAP@0.5 %.3f  %s" % ((it + 1) // ipe, np.nanmean(ev_aps),
                  " ".join("%s=%.2f" % (c, v) for c, v in zip(CLASSES, ev_aps))), flush=True)
    t_train = time.time() - t0
    print("  training done in %s (%d images seen)" % (fmt_t(t_train), seen), flush=True)
    model = ema.m.eval()
    os.makedirs(a.out, exist_ok=True)
    torch.save(model.state_dict(), os.path.join(CACHE, "tinydet_last.pt"))

    print("[3/4] evaluation (held-out seeds 1..%d)" % a.val_scenes, flush=True)
    import eval_detector as ev
    aps, stats = ev.eval_arrays(model, vimgs, vboxes)
    ev.print_table("held-out random frames (%d images)" % len(vimgs), aps, stats)
    metrics = dict(heldout_frames=dict(images=int(len(vimgs)), seeds="1..%d" % a.val_scenes, ap50=dict(zip(CLASSES, [round(float(v), 4) for v in aps])),
                                       map50=round(float(np.nanmean(aps)), 4), npos={c: s["npos"] for c, s in zip(CLASSES, stats)}))
    if not a.no_clip_eval:
        caps, cstats, nimg = ev.eval_clips(model)
        ev.print_table("eval clips, decoded H.264 key frames (%d images)" % nimg, caps, cstats)
        metrics["eval_clips"] = dict(images=nimg, ap50=dict(zip(CLASSES, [None if np.isnan(v) else round(float(v), 4) for v in caps])),
                                     map50=round(float(np.nanmean(caps)), 4), npos={c: s["npos"] for c, s in zip(CLASSES, cstats)})
    minutes = (time.time() - t_start) / 60.0
    metrics["training"] = dict(frames=int(len(imgs)), images_seen=int(seen), epochs=a.epochs, batch=a.batch, canvas=[IMG, a.canvas],
                               data_minutes=round(t_data / 60, 2), train_minutes=round(t_train / 60, 2), total_minutes=round(minutes, 2),
                               threads=a.threads, parameters=int(nparam), history=hist)
    if a.no_export:
        print(json.dumps(metrics, indent=1))
        return
    print("[4/4] export ONNX -> %s" % a.out, flush=True)
    onnx_path = os.path.join(a.out, "edgeai-demo.onnx")
    ev.export_onnx(model, onnx_path)
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    manifest = {
        "name": "edgeai-demo", "version": "1.0.0", "file": "edgeai-demo.onnx", "sha256": sha,
        "input": {"name": "images", "width": IMG, "height": IMG, "layout": "NCHW", "color": "RGB", "scale": 1.0 / 255.0,
                  "mean": [0, 0, 0], "std": [1, 1, 1], "letterbox": True, "pad_value": PAD},
        "output": {"name": "output0", "layout": "yolov8"},
        "labels": CLASSES,
        "thresholds": {"confidence": 0.35, "iou": 0.5},
        "trained": {"date": datetime.date.today().isoformat(), "script": "models/train_detector.py", "seed": a.seed, "epochs": a.epochs,
                    "images": int(len(imgs)), "minutes": round(minutes, 1)},
    }
    with open(os.path.join(a.out, "edgeai-demo.manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    check = ev.verify_export(model, onnx_path, os.path.join(a.out, "selftest.json"))
    if a.deploy_size:
        # The same weights at another input size for the gateway (edgeai-demo.onnx, 320x320, stays for selftest.json,
        # eval_detector.py and ort_check.py). Measure it with edgeai eval on fresh seeds before using it: see MODEL_CARD.md.
        import reexport
        dw, dh = reexport.parse_size(a.deploy_size)
        reexport.reexport(onnx_path, manifest, (dw, dh), a.out, "edgeai-demo-%dx%d" % (dw, dh),
                          os.path.join(a.out, "edgeai-demo.manifest.json"), net=model)
    metrics["export"] = check
    metrics["onnx_bytes"] = os.path.getsize(onnx_path)
    metrics["sha256"] = sha
    with open(os.path.join(a.out, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=1)
        f.write("\n")
    print("done in %s: %s (%.2f MB), sha256 %s" % (fmt_t(time.time() - t_start), os.path.relpath(onnx_path, ROOT), metrics["onnx_bytes"] / 1e6, sha[:16]))


if __name__ == "__main__":
    main()

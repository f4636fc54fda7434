"""Random single frames for detector training/evaluation, drawn with the same code as the clips.

sample_scene_frames(seed, n) builds one random scene from `seed` and returns n frames with
random objects of all classes: [(PIL image, [(cls_id, x1, y1, x2, y2, occ), ...] in pixels)].
"""
import io
import math
import numpy as np
from PIL import Image

from . import draw as dr
from . import textures as tx
from .clip import Clip, Actor, LITTER_MIN
from .scenes import Scene, SCENES, point_in_poly

SCENE_P = {"street": 0.25, "road": 0.25, "riverbank": 0.3, "plaza": 0.2}


class _Frame(Clip):
    """A Clip without a script: actors are placed by sample_scene_frames."""

    def __init__(self, scene, lut):
        self.scene, self.W, self.H = scene, scene.W, scene.H
        self.actors, self.lut = [], lut
        self.fps = 10


def _ground_point(sc, rng, kind):
    """A random ground point suitable for `kind` in scene sc (pixels)."""
    H, W = sc.H, sc.W
    u = sc.u
    for _ in range(50):
        x = rng.uniform(0.03, 0.97) * W
        if sc.kind == "riverbank":
            if kind == "water":
                y = rng.uniform(sc.hy + 0.25 * (sc.wy - sc.hy), sc.wy - 0.01 * H)
            elif kind == "edge":
                y = rng.uniform(sc.wy_e + 0.02 * H, sc.wy_e + 0.2 * H)
            else:
                y = rng.uniform(sc.wy_e + 0.01 * H, H * 1.02)
        elif sc.kind == "road" and kind == "road":
            y = rng.uniform(sc.hy + 0.2 * (H - sc.hy), H * 0.99)
            x = sc.road_x(rng.uniform(0.08, 0.92), y)
        elif sc.kind == "street" and kind == "road":
            y = rng.uniform(sc.road_band[0] + 0.3 * (sc.road_band[1] - sc.road_band[0]), sc.road_band[1])
        else:
            y = rng.uniform(sc.y_for_h(40 * u), H * 1.03)
        if sc.person_h(y) >= 38 * u or kind in ("water",):
            return float(x), float(y)
    return float(W / 2), float(H * 0.8)


def sample_scene_frames(seed, n, W=960, H=540, scene_kind=None, jpeg=True):
    rng = np.random.default_rng([int(seed), 7])
    if scene_kind is None:
        names = list(SCENE_P)
        scene_kind = names[int(rng.choice(len(names), p=np.array([SCENE_P[k] for k in names])))]
    sc = Scene(scene_kind, W, H, np.random.default_rng([int(seed), 8]), clutter=float(rng.uniform(0.4, 1.6)))
    out = []
    for k in range(n):
        lut, _ = tx.lighting_lut(rng)
        if rng.random() < 0.08:   # night-ish
            lut = tx.make_lut(rng.uniform(0.4, 0.6), rng.uniform(0.75, 0.95), rng.uniform(1.0, 1.2), [-0.06, -0.02, 0.08])
        fr = _Frame(sc, lut)
        _populate(fr, sc, rng)
        tr = 1
        for a in fr.actors:
            a.track = tr
            tr += 1
        t = 0.5
        img, objs = fr.render(t, True)
        if jpeg and rng.random() < 0.5:
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=int(rng.integers(45, 92)))
            buf.seek(0)
            img = Image.open(buf).convert("RGB")
        boxes = []
        for o in objs:
            b = o["box"]
            boxes.append((dr.CLS_ID[o["cls"]], b[0] * W, b[1] * H, b[2] * W, b[3] * H, o.get("occ", 0.0)))
        out.append((img, boxes))
    return out


def _static(cls, style, x, y, size_m=None, moving=False, dx=0.0):
    # two keys so that the actor is present at t=0.5 and (optionally) walking
    keys = [(0.0, x - dx * 0.5, y), (1.0, x + dx * 0.5, y)] if moving else [(0.0, x, y), (1.0, x, y)]
    return Actor(cls, style, keys, t0=0.0, t1=1.0, size_m=size_m)


def _populate(fr, sc, rng):
    u, W, H = sc.u, sc.W, sc.H
    k = sc.kind
    A = fr.actors

    def person(x, y, walking=None, pose=None):
        st = dr.person_style(rng)
        h = sc.person_h(y)
        walking = (rng.random() < 0.6) if walking is None else walking
        f = 1 if rng.random() < 0.5 else -1
        a = _static("person", st, x, y, moving=walking, dx=f * h * rng.uniform(0.2, 0.4))
        st["facing"] = f
        if not walking:
            a.sway = float(rng.uniform(0, 6.28))
        if pose:
            a.poses = [(-1e9, 1e9, pose)]
        A.append(a)
        return a

    # persons
    n_p = int(rng.integers(0, 7)) if k != "plaza" else int(rng.integers(2, 14))
    cluster = k == "plaza" and rng.random() < 0.6
    cx, cy = _ground_point(sc, rng, "ground")
    for _ in range(n_p):
        if cluster:
            x, y = cx + rng.normal(0, 1.2 * sc.person_h(cy)), cy + rng.normal(0, 0.2 * sc.person_h(cy))
            if sc.person_h(y) < 38 * u:
                continue
        else:
            x, y = _ground_point(sc, rng, "edge" if k == "riverbank" and rng.random() < 0.3 else "ground")
        p = person(x, y)
        if rng.random() < 0.3:  # carrying a bag / bottle (litter class, carried)
            st = dr.litter_style(rng, carried=True)
            it = _static("litter", st, 0, 0, size_m=float(rng.uniform(0.45, 0.65)))
            it.attach.append((p, -1e9, 1e9))
            A.append(it)
        elif rng.random() < 0.04:  # carrying a rod over the shoulder
            p.poses = [(-1e9, 1e9, "carry_rod")]
            p.rod = dr.rod_style(rng)
            r = _static("fishing_rod", p.rod, 0, 0)
            r.attach.append((p, -1e9, 1e9))
            A.append(r)
    # fishers
    n_f = int(rng.integers(1, 4)) if k == "riverbank" and rng.random() < 0.85 else 0
    fishers = []
    for _ in range(n_f):
        for _try in range(15):
            x, y = _ground_point(sc, rng, "edge")
            if all(abs(x - fx) > 1.3 * sc.person_h(max(y, fy)) for fx, fy in fishers):
                break
        else:
            continue
        fishers.append((x, y))
        p = person(x, y, walking=False)
        pose = "fish" if rng.random() < 0.85 else "carry_rod"
        p.poses = [(-1e9, 1e9, pose)]
        p.fish_facing = p.style["facing"]
        p.rod = dr.rod_style(rng)
        r = _static("fishing_rod", p.rod, 0, 0)
        r.attach.append((p, -1e9, 1e9))
        A.append(r)
    # boats
    n_b = int(rng.integers(1, 4)) if k == "riverbank" and rng.random() < 0.85 else 0
    for _ in range(n_b):
        x, y = _ground_point(sc, rng, "water")
        st = dr.boat_style(rng)
        st["facing"] = 1 if rng.random() < 0.5 else -1
        b = _static("boat", st, x, y, size_m=float(rng.uniform(3.5, 7.5)))
        b.moving_until = 1.0 if rng.random() < 0.4 else None
        A.append(b)
    # ground objects, placed without overlapping each other (a hidden item would be a wrong label)
    taken = []

    def place(kind, footprint):
        for _try in range(15):
            x, y = _ground_point(sc, rng, kind)
            fx1, fy1, fx2, fy2 = footprint(x, y)
            if all(fx2 < t[0] or fx1 > t[2] or fy2 < t[1] or fy1 > t[3] for t in taken):
                taken.append((fx1, fy1, fx2, fy2))
                return x, y
        return None

    # garbage piles
    n_g = int(rng.integers(1, 3)) if rng.random() < 0.6 else 0
    for _ in range(n_g):
        sm = float(rng.uniform(1.2, 2.3))
        p = place("ground", lambda x, y: (x - 0.7 * max(60 * u, sm * sc.ppm(y)), y - 0.8 * max(60 * u, sm * sc.ppm(y)),
                                          x + 0.7 * max(60 * u, sm * sc.ppm(y)), y + 5 * u))
        if p:
            A.append(_static("garbage_pile", dr.pile_style(rng), p[0], p[1], size_m=sm))
    # litter on the ground
    n_l = int(rng.integers(0, 6)) if k in ("street", "plaza") else int(rng.integers(0, 4))
    for _ in range(n_l):
        sm = float(rng.uniform(0.4, 0.6))
        p = place("road" if (k == "road" and rng.random() < 0.5) else "ground",
                  lambda x, y: (x - max(LITTER_MIN * u, sm * sc.ppm(y)), y - 1.2 * max(LITTER_MIN * u, sm * sc.ppm(y)),
                                x + max(LITTER_MIN * u, sm * sc.ppm(y)), y + 5 * u))
        if p:
            A.append(_static("litter", dr.litter_style(rng), p[0], p[1], size_m=sm))
    # potholes
    if k == "road":
        n_h = int(rng.integers(1, 4)) if rng.random() < 0.85 else 0
    elif k == "street":
        n_h = int(rng.integers(0, 2)) if rng.random() < 0.4 else 0
    else:
        n_h = 1 if rng.random() < 0.12 else 0
    for _ in range(n_h):
        sm = float(rng.uniform(0.8, 2.1))
        p = place("road" if k in ("road", "street") else "ground",
                  lambda x, y: (x - 0.75 * max(45 * u, sm * sc.ppm(y)), y - 0.9 * max(45 * u, sm * sc.ppm(y)), x + 0.75 * max(45 * u, sm * sc.ppm(y)), y + 8 * u))
        if p:
            A.append(_static("pothole", dr.pothole_style(rng), p[0], p[1], size_m=sm))
    # moving shadows (hard negatives)
    if rng.random() < 0.3:
        from PIL import ImageDraw, ImageFilter
        wpx = rng.uniform(120, 380) * u
        x, y = rng.uniform(0, W), rng.uniform(sc.hy + 0.1 * H, H)
        a = Actor("shadow", {}, [(0.0, x, y), (1.0, x, y)])
        sp = Image.new("L", (int(wpx * 2), int(wpx * 0.9)), 0)
        ImageDraw.Draw(sp).polygon(dr._blob_pts(dr._blob(rng, 12, 0.35), wpx, wpx * 0.45, wpx * 0.75, wpx * 0.3), fill=int(rng.uniform(90, 160)))
        a.sprite = sp.filter(ImageFilter.GaussianBlur(max(2, wpx * 0.05)))
        A.append(a)

"""Drawing of detector classes and clutter with PIL ImageDraw.

Every drawable has a *style* (made once from an rng, so appearance is stable over a clip)
and a draw function that takes the anchor (box bottom-centre, pixels), a size in pixels and
the style, draws on `d` (ImageDraw of the RGB frame) and optionally `sd` (ImageDraw of an
'L' shadow mask), and returns the tight box [x1, y1, x2, y2] in pixels (None if nothing).
"""
import math
import numpy as np

CLASSES = ["person", "litter", "garbage_pile", "pothole", "boat", "fishing_rod"]
CLS_ID = {c: i for i, c in enumerate(CLASSES)}


def _c(col):
    return tuple(int(max(0, min(255, v))) for v in col)


def _pick(rng, seq):
    return seq[int(rng.integers(len(seq)))]


def _rot(points, ang, ox, oy):
    ca, sa = math.cos(ang), math.sin(ang)
    return [(ox + px * ca - py * sa, oy + px * sa + py * ca) for px, py in points]


def _bbox(points, pad=0.0):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return [min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad]


def _union(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]


def _blob(rng, n, jitter):
    """Irregular closed shape: list of (angle, radius-factor)."""
    angs = np.sort(rng.uniform(0, 2 * math.pi, n))
    rad = 1.0 + rng.uniform(-jitter, jitter, n)
    return list(zip(angs.tolist(), rad.tolist()))


def _blob_pts(blob, cx, cy, rx, ry):
    return [(cx + math.cos(a) * r * rx, cy + math.sin(a) * r * ry) for a, r in blob]


# ======================================================================= person
SKIN = [(236, 200, 170), (220, 180, 140), (190, 150, 110), (150, 110, 80), (110, 80, 60), (245, 215, 190)]
HAIR = [(30, 25, 20), (60, 40, 25), (20, 20, 20), (120, 90, 50), (170, 170, 170), (90, 60, 30)]
SHIRT = [(200, 40, 40), (40, 80, 190), (240, 240, 240), (30, 30, 30), (230, 200, 40), (40, 150, 70),
         (240, 130, 40), (130, 60, 160), (100, 180, 220), (200, 120, 150), (120, 120, 120), (160, 100, 60)]
TROUSERS = [(40, 45, 70), (30, 30, 30), (70, 70, 75), (120, 100, 80), (50, 70, 120), (170, 160, 140), (90, 50, 40)]


def person_style(rng):
    return dict(
        skin=_pick(rng, SKIN), hair=_pick(rng, HAIR), shirt=np.clip(np.array(_pick(rng, SHIRT)) + rng.integers(-25, 26, 3), 0, 255).tolist(),
        trousers=_pick(rng, TROUSERS), shoes=_pick(rng, [(20, 20, 20), (240, 240, 240), (90, 60, 40), (60, 60, 60)]),
        wr=float(rng.uniform(0.25, 0.33)), hat=bool(rng.random() < 0.2), hat_col=_pick(rng, SHIRT),
        skirt=bool(rng.random() < 0.15), backpack=bool(rng.random() < 0.15), bp_col=_pick(rng, SHIRT),
        coat=bool(rng.random() < 0.3), coat_len=float(rng.uniform(0.05, 0.2)),
        hscale=float(rng.uniform(0.9, 1.08)),
    )


def person_hand(x, y, h, st, pose, phase=0.0, facing=1):
    """Hand position (the holding hand) for attachments."""
    h = h * st["hscale"]
    if pose == "fish":
        return x + facing * 0.2 * h, y - 0.56 * h
    if pose == "carry_rod":
        return x + facing * 0.12 * h, y - 0.5 * h
    sw = math.sin(phase) * 0.06 * h
    return x + facing * (st["wr"] * 0.5 * h + 0.02 * h) - sw * 0.3, y - 0.43 * h


def draw_person(d, sd, x, y, h, st, phase=0.0, walking=True, facing=1, pose="walk"):
    h = h * st["hscale"]
    w = st["wr"] * h
    r = 0.075 * h
    head_cy = y - h + r
    sh_y = y - h + 2.25 * r          # shoulders
    hip_y = y - 0.47 * h
    lw = max(2, int(round(0.085 * h)))
    # shadow
    if sd is not None:
        sd.ellipse([x - 0.32 * h, y - 0.05 * h, x + 0.32 * h, y + 0.04 * h], fill=110)
    if d is None:
        return None
    swing = math.sin(phase) * 0.13 * h if walking else 0.0
    # legs
    for s in (-1, 1):
        hx = x + s * 0.22 * w
        fx = hx + (s * swing if walking else s * 0.03 * h)
        d.line([(hx, hip_y), (fx, y - 0.02 * h)], fill=_c(st["trousers"]), width=lw)
        d.line([(fx - 0.035 * h + facing * 0.02 * h, y - 0.02 * h), (fx + 0.035 * h + facing * 0.02 * h, y - 0.02 * h)],
               fill=_c(st["shoes"]), width=max(2, int(0.035 * h)))
    # backpack behind
    if st["backpack"]:
        bx = x - facing * 0.45 * w
        d.rounded_rectangle([bx - 0.3 * w, sh_y + 0.02 * h, bx + 0.3 * w, hip_y - 0.02 * h], radius=max(1, int(0.1 * w)), fill=_c(st["bp_col"]))
    # torso
    bot = hip_y + (st["coat_len"] * h if st["coat"] else 0.02 * h)
    d.rounded_rectangle([x - w / 2, sh_y, x + w / 2, bot], radius=max(1, int(0.18 * w)), fill=_c(st["shirt"]))
    if st["skirt"]:
        d.polygon([(x - w / 2, hip_y - 0.02 * h), (x + w / 2, hip_y - 0.02 * h), (x + 0.65 * w, hip_y + 0.2 * h), (x - 0.65 * w, hip_y + 0.2 * h)],
                  fill=_c(st["trousers"]))
    # arms
    aw = max(2, int(round(0.07 * h)))
    for s in (-1, 1):
        ax = x + s * (w / 2 - 0.02 * h)
        if pose == "fish" and s == facing:
            hx, hy = person_hand(x, y, h / st["hscale"], st, pose, phase, facing)
            d.line([(ax, sh_y + 0.03 * h), (hx, hy)], fill=_c(st["shirt"]), width=aw)
            d.ellipse([hx - 0.03 * h, hy - 0.03 * h, hx + 0.03 * h, hy + 0.03 * h], fill=_c(st["skin"]))
        else:
            sw = (-s * math.sin(phase) * 0.06 * h) if walking else 0.0
            hx, hy = ax + s * 0.03 * h + sw, y - 0.46 * h
            d.line([(ax, sh_y + 0.03 * h), (hx, hy)], fill=_c(st["shirt"]), width=aw)
            d.ellipse([hx - 0.028 * h, hy - 0.028 * h, hx + 0.028 * h, hy + 0.028 * h], fill=_c(st["skin"]))
    # head
    d.ellipse([x - r, head_cy - r, x + r, head_cy + r], fill=_c(st["skin"]))
    if st["hat"]:
        d.rectangle([x - 1.15 * r, head_cy - 1.05 * r, x + 1.15 * r, head_cy - 0.35 * r], fill=_c(st["hat_col"]))
    else:
        d.chord([x - r, head_cy - r, x + r, head_cy + r * 0.6], 180, 360, fill=_c(st["hair"]))
    x1 = x - max(0.65 * w if st["skirt"] else w / 2, 0.22 * w + 0.13 * h + 0.035 * h, w / 2 + 0.06 * h)
    x2 = x + max(0.65 * w if st["skirt"] else w / 2, 0.22 * w + 0.13 * h + 0.035 * h, w / 2 + 0.06 * h)
    if not walking:
        x1 = x - max(w / 2 + 0.05 * h, 0.22 * w + 0.07 * h)
        x2 = x + max(w / 2 + 0.05 * h, 0.22 * w + 0.07 * h)
    if pose == "fish":
        hx, _ = person_hand(x, y, h / st["hscale"], st, pose, phase, facing)
        if facing > 0:
            x2 = max(x2, hx + 0.03 * h)
        else:
            x1 = min(x1, hx - 0.03 * h)
    if st["backpack"]:
        bx = x - facing * 0.45 * w
        x1, x2 = min(x1, bx - 0.3 * w), max(x2, bx + 0.3 * w)
    return [x1, y - h, x2, y]


# ======================================================================= fishing rod
ROD_COL = [(20, 20, 20), (40, 40, 45), (30, 30, 60), (60, 30, 20), (15, 35, 20), (20, 20, 20), (230, 230, 235)]
HANDLE_COL = [(200, 40, 40), (220, 170, 50), (60, 60, 200), (160, 110, 60), (240, 240, 240)]


def rod_style(rng):
    return dict(col=_pick(rng, ROD_COL), handle=_pick(rng, HANDLE_COL), lenf=float(rng.uniform(1.3, 2.1)),
                ang=float(rng.uniform(math.radians(25), math.radians(60))), reel=bool(rng.random() < 0.7),
                thick=float(rng.uniform(0.045, 0.065)), line=bool(rng.random() < 0.8))


def draw_rod(d, hx, hy, h, st, facing=1, pose="fish", water_y=None, u=1.0):
    """Rod from the hand (hx, hy). h = holder height (px). Returns rod box."""
    L = st["lenf"] * h
    if pose == "fish":
        ang = st["ang"]
        dx, dy = facing * math.cos(ang), -math.sin(ang)
        bx, by = hx - dx * 0.18 * L, hy - dy * 0.18 * L   # butt behind the hand
    else:  # carried over the shoulder, pointing up and backwards
        ang = math.radians(70)
        dx, dy = -facing * math.cos(ang), -math.sin(ang)
        L *= 0.85
        bx, by = hx - dx * 0.12 * L, hy - dy * 0.12 * L
    tx, ty = bx + dx * L, by + dy * L
    t0 = max(3.2 * u, st["thick"] * h)
    t1 = max(2.6 * u, 0.45 * t0)
    nx, ny = -dy, dx
    poly = [(bx + nx * t0 / 2, by + ny * t0 / 2), (tx + nx * t1 / 2, ty + ny * t1 / 2),
            (tx - nx * t1 / 2, ty - ny * t1 / 2), (bx - nx * t0 / 2, by - ny * t0 / 2)]
    d.polygon(poly, fill=_c(st["col"]))
    # handle
    hl = 0.22 * L
    hpoly = [(bx + nx * t0 * 0.7, by + ny * t0 * 0.7), (bx + dx * hl + nx * t0 * 0.6, by + dy * hl + ny * t0 * 0.6),
             (bx + dx * hl - nx * t0 * 0.6, by + dy * hl - ny * t0 * 0.6), (bx - nx * t0 * 0.7, by - ny * t0 * 0.7)]
    d.polygon(hpoly, fill=_c(st["handle"]))
    if st["reel"]:
        rx, ry = bx + dx * 0.12 * L + nx * t0 * 1.2, by + dy * 0.12 * L + ny * t0 * 1.2
        rr = max(2.0 * u, 1.3 * t0)
        d.ellipse([rx - rr, ry - rr, rx + rr, ry + rr], fill=(150, 150, 155))
    if st["line"] and pose == "fish" and water_y is not None:
        ly = min(water_y, ty + 0.45 * h) if ty < water_y else ty + 0.2 * h
        d.line([(tx, ty), (tx + facing * 0.05 * L, (ty + ly) / 2), (tx + facing * 0.08 * L, ly)], fill=(225, 225, 225), width=1)
    return _bbox(poly + hpoly, pad=0.5)


# ======================================================================= litter
LITTER_KINDS = ["bottle", "can", "bag", "paper", "cup", "box"]


def litter_style(rng, kind=None, carried=False):
    kind = kind or _pick(rng, LITTER_KINDS)
    if carried and kind not in ("bag", "bottle", "cup"):
        kind = _pick(rng, ["bag", "bag", "bottle", "cup"])
    col = {
        "bottle": _pick(rng, [(90, 190, 110), (140, 90, 40), (110, 170, 230), (230, 235, 240), (40, 120, 60)]),
        "can": _pick(rng, [(220, 30, 30), (200, 200, 210), (30, 90, 200), (40, 170, 60), (240, 200, 30), (20, 20, 20)]),
        "bag": _pick(rng, [(245, 245, 245), (25, 25, 25), (40, 90, 210), (220, 40, 40), (250, 220, 40), (70, 170, 80)]),
        "paper": _pick(rng, [(250, 250, 245), (240, 235, 210), (220, 220, 230), (250, 240, 190)]),
        "cup": _pick(rng, [(250, 250, 250), (240, 230, 200), (200, 60, 50)]),
        "box": _pick(rng, [(190, 150, 100), (240, 240, 240), (220, 60, 60), (230, 180, 60)]),
    }[kind]
    return dict(kind=kind, col=[int(v) for v in col], col2=_pick(rng, [(240, 240, 240), (230, 40, 40), (30, 30, 30), (40, 80, 200), (250, 200, 30)]),
                ang=float(rng.uniform(0, math.pi)), blob=_blob(rng, 9, 0.3), sizef=float(rng.uniform(0.85, 1.25)),
                outline=_c(np.array(col) * 0.45))


def draw_litter(d, sd, x, y, size, st, carried=False):
    """Item with bottom-centre (x, y); size ~ longest side (px)."""
    k = st["kind"]
    s = size * st["sizef"]
    if sd is not None and not carried:
        sd.ellipse([x - 0.55 * s, y - 0.15 * s, x + 0.55 * s, y + 0.08 * s], fill=90)
    if d is None:
        return None
    if carried:
        # hanging from the hand at (x, y) == top; we get bottom-centre semantics anyway
        pass
    if k == "bottle":
        L, W = s, 0.42 * s
        ang = (math.pi / 2 if carried else st["ang"] * 0.35 - 0.17)
        body = [(-L / 2, -W / 2), (L * 0.2, -W / 2), (L * 0.32, -W * 0.22), (L / 2, -W * 0.22), (L / 2, W * 0.22),
                (L * 0.32, W * 0.22), (L * 0.2, W / 2), (-L / 2, W / 2)]
        ext = _bbox(_rot(body, ang, 0, 0))
        cy = y - ext[3]
        pts = _rot(body, ang, x, cy)
        d.polygon(pts, fill=_c(st["col"]), outline=st["outline"])
        cap = _rot([(L * 0.42, -W * 0.26), (L / 2 + 1, -W * 0.26), (L / 2 + 1, W * 0.26), (L * 0.42, W * 0.26)], ang, x, cy)
        d.polygon(cap, fill=_c(st["col2"]))
        hl = _rot([(-L * 0.35, -W * 0.18), (L * 0.1, -W * 0.18)], ang, x, cy)
        d.line(hl, fill=(245, 245, 245), width=max(1, int(W * 0.15)))
        return _bbox(pts + cap)
    if k == "can":
        L, W = 0.9 * s, 0.58 * s
        ang = (math.pi / 2 if carried else st["ang"] * 0.3)
        body = [(-L / 2, -W / 2), (L / 2, -W / 2), (L / 2, W / 2), (-L / 2, W / 2)]
        ext = _bbox(_rot(body, ang, 0, 0))
        cy = y - ext[3]
        pts = _rot(body, ang, x, cy)
        d.polygon(pts, fill=_c(st["col"]), outline=st["outline"])
        band = _rot([(-L * 0.15, -W / 2), (L * 0.15, -W / 2), (L * 0.15, W / 2), (-L * 0.15, W / 2)], ang, x, cy)
        d.polygon(band, fill=_c(st["col2"]))
        rim = _rot([(L / 2 - 1.5, -W / 2), (L / 2 - 1.5, W / 2)], ang, x, cy)
        d.line(rim, fill=(210, 210, 215), width=2)
        return _bbox(pts)
    if k == "bag":
        rx, ry = 0.5 * s, (0.5 * s if carried else 0.36 * s)
        cy = y - ry
        pts = _blob_pts(st["blob"], x, cy, rx, ry)
        b = _bbox(pts)
        dy = y - b[3]
        pts = [(px, py + dy) for px, py in pts]
        d.polygon(pts, fill=_c(st["col"]), outline=st["outline"])
        # handles / knot
        top = min(p[1] for p in pts)
        hw = 0.25 * s
        d.arc([x - hw, top - 0.28 * s, x + hw, top + 0.2 * s], 180, 360, fill=_c(np.array(st["col"]) * 0.7), width=max(2, int(0.07 * s)))
        d.line([(x - 0.2 * s, cy + dy), (x + 0.15 * s, cy + dy + 0.15 * s)], fill=st["outline"], width=1)
        return _union(_bbox(pts), [x - hw, top - 0.28 * s, x + hw, top])
    if k == "paper":
        rx, ry = 0.5 * s, 0.34 * s
        pts = _blob_pts(st["blob"], x, y - ry, rx, ry)
        b = _bbox(pts)
        dy = y - b[3]
        pts = [(px, py + dy) for px, py in pts]
        d.polygon(pts, fill=_c(st["col"]), outline=(120, 120, 120))
        c = (x, y - ry)
        for p in pts[::3]:
            d.line([c, p], fill=(170, 170, 160), width=1)
        return _bbox(pts)
    if k == "cup":
        H, Wt, Wb = 0.9 * s, 0.6 * s, 0.42 * s
        if carried:
            pts = [(x - Wt / 2, y - H), (x + Wt / 2, y - H), (x + Wb / 2, y), (x - Wb / 2, y)]
        else:  # lying on its side
            ang = st["ang"] * 0.4
            body = [(-H / 2, -Wt / 2), (H / 2, -Wb / 2), (H / 2, Wb / 2), (-H / 2, Wt / 2)]
            ext = _bbox(_rot(body, ang, 0, 0))
            pts = _rot(body, ang, x, y - ext[3])
        d.polygon(pts, fill=_c(st["col"]), outline=(90, 90, 90))
        b = _bbox(pts)
        d.line([(b[0], b[1] + 1), (b[2], b[1] + 1)] if carried else [pts[0], pts[3]], fill=_c(st["col2"]), width=max(2, int(0.12 * s)))
        return b
    # box (small carton)
    L, W = 0.9 * s, 0.6 * s
    pts = [(x - L / 2, y - W), (x + L / 2, y - W), (x + L / 2, y), (x - L / 2, y)]
    d.polygon(pts, fill=_c(st["col"]), outline=st["outline"])
    d.polygon([(x - L / 2, y - W), (x - L / 2 + 0.2 * L, y - W - 0.2 * W), (x + L / 2 + 0.2 * L, y - W - 0.2 * W), (x + L / 2, y - W)],
              fill=_c(np.array(st["col"]) * 1.15), outline=st["outline"])
    d.line([(x - L / 2 + 2, y - W * 0.5), (x + L / 2 - 2, y - W * 0.5)], fill=_c(st["col2"]), width=max(1, int(0.1 * W)))
    return [x - L / 2, y - W - 0.2 * W, x + L / 2 + 0.2 * L, y]


# ======================================================================= garbage pile
BAG_COLS = [(25, 25, 25), (35, 35, 40), (40, 110, 50), (40, 60, 150), (200, 200, 200), (120, 80, 40), (80, 80, 80)]
BIN_COLS = [(40, 120, 60), (90, 90, 95), (40, 70, 150), (150, 60, 40), (200, 150, 40)]


def pile_style(rng):
    bin_ = bool(rng.random() < 0.3)
    items = []
    n = int(rng.integers(8, 18))
    for _ in range(n):
        t = _pick(rng, ["bag", "bag", "bag", "box", "bottle", "paper", "can"])
        items.append(dict(t=t, x=float(rng.uniform(-0.45, 0.45)), y=float(rng.uniform(0.0, 1.0)),
                          s=float(rng.uniform(0.18, 0.35)), col=_pick(rng, BAG_COLS if t == "bag" else [(190, 150, 100), (240, 240, 240), (90, 190, 110), (220, 40, 40), (230, 230, 200), (200, 200, 210)]),
                          blob=_blob(rng, 8, 0.25), ang=float(rng.uniform(0, math.pi))))
    items.sort(key=lambda it: it["y"])
    return dict(bin=bin_, bin_col=_pick(rng, BIN_COLS), base=_pick(rng, [(60, 45, 30), (45, 40, 35), (80, 65, 45), (35, 30, 28)]),
                blob=_blob(rng, 12, 0.2), items=items, aspect=float(rng.uniform(0.45, 0.7)))


def draw_pile(d, sd, x, y, W, st):
    H = W * st["aspect"]
    if sd is not None:
        sd.ellipse([x - 0.6 * W, y - 0.15 * H, x + 0.6 * W, y + 0.1 * H], fill=120)
    if d is None:
        return None
    box = None
    if st["bin"]:
        bw, bh = 0.45 * W, 0.85 * H
        bx = x - 0.1 * W
        pts = [(bx - bw / 2, y - bh), (bx + bw / 2, y - bh), (bx + bw / 2 * 0.9, y), (bx - bw / 2 * 0.9, y)]
        d.polygon(pts, fill=_c(st["bin_col"]), outline=_c(np.array(st["bin_col"]) * 0.5))
        d.line([(bx - bw / 2, y - bh), (bx + bw / 2, y - bh)], fill=_c(np.array(st["bin_col"]) * 0.6), width=max(2, int(0.05 * bh)))
        box = _bbox(pts)
        # heap overflowing on top and spilling on the ground
        for it in st["items"]:
            if it["y"] < 0.6:   # overflowing on top of the bin
                ix = bx + it["x"] * bw * 1.3
                iy = y - bh - (0.6 - it["y"]) * 0.6 * H
            else:               # spilled on the ground beside it
                ix = x + it["x"] * W * 0.7 + 0.2 * W
                iy = y - 0.08 * H - (it["y"] - 0.6) * 0.3 * H
            box = _union(box, _pile_item(d, ix, iy, it, W))
        return box
    base = _blob_pts(st["blob"], x, y - 0.32 * H, 0.5 * W, 0.32 * H)
    b = _bbox(base)
    dy = y - b[3]
    base = [(px, py + dy) for px, py in base]
    d.polygon(base, fill=_c(st["base"]))
    box = _bbox(base)
    for it in st["items"]:
        ix = x + it["x"] * W * 0.85
        iy = y - 0.15 * H - (1.0 - it["y"]) * 0.75 * H
        box = _union(box, _pile_item(d, ix, iy, it, W))
    return box


def _pile_item(d, ix, iy, it, W):
    s = it["s"] * W
    col = _c(it["col"])
    oc = _c(np.array(it["col"]) * 0.5 + 10)
    if it["t"] == "bag":
        pts = _blob_pts(it["blob"], ix, iy, 0.5 * s, 0.42 * s)
        d.polygon(pts, fill=col, outline=oc)
        top = min(p[1] for p in pts)
        d.line([(ix, top), (ix - 0.08 * s, top - 0.12 * s), (ix + 0.08 * s, top - 0.12 * s)], fill=col, width=max(1, int(0.06 * s)))
        return _bbox(pts)
    if it["t"] == "box":
        pts = _rot([(-0.45 * s, -0.3 * s), (0.45 * s, -0.3 * s), (0.45 * s, 0.3 * s), (-0.45 * s, 0.3 * s)], it["ang"] * 0.4, ix, iy)
        d.polygon(pts, fill=col, outline=oc)
        return _bbox(pts)
    L = 0.6 * s
    pts = _rot([(-L / 2, -0.15 * s), (L / 2, -0.15 * s), (L / 2, 0.15 * s), (-L / 2, 0.15 * s)], it["ang"], ix, iy)
    d.polygon(pts, fill=col, outline=oc)
    return _bbox(pts)


# ======================================================================= pothole
def pothole_style(rng):
    n = int(rng.integers(12, 20))
    cracks = []
    for _ in range(int(rng.integers(4, 10))):
        a = float(rng.uniform(0, 2 * math.pi))
        segs = [(a, 1.0)]
        r = 1.0
        for _ in range(int(rng.integers(2, 4))):
            a += float(rng.uniform(-0.5, 0.5))
            r += float(rng.uniform(0.08, 0.16))
            segs.append((a, r))
        cracks.append(segs)
    return dict(blob=_blob(rng, n, 0.28), inner=_blob(rng, n, 0.3), cracks=cracks,
                rim=_pick(rng, [(120, 110, 100), (140, 130, 115), (105, 100, 95), (150, 140, 125)]),
                hole=_pick(rng, [(35, 28, 22), (28, 25, 24), (45, 35, 25), (20, 18, 18)]),
                water=bool(rng.random() < 0.2), aspect=float(rng.uniform(0.35, 0.6)), debris=int(rng.integers(3, 9)),
                dseed=int(rng.integers(1 << 30)))


def draw_pothole(d, sd, x, y, W, st, grow=1.0, u=1.0):
    W = W * grow
    rx, ry = 0.5 * W, 0.5 * W * st["aspect"]
    cx, cy = x, y - ry * 1.35
    rim = _blob_pts(st["blob"], cx, cy, rx * 1.18, ry * 1.22)
    d.polygon(rim, fill=_c(st["rim"]))
    hole = _blob_pts(st["blob"], cx, cy, rx, ry)
    d.polygon(hole, fill=_c(st["hole"]))
    inner = _blob_pts(st["inner"], cx, cy + ry * 0.1, rx * 0.62, ry * 0.55)
    d.polygon(inner, fill=_c(np.array(st["hole"]) * 0.55) if not st["water"] else (60, 70, 80))
    # lit far rim inside the hole (gives depth)
    d.arc([cx - rx * 0.95, cy - ry * 0.95, cx + rx * 0.95, cy + ry * 0.95], 200, 340, fill=_c(np.array(st["rim"]) * 0.8), width=max(1, int(0.05 * ry + u)))
    pts = list(rim)
    cw = max(1, int(round(1.6 * u)))
    for segs in st["cracks"]:
        line = [(cx + math.cos(a) * r * rx * 1.15, cy + math.sin(a) * r * ry * 1.2) for a, r in segs]
        d.line(line, fill=_c(np.array(st["hole"]) * 1.2), width=cw)
        pts += line
    rr = np.random.default_rng(st["dseed"])
    for _ in range(st["debris"]):
        a = rr.uniform(0, 2 * math.pi)
        r = rr.uniform(1.0, 1.25)
        px, py = cx + math.cos(a) * r * rx, cy + math.sin(a) * r * ry
        ds = rr.uniform(1.5, 3.5) * u
        d.ellipse([px - ds, py - ds, px + ds, py + ds], fill=_c(np.array(st["rim"]) * rr.uniform(0.7, 1.2)))
    return _bbox(pts)


# ======================================================================= boat
HULL = [(240, 240, 240), (200, 40, 40), (40, 80, 170), (150, 100, 55), (40, 130, 80), (230, 190, 40), (90, 90, 95)]


def boat_style(rng):
    return dict(hull=_pick(rng, HULL), stripe=_pick(rng, [(30, 30, 30), (240, 240, 240), (200, 40, 40), (40, 80, 170)]),
                cabin=bool(rng.random() < 0.55), cabin_col=_pick(rng, [(240, 240, 240), (200, 200, 190), (120, 160, 200), (180, 60, 50)]),
                aspect=float(rng.uniform(0.22, 0.32)), bow=float(rng.uniform(0.15, 0.3)), outboard=bool(rng.random() < 0.5),
                canopy=bool(rng.random() < 0.25))


def draw_boat(d, x, y, L, st, facing=1, moving=False, t=0.0):
    """Waterline bottom-centre (x, y); L = hull length."""
    H = L * st["aspect"]
    f = facing
    hull = [(x - f * L / 2, y - H), (x + f * L / 2, y - H * 1.18), (x + f * (L / 2 - st["bow"] * L), y), (x - f * (L / 2 - 0.04 * L), y)]
    # reflection (not part of the box)
    refl = [(x - f * L / 2, y), (x + f * (L / 2 - st["bow"] * L), y), (x + f * (L / 2 - st["bow"] * L) * 0.9, y + 0.5 * H), (x - f * L * 0.45, y + 0.5 * H)]
    d.polygon(refl, fill=_c(np.array(st["hull"]) * 0.45 + 30))
    if moving:
        for k in range(3):
            wx = x - f * (L / 2 + k * 0.12 * L)
            d.line([(wx, y + k * 1.5), (wx - f * 0.15 * L, y + k * 2 + 2)], fill=(230, 235, 240), width=2)
    d.polygon(hull, fill=_c(st["hull"]), outline=_c(np.array(st["hull"]) * 0.5))
    d.line([(x - f * L / 2, y - H + 0.18 * H), (x + f * L / 2 * 0.95, y - H * 1.12 + 0.18 * H)], fill=_c(st["stripe"]), width=max(2, int(0.1 * H)))
    pts = list(hull)
    if st["cabin"]:
        cw, ch = 0.3 * L, 0.7 * H
        cx0 = x - f * 0.05 * L
        cab = [(cx0 - cw / 2, y - H - ch), (cx0 + cw / 2, y - H - ch), (cx0 + cw / 2, y - H + 1), (cx0 - cw / 2, y - H + 1)]
        d.polygon(cab, fill=_c(st["cabin_col"]), outline=(60, 60, 60))
        d.rectangle([cx0 - cw / 2 + 0.15 * cw, y - H - ch * 0.8, cx0 + cw / 2 - 0.15 * cw, y - H - ch * 0.45], fill=(60, 80, 100))
        pts += cab
    elif st["canopy"]:
        cw = 0.35 * L
        cx0 = x
        can = [(cx0 - cw / 2, y - H - 0.45 * H), (cx0 + cw / 2, y - H - 0.45 * H), (cx0 + cw / 2 + 2, y - H), (cx0 - cw / 2 - 2, y - H)]
        d.polygon(can, fill=(200, 60, 40), outline=(90, 30, 20))
        pts += can
    if st["outboard"]:
        ox = x - f * L / 2
        ob = [(ox - f * 0.05 * L, y - H - 0.3 * H), (ox - f * 0.02 * L, y - H - 0.3 * H), (ox - f * 0.02 * L, y - 0.2 * H), (ox - f * 0.05 * L, y - 0.2 * H)]
        d.polygon(ob, fill=(30, 30, 30))
        pts += ob
    return _bbox(pts)


# ======================================================================= clutter
def draw_tree(d, sd, x, y, h, rng_vals):
    """rng_vals: dict made once (crown circles)."""
    tw = max(3, 0.07 * h)
    if sd is not None:
        sd.ellipse([x - 0.55 * h, y - 0.06 * h, x + 0.55 * h, y + 0.08 * h], fill=100)
    if d is None:
        return None
    d.rectangle([x - tw / 2, y - 0.55 * h, x + tw / 2, y], fill=_c(rng_vals["trunk"]))
    for (ox, oy, r, shade) in rng_vals["crown"]:
        col = _c(np.array(rng_vals["leaf"]) * shade)
        d.ellipse([x + ox * h - r * h, y - 0.7 * h + oy * h - r * h, x + ox * h + r * h, y - 0.7 * h + oy * h + r * h], fill=col)


def tree_vals(rng):
    return dict(trunk=_pick(rng, [(90, 60, 40), (70, 50, 35), (110, 80, 55)]),
                leaf=_pick(rng, [(50, 110, 40), (70, 130, 50), (40, 90, 45), (90, 140, 60), (120, 120, 50)]),
                crown=[(float(rng.uniform(-0.22, 0.22)), float(rng.uniform(-0.2, 0.1)), float(rng.uniform(0.12, 0.22)), float(rng.uniform(0.75, 1.2)))
                       for _ in range(int(rng.integers(4, 8)))])


def draw_bench(d, sd, x, y, w, col):
    h = 0.4 * w
    if sd is not None:
        sd.rectangle([x - 0.5 * w, y - 0.05 * h, x + 0.55 * w, y + 0.12 * h], fill=80)
    if d is None:
        return None
    lc = (50, 50, 55)
    for s in (-0.4, 0.4):
        d.line([(x + s * w, y - 0.45 * h), (x + s * w, y)], fill=lc, width=max(2, int(0.05 * w)))
    d.rectangle([x - 0.5 * w, y - 0.55 * h, x + 0.5 * w, y - 0.42 * h], fill=_c(col))
    d.rectangle([x - 0.5 * w, y - h, x + 0.5 * w, y - 0.8 * h], fill=_c(col))
    d.line([(x - 0.45 * w, y - 0.8 * h), (x - 0.45 * w, y - 0.55 * h)], fill=lc, width=2)
    d.line([(x + 0.45 * w, y - 0.8 * h), (x + 0.45 * w, y - 0.55 * h)], fill=lc, width=2)


def draw_lamp(d, sd, x, y, h, col, u=1.0):
    pw = max(3, 0.025 * h)
    d.rectangle([x - pw / 2, y - h, x + pw / 2, y], fill=_c(col))
    d.rectangle([x - 1.5 * pw, y - 0.04 * h, x + 1.5 * pw, y], fill=_c(np.array(col) * 0.8))
    d.line([(x, y - h), (x + 0.12 * h, y - h - 0.03 * h)], fill=_c(col), width=max(2, int(pw * 0.8)))
    d.ellipse([x + 0.1 * h, y - h - 0.05 * h, x + 0.18 * h, y - h + 0.01 * h], fill=(240, 235, 200))


def draw_bin(d, sd, x, y, h, col):
    w = 0.6 * h
    if sd is not None:
        sd.ellipse([x - 0.6 * w, y - 0.08 * h, x + 0.7 * w, y + 0.08 * h], fill=90)
    if d is None:
        return None
    d.polygon([(x - w / 2, y - h), (x + w / 2, y - h), (x + 0.45 * w, y), (x - 0.45 * w, y)], fill=_c(col), outline=_c(np.array(col) * 0.5))
    d.rectangle([x - 0.55 * w, y - h - 0.08 * h, x + 0.55 * w, y - h], fill=_c(np.array(col) * 0.7))


def draw_car(d, sd, x, y, L, col, facing=1):
    H = 0.38 * L
    if sd is not None:
        sd.rectangle([x - 0.52 * L, y - 0.08 * H, x + 0.52 * L, y + 0.12 * H], fill=130)
    if d is None:
        return None
    d.rounded_rectangle([x - L / 2, y - 0.65 * H, x + L / 2, y - 0.12 * H], radius=max(1, int(0.1 * H)), fill=_c(col))
    d.polygon([(x - 0.3 * L, y - 0.65 * H), (x - 0.18 * L, y - H), (x + 0.2 * L, y - H), (x + 0.33 * L, y - 0.65 * H)], fill=_c(col))
    d.polygon([(x - 0.26 * L, y - 0.67 * H), (x - 0.16 * L, y - 0.93 * H), (x + 0.18 * L, y - 0.93 * H), (x + 0.29 * L, y - 0.67 * H)], fill=(70, 90, 110))
    for s in (-0.3, 0.3):
        r = 0.15 * H * 1.2
        d.ellipse([x + s * L - r, y - 0.2 * H - r, x + s * L + r, y - 0.2 * H + r], fill=(25, 25, 25))
        d.ellipse([x + s * L - r * 0.45, y - 0.2 * H - r * 0.45, x + s * L + r * 0.45, y - 0.2 * H + r * 0.45], fill=(150, 150, 150))


def draw_manhole(d, x, y, W, u=1.0):
    rx, ry = W / 2, W * 0.22
    d.ellipse([x - rx, y - 2 * ry, x + rx, y], fill=(85, 85, 88), outline=(55, 55, 58), width=max(2, int(2 * u)))
    for k in range(1, 4):
        yy = y - 2 * ry + k * ry / 2
        d.line([(x - rx * 0.7, yy), (x + rx * 0.7, yy)], fill=(60, 60, 62), width=1)


def draw_stain(d, x, y, W, blob, col):
    pts = _blob_pts(blob, x, y - W * 0.15, W / 2, W * 0.15)
    d.polygon(pts, fill=_c(col))


def draw_reeds(d, x, y, h, col, n, rng_vals):
    for (ox, hh, lean) in rng_vals[:n]:
        d.line([(x + ox * h, y), (x + ox * h + lean * h, y - hh * h)], fill=_c(col), width=2)


def draw_bollard(d, x, y, h, col):
    w = 0.25 * h
    d.rectangle([x - w / 2, y - h, x + w / 2, y], fill=_c(col))
    d.rectangle([x - w / 2, y - 0.85 * h, x + w / 2, y - 0.75 * h], fill=(240, 240, 240))


def draw_building(d, x1, y1, x2, y2, col, win_col, rng):
    d.rectangle([x1, y1, x2, y2], fill=_c(col))
    bw = x2 - x1
    nx = max(1, int(bw / rng.uniform(25, 45)))
    ny = max(1, int((y2 - y1) / rng.uniform(25, 40)))
    ww = bw / nx * 0.5
    wh = (y2 - y1) / ny * 0.5
    for i in range(nx):
        for j in range(ny):
            cx = x1 + (i + 0.5) * bw / nx
            cy = y1 + (j + 0.5) * (y2 - y1) / ny
            d.rectangle([cx - ww / 2, cy - wh / 2, cx + ww / 2, cy + wh / 2], fill=_c(np.array(win_col) * rng.uniform(0.8, 1.2)))

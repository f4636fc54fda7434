"""Scene layouts: background (textures + static clutter), zones, perspective and walk lanes.

A Scene is built once per clip (or per batch of training frames) from an rng; drawing the
dynamic objects on top of it is done by render.py / sample.py.
"""
import math
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import textures as tx
from . import draw as dr

SCENES = ["street", "road", "riverbank", "plaza"]


def _band(y0, y1):
    return [[0.0, y0], [1.0, y0], [1.0, y1], [0.0, y1]]


def point_in_poly(x, y, poly):
    """poly: list of (x, y) (any units, same as x/y). Ray casting."""
    inside = False
    n = len(poly)
    j = n - 1
    for i in range(n):
        xi, yi = poly[i]
        xj, yj = poly[j]
        if (yi > y) != (yj > y):
            xc = xi + (y - yi) * (xj - xi) / (yj - yi)
            if x < xc:
                inside = not inside
        j = i
    return inside


class Scene:
    def __init__(self, kind, W, H, rng, clutter=1.0):
        self.kind, self.W, self.H = kind, W, H
        self.u = H / 540.0
        self.rng = rng
        self.clutter = clutter
        self.zones = []          # dict(id, type, polygon=[[nx, ny], ...])
        self.static = []         # static distractor descriptions (for GT "distractors")
        self.shadow_sprites = []
        getattr(self, "_build_" + kind)()
        self._finish()

    # ------------------------------------------------------------ geometry helpers
    def person_h(self, y):
        return max(1.0, self.near_h * (y - self.hy) / (self.H - self.hy))

    def ppm(self, y):
        """pixels per metre on the ground at image row y (persons are ~1.7 m)."""
        return self.person_h(y) / 1.7

    def y_for_h(self, h):
        return self.hy + h / self.near_h * (self.H - self.hy)

    def zone(self, zid):
        for z in self.zones:
            if z["id"] == zid:
                return z
        raise KeyError(zid)

    def zone_px(self, zid):
        return [(p[0] * self.W, p[1] * self.H) for p in self.zone(zid)["polygon"]]

    def zone_of(self, x, y, types=None):
        for z in self.zones:
            if types and z["type"] not in types:
                continue
            if point_in_poly(x / self.W, y / self.H, z["polygon"]):
                return z["id"]
        return None

    def sample_in_zone(self, rng, zid, min_h=45, margin=0.06, tries=200):
        poly = self.zone_px(zid)
        xs = [p[0] for p in poly]
        ys = [p[1] for p in poly]
        y_lo = max(min(ys), self.y_for_h(min_h * self.u))
        for _ in range(tries):
            x = rng.uniform(max(min(xs), margin * self.W), min(max(xs), (1 - margin) * self.W))
            y = rng.uniform(y_lo, max(ys) - 0.02 * self.H)
            if point_in_poly(x, y, poly):
                return float(x), float(y)
        return float((min(xs) + max(xs)) / 2), float((y_lo + max(ys)) / 2)

    def _area_m2(self, poly_n):
        """Ground area of a zone from the perspective model (numerical integration)."""
        H, W = self.H, self.W
        ys = np.linspace(0, 1, 200)
        total = 0.0
        poly = [(p[0] * W, p[1] * H) for p in poly_n]
        for y in ys * H:
            if y <= self.hy + 2:
                continue
            # horizontal extent of the polygon at this row
            xs = []
            n = len(poly)
            for i in range(n):
                (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % n]
                if (y1 > y) != (y2 > y):
                    xs.append(x1 + (y - y1) * (x2 - x1) / (y2 - y1))
            xs.sort()
            width = sum(xs[i + 1] - xs[i] for i in range(0, len(xs) - 1, 2))
            p = self.ppm(y)
            # pinhole camera, focal ~0.87 W (60 deg hfov), height hc: metres per row = f*hc/dy^2
            dy = y - self.hy
            hc = 1.7 * (self.H - self.hy) / self.near_h
            f = 0.87 * W
            total += (width / p) * (f * hc / (dy * dy)) * (H / 200.0)
        return round(float(total), 1)

    # ------------------------------------------------------------ builders
    def _sky_buildings(self, img, y_base, d):
        H, W, rng = self.H, self.W, self.rng
        sk = tx.sky(rng, W, int(y_base) + 1)
        img[: int(y_base) + 1] = sk
        x = -rng.uniform(0, 40)
        while x < W:
            bw = rng.uniform(80, 260) * self.u
            top = y_base - rng.uniform(0.08, 0.3) * H
            col = tx.jitter_color(rng, dr._pick(rng, [(170, 160, 150), (200, 190, 170), (140, 130, 130), (120, 110, 100), (210, 210, 205), (160, 110, 90)]), 15)
            self._buildings.append((x, top, x + bw, y_base, col, dr._pick(rng, [(90, 110, 140), (60, 70, 80), (150, 170, 190), (230, 220, 160)])))
            x += bw + rng.uniform(0, 20)

    def _paint_buildings(self, d):
        for (x1, y1, x2, y2, col, wc) in self._buildings:
            dr.draw_building(d, x1, y1, x2, y2, col, wc, self.rng)

    def _build_street(self):
        H, W, rng, u = self.H, self.W, self.rng, self.u
        self.hy = rng.uniform(0.24, 0.33) * H
        self.near_h = rng.uniform(150, 200) * u
        self.vp_x = rng.uniform(0.3, 0.7) * W
        r1 = self.hy + rng.uniform(0.1, 0.16) * H
        rc = r1 + 0.012 * H
        side_first = rng.random() < 0.5
        s1 = rc + rng.uniform(0.28, 0.38) * H
        img = np.zeros((H, W, 3), np.float32)
        self._buildings = []
        self._sky_buildings(img, self.hy, None)
        img[int(self.hy):int(r1)] = tx.asphalt(rng, W, H)[int(self.hy):int(r1)]
        img[int(r1):int(rc)] = tx.stone(rng, W, H)[int(r1):int(rc)] * 1.1
        pav = tx.pavement(rng, W, H, self.hy, self.vp_x)
        grs = tx.grass(rng, W, H)
        if side_first:
            img[int(rc):int(s1)] = pav[int(rc):int(s1)]
            img[int(s1):] = grs[int(s1):]
            side, green = (rc, s1), (s1, H)
        else:
            img[int(rc):int(s1)] = grs[int(rc):int(s1)]
            img[int(s1):] = pav[int(s1):]
            green, side = (rc, s1), (s1, H)
        self.img = img
        n = lambda v: v / H
        self.zones = [
            dict(id="road", type="road", polygon=_band(n(self.hy + 2), n(r1))),
            dict(id="sidewalk", type="street", polygon=_band(n(side[0]), n(side[1]))),
            dict(id="greenery", type="greenery", polygon=_band(n(green[0]), min(1.0, n(green[1])))),
        ]
        self.litter_zones = ["sidewalk", "greenery"]
        self.lanes = {"sidewalk": (max(side[0], self.y_for_h(50 * u)) + 0.03 * H, side[1] - 0.02 * H),
                      "greenery": (max(green[0], self.y_for_h(50 * u)) + 0.03 * H, green[1] - 0.02 * H)}
        self.road_band = (self.hy, r1)
        self.green_band, self.side_band = green, side

        def clutter(d, sd):
            self._paint_buildings(d)
            # road markings + parked cars on the far road band
            ym = (self.hy + r1) / 2
            x = rng.uniform(0, 60)
            while x < W:
                d.line([(x, ym), (x + 40 * u, ym)], fill=(230, 230, 225), width=max(2, int(3 * u)))
                x += 90 * u
            for _ in range(int(rng.integers(0, 4) * self.clutter)):
                cx = rng.uniform(0, W)
                cy = rng.uniform(ym, r1)
                dr.draw_car(d, sd, cx, cy, self.person_h(cy) * rng.uniform(2.2, 2.7), dr._pick(rng, dr.SHIRT))
            items = []
            for _ in range(int(rng.integers(1, 5) * self.clutter)):
                items.append(("tree", rng.uniform(0, W), rng.uniform(green[0] + 0.03 * H, green[0] + 0.12 * H)))
            for _ in range(int(rng.integers(1, 4) * self.clutter)):
                items.append(("bench", rng.uniform(0, W), rng.uniform(side[0] + 0.05 * H, side[1] - 0.02 * H)))
            for _ in range(int(rng.integers(1, 4) * self.clutter)):
                items.append(("lamp", rng.uniform(0, W), rc + 0.01 * H))
            for _ in range(int(rng.integers(0, 3) * self.clutter)):
                items.append(("bin", rng.uniform(0, W), rng.uniform(side[0] + 0.03 * H, side[1] - 0.02 * H)))
            for _ in range(int(rng.integers(0, 4) * self.clutter)):
                items.append(("bush", rng.uniform(0, W), rng.uniform(green[0] + 0.05 * H, green[1] - 0.02 * H)))
            for _ in range(int(rng.integers(0, 3) * self.clutter)):
                items.append(("stain", rng.uniform(0, W), rng.uniform(side[0] + 0.03 * H, side[1])))
            for _ in range(int(rng.integers(0, 4) * self.clutter)):
                items.append((dr._pick(rng, ["stones", "leaves", "grate"]), rng.uniform(0, W), rng.uniform(side[0] + 0.03 * H, side[1])))
            for _ in range(int(rng.integers(0, 4) * self.clutter)):
                items.append((dr._pick(rng, ["stones", "leaves", "flowers"]), rng.uniform(0, W), rng.uniform(green[0] + 0.03 * H, green[1])))
            self._draw_items(d, sd, items)
        self._clutter_fn = clutter

    def _build_road(self):
        H, W, rng, u = self.H, self.W, self.rng, self.u
        self.hy = rng.uniform(0.3, 0.4) * H
        self.near_h = rng.uniform(160, 220) * u
        vp = rng.uniform(0.4, 0.6) * W
        self.vp_x = vp
        xl = rng.uniform(-0.05, 0.15) * W
        xr = W - rng.uniform(-0.05, 0.15) * W
        half_top = rng.uniform(0.02, 0.05) * W
        sw = rng.uniform(0.12, 0.2) * W
        img = np.zeros((H, W, 3), np.float32)
        self._buildings = []
        self._sky_buildings(img, self.hy, None)
        ground = tx.grass(rng, W, H) if rng.random() < 0.5 else tx.soil(rng, W, H)
        img[int(self.hy):] = ground[int(self.hy):]
        mask = Image.new("L", (W, H), 0)
        md = ImageDraw.Draw(mask)
        side_poly = [(vp - half_top * 2.2, self.hy), (vp + half_top * 2.2, self.hy), (xr + sw, H), (xl - sw, H)]
        md.polygon(side_poly, fill=255)
        m = np.asarray(mask, np.float32)[..., None] / 255.0
        img = img * (1 - m) + tx.pavement(rng, W, H, self.hy, vp) * m
        mask = Image.new("L", (W, H), 0)
        md = ImageDraw.Draw(mask)
        road_poly = [(vp - half_top, self.hy), (vp + half_top, self.hy), (xr, H), (xl, H)]
        md.polygon(road_poly, fill=255)
        m = np.asarray(mask, np.float32)[..., None] / 255.0
        img = img * (1 - m) + tx.asphalt(rng, W, H) * m
        self.img = img
        self.road_poly = road_poly
        yz = self.hy + 0.08 * H

        def edge_x(t, y):  # t in [0,1] across the road at image row y
            v = (y - self.hy) / (H - self.hy)
            l = vp - half_top + (xl - (vp - half_top)) * v
            r = vp + half_top + (xr - (vp + half_top)) * v
            return l + t * (r - l)
        self.road_x = edge_x
        self.sidewalk_x = lambda side, y: (edge_x(0, y) - (edge_x(0, y) - (vp - half_top * 2.2 + (xl - sw - (vp - half_top * 2.2)) * (y - self.hy) / (H - self.hy))) * 0.5) if side < 0 else \
            (edge_x(1, y) + ((vp + half_top * 2.2 + (xr + sw - (vp + half_top * 2.2)) * (y - self.hy) / (H - self.hy)) - edge_x(1, y)) * 0.5)
        self.zones = [dict(id="road", type="road", polygon=[[edge_x(0, yz) / W, yz / H], [edge_x(1, yz) / W, yz / H], [min(1.0, xr / W), 1.0], [max(0.0, xl / W), 1.0]])]
        if xl < 0 or xr > W:  # clip the polygon to the frame
            p = self.zones[0]["polygon"]
            p2 = []
            for (a, b) in p:
                p2.append([min(1.0, max(0.0, a)), b])
            self.zones[0]["polygon"] = p2
        self.static.append(dict(kind="road_marking", start_s=None, end_s=None))

        def clutter(d, sd):
            self._paint_buildings(d)
            # edge lines and dashed centre line with perspective
            for t in (0.03, 0.97):
                d.line([(edge_x(t, self.hy + 3), self.hy + 3), (edge_x(t, H), H)], fill=(220, 220, 215), width=max(2, int(3 * u)))
            lanes = [0.5] if rng.random() < 0.6 else [1 / 3, 2 / 3]
            col = (240, 240, 235) if rng.random() < 0.7 else (235, 200, 60)
            for t in lanes:
                z = 1.0
                while True:
                    v0, v1 = 1.0 / z, 1.0 / (z + 0.6)
                    y0, y1 = self.hy + v0 * (H - self.hy), self.hy + v1 * (H - self.hy)
                    if y0 - self.hy < 6:
                        break
                    wdt = max(2, int(6 * u * v0 + 1))
                    d.line([(edge_x(t, y1), y1), (edge_x(t, y0), y0)], fill=col, width=wdt)
                    z += 1.5
            if rng.random() < 0.4 * self.clutter:  # zebra crossing
                yc = rng.uniform(self.hy + 0.3 * (H - self.hy), H - 0.1 * H)
                hh = 0.05 * (yc - self.hy)
                for k in range(14):
                    t0, t1 = k / 14 + 0.01, k / 14 + 0.045
                    d.polygon([(edge_x(t0, yc - hh), yc - hh), (edge_x(t1, yc - hh), yc - hh), (edge_x(t1, yc + hh), yc + hh), (edge_x(t0, yc + hh), yc + hh)], fill=(235, 235, 230))
                self.static.append(dict(kind="zebra_crossing", start_s=None, end_s=None))
            for _ in range(int(rng.integers(0, 3) * self.clutter)):
                y = rng.uniform(self.hy + 0.2 * (H - self.hy), H - 0.03 * H)
                x = edge_x(rng.uniform(0.15, 0.85), y)
                dr.draw_manhole(d, x, y, self.ppm(y) * 0.8, u)
                self.static.append(dict(kind="manhole", start_s=None, end_s=None))
            for _ in range(int(rng.integers(0, 4) * self.clutter)):
                y = rng.uniform(self.hy + 0.15 * (H - self.hy), H)
                x = edge_x(rng.uniform(0.05, 0.95), y)
                dr.draw_stain(d, x, y, self.ppm(y) * rng.uniform(0.6, 1.6), dr._blob(rng, 10, 0.3),
                              np.array(self.img[min(H - 1, int(y)), min(W - 1, max(0, int(x)))]) * rng.uniform(0.72, 0.9))
            items = []
            for side in (-1, 1):
                for _ in range(int(rng.integers(1, 4) * self.clutter)):
                    y = rng.uniform(self.hy + 0.15 * (H - self.hy), H * 0.98)
                    x = self.sidewalk_x(side, y) + side * self.ppm(y) * 1.2
                    items.append((dr._pick(rng, ["tree", "lamp", "lamp", "bin", "bollard"]), x, y))
                for _ in range(int(rng.integers(0, 3) * self.clutter)):
                    y = rng.uniform(self.hy + 0.2 * (H - self.hy), H * 0.98)
                    items.append((dr._pick(rng, ["stones", "leaves", "grate"]), self.sidewalk_x(side, y), y))
            self._draw_items(d, sd, items)
        self._clutter_fn = clutter

    def _build_riverbank(self):
        H, W, rng, u = self.H, self.W, self.rng, self.u
        self.hy = rng.uniform(0.15, 0.25) * H
        self.near_h = rng.uniform(150, 200) * u
        self.vp_x = W / 2
        wy = rng.uniform(0.48, 0.6) * H
        e = rng.uniform(0.015, 0.03) * H
        img = np.zeros((H, W, 3), np.float32)
        self._buildings = []
        sk = tx.sky(rng, W, int(self.hy) + 1)
        img[: int(self.hy) + 1] = sk
        img[int(self.hy):int(wy)] = tx.water(rng, W, H)[int(self.hy):int(wy)]
        img[int(wy):int(wy + e)] = tx.stone(rng, W, H)[int(wy):int(wy + e)]
        bank = tx.grass(rng, W, H)
        img[int(wy + e):] = bank[int(wy + e):]
        # path along the bank
        p0 = wy + e + rng.uniform(0.04, 0.16) * H
        p1 = min(H - 0.05 * H, p0 + rng.uniform(0.08, 0.16) * H)
        path = tx.pavement(rng, W, H, self.hy, W / 2) if rng.random() < 0.5 else tx.soil(rng, W, H)
        img[int(p0):int(p1)] = path[int(p0):int(p1)]
        self.img = img
        self.wy, self.wy_e = wy, wy + e
        self.path = (p0, p1)
        n = lambda v: v / H
        self.zones = [dict(id="water", type="water", polygon=_band(n(self.hy + 0.01 * H), n(wy))),
                      dict(id="bank", type="bank", polygon=_band(n(wy), 1.0))]
        self.lanes = {"path": (p0 + 0.01 * H, p1), "bank": (wy + e + 0.02 * H, H - 0.02 * H)}

        def clutter(d, sd):
            # far bank: tree line
            for _ in range(int(W / (30 * u))):
                x = rng.uniform(0, W)
                r = rng.uniform(8, 22) * u
                c = dr._pick(rng, [(50, 100, 50), (70, 120, 60), (40, 80, 45)])
                d.ellipse([x - r, self.hy - 1.6 * r, x + r, self.hy + 0.2 * r], fill=dr._c(np.array(c) * rng.uniform(0.8, 1.2)))
            d.rectangle([0, self.hy - 2 * u, W, self.hy + 2 * u], fill=(90, 100, 80))
            # buoys
            for _ in range(int(rng.integers(0, 3) * self.clutter)):
                y = rng.uniform(self.hy + 0.05 * H, wy - 0.02 * H)
                x = rng.uniform(0, W)
                r = self.ppm(y) * 0.25
                d.ellipse([x - r, y - 2 * r, x + r, y], fill=dr._pick(rng, [(230, 80, 30), (240, 200, 40), (240, 240, 240)]))
            items = []
            # reeds at the water edge (thin vertical strokes: hard negatives for rods)
            for _ in range(int(rng.integers(0, 5) * self.clutter)):
                items.append(("reeds", rng.uniform(0, W), wy + e * 0.5))
            for _ in range(int(rng.integers(0, 4) * self.clutter)):
                items.append((dr._pick(rng, ["tree", "bench", "lamp", "bin", "bush"]), rng.uniform(0, W), rng.uniform(p0, H)))
            for _ in range(int(rng.integers(0, 5) * self.clutter)):
                items.append((dr._pick(rng, ["stones", "leaves", "flowers"]), rng.uniform(0, W), rng.uniform(wy + e + 0.02 * H, H)))
            self._draw_items(d, sd, items)
        self._clutter_fn = clutter

    def _build_plaza(self):
        H, W, rng, u = self.H, self.W, self.rng, self.u
        self.hy = rng.uniform(0.22, 0.32) * H
        self.near_h = rng.uniform(150, 210) * u
        self.vp_x = rng.uniform(0.35, 0.65) * W
        img = np.zeros((H, W, 3), np.float32)
        self._buildings = []
        self._sky_buildings(img, self.hy, None)
        pav = tx.pavement(rng, W, H, self.hy, self.vp_x)
        img[int(self.hy):] = pav[int(self.hy):]
        self.img = img
        y0 = self.hy + rng.uniform(0.1, 0.15) * H
        y1 = rng.uniform(0.93, 0.98) * H
        a0, b0 = rng.uniform(0.15, 0.25), rng.uniform(0.75, 0.85)
        a1, b1 = rng.uniform(0.03, 0.1), rng.uniform(0.9, 0.97)
        self.zones = [dict(id="plaza", type="plaza", polygon=[[a0, y0 / H], [b0, y0 / H], [b1, y1 / H], [a1, y1 / H]])]
        self.lanes = {"plaza": (max(y0, self.y_for_h(60 * u)), y1)}

        def clutter(d, sd):
            self._paint_buildings(d)
            if rng.random() < 0.4 * self.clutter:  # fountain
                fx, fy = rng.uniform(0.3, 0.7) * W, self.hy + 0.06 * H
                fr = self.ppm(fy) * 3
                d.ellipse([fx - fr, fy - 0.35 * fr, fx + fr, fy + 0.1 * fr], fill=(170, 170, 175), outline=(120, 120, 120), width=3)
                d.ellipse([fx - 0.85 * fr, fy - 0.3 * fr, fx + 0.85 * fr, fy + 0.02 * fr], fill=(90, 140, 180))
            items = []
            for _ in range(int(rng.integers(2, 7) * self.clutter)):
                side = rng.random() < 0.5
                x = rng.uniform(0, 0.12) * W if side else rng.uniform(0.88, 1.0) * W
                items.append((dr._pick(rng, ["tree", "bench", "lamp", "bin", "bollard"]), x, rng.uniform(self.hy + 0.05 * H, H)))
            for _ in range(int(rng.integers(0, 3) * self.clutter)):
                items.append(("lamp", rng.uniform(0.2, 0.8) * W, rng.uniform(self.hy + 0.05 * H, self.hy + 0.2 * H)))
            for _ in range(int(rng.integers(0, 3) * self.clutter)):
                items.append(("stain", rng.uniform(0, W), rng.uniform(self.hy + 0.1 * H, H)))
            for _ in range(int(rng.integers(0, 4) * self.clutter)):
                items.append((dr._pick(rng, ["stones", "leaves", "grate"]), rng.uniform(0, W), rng.uniform(self.hy + 0.08 * H, H)))
            self._draw_items(d, sd, items)
        self._clutter_fn = clutter

    # ------------------------------------------------------------ clutter drawing
    def _draw_items(self, d, sd, items):
        rng, u = self.rng, self.u
        items.sort(key=lambda it: it[2])
        for kind, x, y in items:
            ph = self.person_h(y)
            if ph < 12 * u:
                continue
            if kind == "tree":
                dr.draw_tree(d, sd, x, y, ph * rng.uniform(1.8, 2.6), dr.tree_vals(rng))
            elif kind == "bush":
                v = dr.tree_vals(rng)
                for (ox, oy, r, shade) in v["crown"][:4]:
                    rr = r * ph * 0.8
                    d.ellipse([x + ox * ph - rr, y - rr * 1.6, x + ox * ph + rr, y], fill=dr._c(np.array(v["leaf"]) * shade))
            elif kind == "bench":
                dr.draw_bench(d, sd, x, y, ph * rng.uniform(0.9, 1.2), dr._pick(rng, [(140, 90, 50), (110, 70, 40), (90, 100, 110), (60, 110, 70)]))
            elif kind == "lamp":
                dr.draw_lamp(d, sd, x, y, ph * rng.uniform(2.2, 2.8), dr._pick(rng, [(60, 60, 65), (40, 60, 50), (120, 120, 125)]), u)
                self.static.append(dict(kind="lamp_post", start_s=None, end_s=None))
            elif kind == "bin":
                dr.draw_bin(d, sd, x, y, ph * rng.uniform(0.45, 0.6), dr._pick(rng, dr.BIN_COLS))
            elif kind == "bollard":
                dr.draw_bollard(d, x, y, ph * 0.5, dr._pick(rng, [(60, 60, 65), (200, 160, 40), (180, 40, 40)]))
            elif kind == "stain":
                dr.draw_stain(d, x, y, ph * rng.uniform(0.5, 1.2), dr._blob(rng, 10, 0.3),
                              np.array(self.img[min(self.H - 1, int(y)), min(self.W - 1, max(0, int(x)))]) * rng.uniform(0.55, 0.8))
            elif kind == "stones":
                for _k in range(int(rng.integers(2, 6))):
                    r = ph * rng.uniform(0.03, 0.08)
                    sx, sy = x + rng.uniform(-0.3, 0.3) * ph, y + rng.uniform(-0.05, 0.05) * ph
                    c = dr._pick(rng, [(120, 120, 115), (150, 140, 125), (95, 90, 85), (170, 165, 160)])
                    d.ellipse([sx - r, sy - 0.6 * r, sx + r, sy + 0.6 * r], fill=dr._c(np.array(c) * rng.uniform(0.8, 1.1)))
            elif kind == "leaves":
                for _k in range(int(rng.integers(3, 9))):
                    r = ph * rng.uniform(0.02, 0.04)
                    sx, sy = x + rng.uniform(-0.5, 0.5) * ph, y + rng.uniform(-0.1, 0.1) * ph
                    c = dr._pick(rng, [(150, 110, 40), (190, 150, 50), (110, 80, 40), (90, 120, 40), (200, 90, 40)])
                    d.ellipse([sx - r, sy - 0.5 * r, sx + r, sy + 0.5 * r], fill=c)
            elif kind == "grate":
                gw = ph * rng.uniform(0.25, 0.45)
                d.rectangle([x - gw / 2, y - 0.3 * gw, x + gw / 2, y], fill=(45, 45, 48), outline=(90, 90, 92))
                for kx in range(1, 5):
                    xx = x - gw / 2 + kx * gw / 5
                    d.line([(xx, y - 0.3 * gw), (xx, y)], fill=(95, 95, 98), width=1)
            elif kind == "flowers":
                c = dr._pick(rng, [(230, 60, 80), (250, 220, 60), (240, 240, 240), (180, 90, 200), (250, 140, 40)])
                for _k in range(int(rng.integers(5, 14))):
                    r = ph * rng.uniform(0.012, 0.025)
                    sx, sy = x + rng.uniform(-0.35, 0.35) * ph, y + rng.uniform(-0.08, 0.08) * ph
                    d.ellipse([sx - r, sy - r, sx + r, sy + r], fill=c)
            elif kind == "reeds":
                vals = [(float(rng.uniform(-0.3, 0.3)), float(rng.uniform(0.3, 0.7)), float(rng.uniform(-0.08, 0.08))) for _ in range(10)]
                dr.draw_reeds(d, x, y, ph, dr._pick(rng, [(110, 120, 60), (140, 130, 80), (80, 100, 50)]), 10, vals)

    def _finish(self):
        H, W = self.H, self.W
        bg = Image.fromarray(tx.to_uint8(self.img))
        shadow = Image.new("L", (W, H), 0)
        d = ImageDraw.Draw(bg)
        sd = ImageDraw.Draw(shadow)
        # static shadows (buildings/trees out of frame)
        for _ in range(int(self.rng.integers(0, 3) * self.clutter)):
            x = self.rng.uniform(0, W)
            y = self.rng.uniform(self.hy + 0.1 * H, H)
            r = self.rng.uniform(40, 160) * self.u
            sd.ellipse([x - r, y - 0.35 * r, x + r, y + 0.35 * r], fill=int(self.rng.uniform(50, 100)))
        if self.clutter > 0:
            # two passes over the same random stream: shadows first, then the bodies on top
            saved_state = self.rng.bit_generator.state
            saved_static = list(self.static)
            self._clutter_fn(_NullDraw(), sd)
            bg.paste((15, 15, 25), (0, 0), shadow.filter(ImageFilter.BoxBlur(2)))
            self.rng.bit_generator.state = saved_state
            self.static = saved_static
            self._clutter_fn(d, None)
        else:
            bg.paste((15, 15, 25), (0, 0), shadow.filter(ImageFilter.BoxBlur(2)))
            self._paint_buildings(d)
        self.bg = bg
        self.img = None
        for z in self.zones:
            z["polygon"] = [[round(float(p[0]), 4), round(float(p[1]), 4)] for p in z["polygon"]]
            # ground area from the perspective model; left out where the zone reaches the horizon
            if min(p[1] for p in z["polygon"]) * H > self.hy + 0.06 * H:
                z["area_m2"] = self._area_m2(z["polygon"])


class _NullDraw:
    """ImageDraw stand-in that draws nothing (used for the shadow pass)."""
    def __getattr__(self, name):
        return lambda *a, **k: None

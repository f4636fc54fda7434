"""Actors, scenario scripts and frame rendering with ground truth.

build_clip(...) -> Clip; Clip.frames() yields (index, t, PIL image | None, gt objects).
All randomness comes from numpy Generators seeded from the clip seed, so a clip is a pure
function of (scenario, seed, variant, width, height, fps, duration, early).
"""
import math
import datetime as _dt
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from . import draw as dr
from . import textures as tx
from .scenes import Scene, point_in_poly

SCENARIOS = {"litter": "street", "road_collapse": "road", "illegal_fishing": "riverbank", "crowding": "plaza"}
VARIANTS = {
    "litter": [("drop", 0.35), ("drop_pickup", 0.15), ("pile", 0.2), ("carry_only", 0.2), ("none", 0.1)],
    "road_collapse": [("collapse", 0.65), ("none", 0.35)],
    "illegal_fishing": [("fisher_ban", 0.3), ("fisher_leaves", 0.1), ("boat_ban", 0.2), ("fisher_outside_hours", 0.15),
                        ("fisher_outside_season", 0.1), ("walkers", 0.15)],
    "crowding": [("gather", 0.55), ("small_group", 0.3), ("passers", 0.15)],
}
BAN_SCHEDULE = {"date_ranges": [["03-01", "06-30"]], "daily": [["06:00", "22:00"]], "tz": "Asia/Shanghai"}
CROWD_RULE = {"zone": "plaza", "min_persons": 8, "min_duration_s": 20.0}
LITTER_MIN = 26   # px at 540 lines: smallest litter item (~9 px after the 3x downscale to 320)


# ============================================================================ actors
class Path:
    """Piecewise-linear bottom-centre trajectory, built with walk_to / wait, times relative to 0."""

    def __init__(self, scene, x, y):
        self.scene = scene
        self.keys = [(0.0, float(x), float(y))]

    @property
    def t(self):
        return self.keys[-1][0]

    def walk_to(self, x, y, v_mps):
        t, x0, y0 = self.keys[-1]
        dist = math.hypot(x - x0, y - y0)
        v = v_mps * self.scene.ppm((y + y0) / 2)
        self.keys.append((t + dist / max(v, 1e-3), float(x), float(y)))
        return self

    def wait(self, dt):
        t, x, y = self.keys[-1]
        self.keys.append((t + dt, x, y))
        return self

    def shifted(self, t0):
        return [(t + t0, x, y) for t, x, y in self.keys]


class Actor:
    _next = 1

    def __init__(self, cls, style, keys, t0=None, t1=None, size_m=None, tag=None):
        self.cls = cls
        self.style = style
        self.keys = keys
        self.t0 = keys[0][0] if t0 is None else t0
        self.t1 = keys[-1][0] if t1 is None else t1
        self.size_m = size_m
        self.tag = tag                 # distractor kind (e.g. "carried_bag") or None
        self.attach = []               # (holder, ta, tb) for items carried by a person
        self.poses = []                # (ta, tb, pose) for persons
        self.rod = None
        self.track = None
        self.appear = None             # growth start (potholes)
        self.moving_until = None       # boats: wake while moving
        self.sprite = None             # moving shadows

    def present(self, t):
        return self.t0 - 1e-6 <= t <= self.t1 + 1e-6

    def pos(self, t):
        k = self.keys
        if t <= k[0][0]:
            return k[0][1], k[0][2]
        for i in range(1, len(k)):
            if t <= k[i][0]:
                ta, xa, ya = k[i - 1]
                tb, xb, yb = k[i]
                f = 0.0 if tb <= ta else (t - ta) / (tb - ta)
                return xa + f * (xb - xa), ya + f * (yb - ya)
        return k[-1][1], k[-1][2]

    def dist(self, t):
        k = self.keys
        s = 0.0
        for i in range(1, len(k)):
            ta, xa, ya = k[i - 1]
            tb, xb, yb = k[i]
            seg = math.hypot(xb - xa, yb - ya)
            if t >= tb:
                s += seg
            else:
                if t > ta and tb > ta:
                    s += seg * (t - ta) / (tb - ta)
                break
        return s

    def velocity(self, t):
        k = self.keys
        for i in range(1, len(k)):
            if k[i - 1][0] <= t < k[i][0]:
                dt = k[i][0] - k[i - 1][0]
                return (k[i][1] - k[i - 1][1]) / dt, (k[i][2] - k[i - 1][2]) / dt
        return 0.0, 0.0

    def facing(self, t):
        vx, _ = self.velocity(t)
        if abs(vx) > 1e-3:
            return 1 if vx > 0 else -1
        # last non-zero direction before t, else the next one
        k = self.keys
        f = self.style.get("facing", 1) if isinstance(self.style, dict) else 1
        for i in range(1, len(k)):
            if k[i][0] > t:
                break
            if abs(k[i][1] - k[i - 1][1]) > 1e-3:
                f = 1 if k[i][1] > k[i - 1][1] else -1
        return f

    def pose(self, t):
        for ta, tb, p in self.poses:
            if ta <= t < tb:
                return p
        return None

    def holder(self, t):
        for h, ta, tb in self.attach:
            if ta - 1e-6 <= t < tb:
                return h
        return None


# ============================================================================ clip
class Clip:
    def __init__(self, scenario, seed, W=960, H=540, fps=10, duration=60.0, variant=None, early=False, name=None):
        if scenario not in SCENARIOS:
            raise ValueError("unknown scenario %r" % scenario)
        self.scenario, self.seed, self.W, self.H, self.fps, self.duration = scenario, int(seed), int(W), int(H), int(fps), float(duration)
        self.early = bool(early)
        self.name = name or "%s-%d" % (scenario, seed)
        rs = np.random.default_rng([int(seed), 1])      # scene
        self.rng = np.random.default_rng([int(seed), 2])  # script
        rl = np.random.default_rng([int(seed), 3])      # lighting / clock
        if variant is None:
            names, w = zip(*VARIANTS[scenario])
            variant = names[int(self.rng.choice(len(names), p=np.array(w) / sum(w)))]
        if variant not in dict(VARIANTS[scenario]):
            raise ValueError("unknown variant %r for %s (have %s)" % (variant, scenario, [v for v, _ in VARIANTS[scenario]]))
        self.variant = variant
        self.scene = Scene(SCENARIOS[scenario], self.W, self.H, rs)
        self.actors = []
        self.incidents = []
        self.distractors = []
        self.extra = {}
        self.night = False
        self.clock = self._clock(rl)
        getattr(self, "_script_" + scenario)()
        self.lut, self.light = tx.lighting_lut(rl)
        if self.night:
            self.lut = tx.make_lut(rl.uniform(0.45, 0.6), rl.uniform(0.75, 0.95), rl.uniform(1.0, 1.2), [-0.06, -0.02, 0.08])
        Actor._next = 1
        tr = 1
        for a in self.actors:
            a.track = tr
            tr += 1

    # ------------------------------------------------------------ helpers
    def _clock(self, rl):
        v = self.variant
        if v == "fisher_outside_season":
            day = _dt.date(2026, 7, 5) + _dt.timedelta(days=int(rl.integers(0, 110)))
            tod = int(rl.integers(8 * 3600, 18 * 3600))
        elif v == "fisher_outside_hours":
            day = _dt.date(2026, 3, 5) + _dt.timedelta(days=int(rl.integers(0, 110)))
            tod = int(rl.integers(22 * 3600 + 600, 23 * 3600 + 1800)) if rl.random() < 0.6 else int(rl.integers(3 * 3600, 5 * 3600 + 1800))
            self.night = True
        elif self.scenario == "illegal_fishing":
            day = _dt.date(2026, 3, 5) + _dt.timedelta(days=int(rl.integers(0, 110)))
            tod = int(rl.integers(7 * 3600, 20 * 3600))
        else:
            day = _dt.date(2026, 1, 5) + _dt.timedelta(days=int(rl.integers(0, 330)))
            tod = int(rl.integers(7 * 3600, 19 * 3600))
        tz = _dt.timezone(_dt.timedelta(hours=8))
        return _dt.datetime(day.year, day.month, day.day, tzinfo=tz) + _dt.timedelta(seconds=tod)

    def _add(self, a):
        self.actors.append(a)
        return a

    def _person(self, keys, tag=None):
        return self._add(Actor("person", dr.person_style(self.rng), keys, tag=tag))

    def _walker(self, y, t_start, direction=None, v=None, tag=None, x_from=None, x_to=None):
        """Person walking across the frame at row y starting at t_start (off-frame)."""
        rng, W = self.rng, self.W
        direction = direction or (1 if rng.random() < 0.5 else -1)
        v = v or rng.uniform(1.1, 1.6)
        h = self.scene.person_h(y)
        xa = x_from if x_from is not None else (-0.6 * h if direction > 0 else W + 0.6 * h)
        xb = x_to if x_to is not None else (W + 0.6 * h if direction > 0 else -0.6 * h)
        p = Path(self.scene, xa, y).walk_to(xb, y + rng.uniform(-0.02, 0.02) * self.H, v)
        return self._person(p.shifted(t_start), tag=tag)

    def _walk_time(self, y, v=1.3):
        return (self.W + 1.2 * self.scene.person_h(y)) / (v * self.scene.ppm(y))

    def _carry(self, person, ta, tb, kind=None, tag=None):
        st = dr.litter_style(self.rng, kind=kind, carried=True)
        it = self._add(Actor("litter", st, [(ta, 0, 0)], t0=ta, t1=tb, size_m=float(self.rng.uniform(0.45, 0.65)), tag=tag))
        it.attach.append((person, ta, tb + 1e-6))
        return it

    def _passers(self, lanes, t_from, t_to, rate, avoid=None):
        """Background pedestrians (no items), spawn times in [t_from, t_to)."""
        rng = self.rng
        t = t_from + rng.uniform(0, 1.0 / rate)
        while t < t_to:
            y = rng.uniform(*lanes[int(rng.integers(len(lanes)))])
            dur = self._walk_time(y)
            if not (avoid and any(t < b and t + dur > a for a, b in avoid)):
                self._walker(y, t)
            t += rng.exponential(1.0 / rate) + 2.0

    def _times(self, early, lo=0.4, hi=0.55):
        D = self.duration
        if D < 20:
            return 0.3 * D
        if early:
            return float(self.rng.uniform(6, 9))
        return float(self.rng.uniform(lo, hi) * D)

    # ------------------------------------------------------------ scenario: litter
    def _script_litter(self):
        sc, rng, D, H, W = self.scene, self.rng, self.duration, self.H, self.W
        v = self.variant
        zid = sc.litter_zones[int(rng.integers(2))]
        lane = sc.lanes[zid]
        lanes = [sc.lanes["sidewalk"], sc.lanes["greenery"]]
        t_inc = self._times(self.early)
        busy = []
        if v in ("drop", "drop_pickup", "pile"):
            y = rng.uniform(*lane)
            h = sc.person_h(y)
            f = 1 if rng.random() < 0.5 else -1
            xd = rng.uniform(0.25, 0.75) * W
            v_m = rng.uniform(1.1, 1.5)
            p = Path(sc, -0.6 * h if f > 0 else W + 0.6 * h, y).walk_to(xd, y, v_m)
            t_arr = p.t
            p.wait(1.6).walk_to(W + 0.6 * h if f > 0 else -0.6 * h, y, v_m)
            t0 = t_inc - 0.8 - t_arr
            per = self._person(p.shifted(t0))
            per.style["facing"] = f
            yi = float(np.clip(y + rng.uniform(0.0, 0.03) * H, *self._zone_yrange(zid)))
            if v == "pile":
                W_m = rng.uniform(1.2, 2.2)
                item = self._add(Actor("garbage_pile", dr.pile_style(rng), [(t_inc, xd + f * 0.6 * h, yi)], t0=t_inc, t1=D + 1, size_m=W_m))
                note = "garbage pile dumped"
            else:
                st = dr.litter_style(rng)
                item = self._add(Actor("litter", st, [(t_inc, xd + f * 0.25 * h, yi)], t0=max(0.0, t0), t1=D + 1, size_m=float(rng.uniform(0.4, 0.6))))
                item.attach.append((per, -1e9, t_inc))
                note = "%s dropped" % st["kind"]
            end = D
            if v == "drop_pickup":
                t_pick = t_inc + rng.uniform(22, 32)
                if t_pick + 4 > D:
                    self.variant = v = "drop"
                else:
                    g = -f
                    xi, yy = item.keys[0][1], item.keys[0][2]
                    hp = sc.person_h(yy)
                    p2 = Path(sc, -0.6 * hp if g > 0 else W + 0.6 * hp, yy).walk_to(xi - g * 0.25 * hp, yy, v_m)
                    ta = p2.t
                    p2.wait(1.6).walk_to(W + 0.6 * hp if g > 0 else -0.6 * hp, yy, v_m)
                    picker = self._person(p2.shifted(t_pick - 0.8 - ta))
                    item.attach.append((picker, t_pick, 1e9))
                    item.t1 = picker.t1
                    busy.append((picker.t0 - 1, picker.t1 + 1))
                    end = t_pick
                    note += ", picked up"
            self.incidents.append(dict(scenario="litter", zone=sc.zone_of(*item.keys[0][1:]), start_s=round(t_inc, 2), end_s=round(end, 2), note=note,
                                       _actor=item))
            busy.insert(0, (per.t0 - 1, per.t1 + 1))
        # distractors: people carrying a bag / bottle through the zone, separated in time from the incident
        n_carry = {"carry_only": int(rng.integers(2, 4)), "none": 0}.get(v, int(rng.integers(1, 3)))
        windows = [(1.0, t_inc - 6.0), (t_inc + 10.0, D - 2.0)] if v not in ("carry_only", "none") else [(1.0, D - 2.0)]
        for _ in range(n_carry):
            for _try in range(20):
                y = rng.uniform(*lanes[int(rng.integers(2))])
                dur = self._walk_time(y)
                wa, wb = windows[int(rng.integers(len(windows)))]
                if wb - wa < dur:
                    continue
                ts = rng.uniform(wa, wb - dur)
                if any(ts < b + 2 and ts + dur > a - 2 for a, b in busy):
                    continue
                per = self._walker(y, ts, tag=None)
                self._carry(per, per.t0, per.t1, tag="carried_bag")
                busy.append((per.t0, per.t1))
                break
        self._passers(lanes, 0.0, D, rate=0.06, avoid=None)

    def _zone_yrange(self, zid):
        ys = [p[1] * self.H for p in self.scene.zone(zid)["polygon"]]
        return min(ys) + 0.01 * self.H, max(ys) - 0.01 * self.H

    # ------------------------------------------------------------ scenario: road collapse
    def _script_road_collapse(self):
        sc, rng, D, H, W = self.scene, self.rng, self.duration, self.H, self.W
        t_inc = self._times(self.early, 0.35, 0.6)
        quiet = []
        if self.variant == "collapse":
            for _ in range(50):
                y = rng.uniform(sc.hy + 0.3 * (H - sc.hy), H - 0.06 * H)
                x = sc.road_x(rng.uniform(0.2, 0.8), y)
                if sc.zone_of(x, y + 0.02 * H) == "road":
                    break
            a = self._add(Actor("pothole", dr.pothole_style(rng), [(t_inc, x, y)], t0=t_inc, t1=D + 1, size_m=float(rng.uniform(0.9, 2.0))))
            a.appear = t_inc
            self.incidents.append(dict(scenario="road_collapse", zone="road", start_s=round(t_inc, 2), end_s=round(D, 2), note="road surface collapse",
                                       _actor=a))
            quiet = [(t_inc - 6, t_inc + 10)]
        # moving shadows across the road (clouds / trees / vehicles out of view)
        n_sh = int(rng.integers(1, 3)) if self.variant == "collapse" else int(rng.integers(2, 4))
        for _ in range(n_sh):
            for _try in range(20):
                dur = rng.uniform(8, 15)
                ts = rng.uniform(0, max(0.5, D - dur))
                if any(ts < b and ts + dur > a for a, b in quiet):
                    continue
                y = rng.uniform(sc.hy + 0.3 * (H - sc.hy), H * 0.95)
                wpx = rng.uniform(150, 380) * sc.u
                f = 1 if rng.random() < 0.5 else -1
                keys = [(ts, -wpx if f > 0 else W + wpx, y), (ts + dur, W + wpx if f > 0 else -wpx, y + rng.uniform(-0.05, 0.05) * H)]
                a = self._add(Actor("shadow", {}, keys, tag="moving_shadow"))
                sp = Image.new("L", (int(wpx * 2), int(wpx * 0.9)), 0)
                ImageDraw.Draw(sp).polygon(dr._blob_pts(dr._blob(rng, 12, 0.35), wpx, wpx * 0.45, wpx * 0.75, wpx * 0.3),
                                           fill=int(rng.uniform(90, 150)))
                a.sprite = sp.filter(ImageFilter.GaussianBlur(max(2, wpx * 0.05)))
                quiet.append((ts, ts + dur))
                break
        # persons crossing the road and walking on the sidewalks
        for _ in range(int(rng.integers(1, 4))):
            for _try in range(20):
                y = rng.uniform(sc.hy + 0.35 * (H - sc.hy), H * 0.9)
                xa, xb = sc.sidewalk_x(-1, y), sc.sidewalk_x(1, y)
                if rng.random() < 0.5:
                    xa, xb = xb, xa
                p = Path(sc, xa, y).walk_to(xb, y + rng.uniform(-0.03, 0.03) * H, rng.uniform(1.1, 1.6))
                ts = rng.uniform(0, max(0.5, D - p.t))
                if any(ts < b and ts + p.t > a for a, b in quiet[:1]):
                    continue
                self._person(p.shifted(ts), tag="person_crossing")
                break
        for _ in range(int(rng.integers(1, 4))):
            side = -1 if rng.random() < 0.5 else 1
            y0, y1 = H * 1.05, sc.y_for_h(55 * sc.u)
            if rng.random() < 0.5:
                y0, y1 = y1, y0
            p = Path(sc, sc.sidewalk_x(side, y0), y0).walk_to(sc.sidewalk_x(side, y1), y1, rng.uniform(1.1, 1.6))
            self._person(p.shifted(rng.uniform(-p.t * 0.5, D)))
        self.distractors.append(dict(kind="road_marking", start_s=0.0, end_s=round(D, 2)))
        for s in sc.static:
            if s["kind"] in ("manhole", "zebra_crossing"):
                self.distractors.append(dict(kind=s["kind"], start_s=0.0, end_s=round(D, 2)))

    # ------------------------------------------------------------ scenario: illegal fishing
    def _script_illegal_fishing(self):
        sc, rng, D, H, W = self.scene, self.rng, self.duration, self.H, self.W
        v = self.variant
        self.extra["ban_schedule"] = BAN_SCHEDULE
        t_inc = self._times(self.early, 0.35, 0.55)
        if D < 20:
            t_inc = 0.1 * D
        busy = []
        if v.startswith("fisher"):
            y = rng.uniform(sc.wy_e + 0.03 * H, sc.wy_e + 0.16 * H)
            h = sc.person_h(y)
            f = 1 if rng.random() < 0.5 else -1       # facing while fishing
            xf = rng.uniform(0.2, 0.8) * W
            enter = -1 if rng.random() < 0.5 else 1   # side of entry
            vm = rng.uniform(1.0, 1.4)
            p = Path(sc, -0.6 * h if enter < 0 else W + 0.6 * h, y).walk_to(xf, y, vm)
            t_arr = p.t
            stay = D + 5
            if v == "fisher_leaves":
                stay = rng.uniform(30, 45)
                if t_inc + t_arr + stay + 6 > D:
                    stay = D + 5
            p.wait(stay)
            t_leave = p.t
            p.walk_to(W + 0.6 * h if enter < 0 else -0.6 * h, y, vm)
            keys = p.shifted(t_inc)
            per = self._person(keys, tag="fisher_outside_ban" if "outside" in v else None)
            per.style["facing"] = f
            per.poses = [(t_inc + t_arr, t_inc + t_leave, "fish"), (-1e9, t_inc + t_arr, "carry_rod"), (t_inc + t_leave, 1e9, "carry_rod")]
            per.fish_facing = f
            per.rod = dr.rod_style(rng)
            rod = self._add(Actor("fishing_rod", per.rod, [(per.t0, 0, 0)], t0=per.t0, t1=per.t1))
            rod.attach.append((per, -1e9, 1e9))
            per.rod_actor = rod
            if "outside" not in v:
                self.incidents.append(dict(scenario="illegal_fishing", zone="bank", start_s=None, end_s=None,
                                           note="person with fishing rod on the bank during the ban", _actor=per))
            busy.append((per.t0, min(D, per.t1)))
        elif v == "boat_ban":
            y = rng.uniform(sc.hy + 0.3 * (sc.wy - sc.hy), sc.wy - 0.03 * H)
            Lm = rng.uniform(4.0, 7.0)
            L = Lm * sc.ppm(y)
            f = 1 if rng.random() < 0.5 else -1
            xb = rng.uniform(0.25, 0.75) * W
            vm = rng.uniform(1.5, 3.0)
            p = Path(sc, -0.6 * L if f > 0 else W + 0.6 * L, y).walk_to(xb, y, vm)
            t_stop = p.t
            p.wait(D + 5)
            b = self._add(Actor("boat", dr.boat_style(rng), p.shifted(t_inc), size_m=Lm))
            b.style["facing"] = f
            b.moving_until = t_inc + t_stop
            self.incidents.append(dict(scenario="illegal_fishing", zone="water", start_s=None, end_s=None,
                                       note="boat staying on the water during the ban", _actor=b))
            busy.append((t_inc, D))
        # walkers along the bank without rods, separated in time from the incident
        lane = sc.lanes["path"]
        if busy:
            a0, a1 = busy[0]
            windows = [(0.0, a0 - 5.0)] + ([(a1 + 5.0, D)] if a1 < D - 1 else [])
        else:
            windows = [(0.0, D)]
        n = int(rng.integers(2, 4)) if v == "walkers" else int(rng.integers(1, 3))
        taken = []
        for _ in range(n):
            for _try in range(20):
                y = rng.uniform(*lane)
                dur = self._walk_time(y)
                wa, wb = windows[int(rng.integers(len(windows)))]
                if wb - wa < dur:
                    continue
                ts = rng.uniform(wa, wb - dur)
                if any(ts < b and ts + dur > a for a, b in taken):
                    continue
                self._walker(y, ts, tag="walker_no_rod")
                taken.append((ts, ts + dur))
                break

    # ------------------------------------------------------------ scenario: crowding
    def _script_crowding(self):
        sc, rng, D, H, W = self.scene, self.rng, self.duration, self.H, self.W
        v = self.variant
        self.extra["rule"] = CROWD_RULE
        poly = sc.zone_px("plaza")
        lane = sc.lanes["plaza"]
        busy = []
        if v in ("gather", "small_group"):
            n = int(rng.integers(8, 13)) if v == "gather" else int(rng.integers(4, 7))
            t_g0 = float(rng.uniform(1, 3)) if self.early else float(rng.uniform(0.15, 0.35) * D)
            spread = rng.uniform(6, 12)
            cy = rng.uniform(lane[0] + 0.25 * (lane[1] - lane[0]), lane[1] - 0.15 * (lane[1] - lane[0]))
            cx = rng.uniform(0.3, 0.7) * W
            hc = sc.person_h(cy)
            pos = []
            for _ in range(400):
                if len(pos) >= n:
                    break
                x = cx + rng.normal(0, 1.1 * hc)
                y = cy + rng.normal(0, 0.18 * hc)
                h = sc.person_h(y)
                if not point_in_poly(x, y, poly) or not (0.05 * W < x < 0.95 * W):
                    continue
                if any(abs(x - px) < 0.42 * h and abs(y - py) < 0.25 * h for px, py in pos):
                    continue
                pos.append((x, y))
            n = len(pos)
            arr = np.sort(rng.uniform(0, spread, n)) + t_g0
            reach = arr[min(n, 8) - 1]
            t_disp = reach + rng.uniform(25, 40) if not self.early else D + 5
            if v == "small_group":
                t_disp = arr[-1] + rng.uniform(20, 35)
            for (x, y), ta in zip(pos, arr):
                h = sc.person_h(y)
                side = -1 if x < W / 2 else 1
                if rng.random() < 0.25:
                    side = -side
                xs = -0.6 * h if side < 0 else W + 0.6 * h
                vm = rng.uniform(1.1, 1.5)
                p = Path(sc, xs, y + rng.uniform(-0.05, 0.05) * hc).walk_to(x, y, vm)
                t_walk = p.t
                leave = t_disp + rng.uniform(0, 4) - (ta)
                p.wait(max(1.0, leave))
                p.walk_to(-0.6 * h if rng.random() < 0.5 else W + 0.6 * h, y + rng.uniform(-0.05, 0.05) * hc, vm)
                per = self._person(p.shifted(ta - t_walk), tag="small_group" if v == "small_group" else None)
                per.sway = float(rng.uniform(0, 6.28))
            busy.append((t_g0 - 8, min(D, t_disp + 10)))
            if v == "small_group":
                self.distractors.append(dict(kind="small_group", count=n, start_s=round(float(arr[-1]), 2), end_s=round(float(min(D, t_disp)), 2)))
        # passers-by crossing the plaza
        n_p = int(rng.integers(3, 7)) if v == "passers" else int(rng.integers(1, 4))
        for _ in range(n_p):
            for _try in range(20):
                y = rng.uniform(*lane)
                dur = self._walk_time(y)
                ts = rng.uniform(-dur * 0.3, D)
                if any(ts < b and ts + dur > a for a, b in busy):
                    continue
                self._walker(y, ts, tag="passer_by")
                busy.append((ts, ts + dur)) if v == "passers" else None
                break

    # ============================================================================ frames
    def frames(self, images=True, every=1, indices=None):
        sc = self.scene
        n = int(round(self.duration * self.fps))
        idx = indices if indices is not None else range(0, n, every)
        for i in idx:
            t = i / self.fps
            img, objs = self.render(t, images)
            yield i, t, img, objs

    def render(self, t, images=True):
        sc, u = self.scene, self.scene.u
        W, H = self.W, self.H
        items = []  # (sort_y, order, kind, actor, x, y, extra)
        for a in self.actors:
            if not a.present(t):
                continue
            if a.cls == "shadow":
                items.append((-1e9, 0, a))
                continue
            hold = a.holder(t)
            if hold is not None and not hold.present(t):
                continue
            y = hold.pos(t)[1] + 0.01 if hold is not None else a.pos(t)[1]
            items.append((y, 1 if hold is not None else 0, a))
        items.sort(key=lambda it: (it[0], it[1]))
        shadow = Image.new("L", (W, H), 0) if images else None
        sd = ImageDraw.Draw(shadow) if images else None
        frame = sc.bg.copy() if images else None
        d = ImageDraw.Draw(frame) if images else None
        # pass 1: shadows
        if images:
            for _, _, a in items:
                if a.cls == "shadow":
                    x, y = a.pos(t)
                    sp = a.sprite
                    shadow.paste(sp, (int(x - sp.size[0] / 2), int(y - sp.size[1] / 2)), sp)
                else:
                    self._draw(a, t, None, sd)
            frame.paste((15, 15, 25), (0, 0), shadow)
        # pass 2: bodies + GT boxes
        objs = []
        nd = _BoxOnly() if not images else d
        for _, _, a in items:
            if a.cls == "shadow":
                continue
            for cls, box, extra in self._draw(a, t, nd, None):
                objs.append((cls, box, a, extra))
        if images:
            frame = frame.point(self.lut)
        return frame, self._gt(objs)

    def _draw(self, a, t, d, sd):
        """Draw actor `a` at time t. Returns [(cls, box_px, extra)]."""
        sc, u = self.scene, self.scene.u
        out = []
        if a.cls == "person":
            x, y = a.pos(t)
            h = sc.person_h(y)
            vx, vy = a.velocity(t)
            walking = math.hypot(vx, vy) > 0.05 * h
            pose = a.pose(t) or ("walk" if walking else "stand")
            f = a.facing(t)
            if pose == "fish":
                f = getattr(a, "fish_facing", f)
            if not walking and hasattr(a, "sway"):
                x += math.sin(t * 0.7 + a.sway) * 0.012 * h
            phase = 2 * math.pi * a.dist(t) / (0.75 * h) if walking else 0.0
            box = dr.draw_person(d, sd, x, y, h, a.style, phase, walking, f, "fish" if pose == "fish" else "walk")
            if box is not None:
                out.append(("person", box, {}))
            return out
        if a.cls == "fishing_rod":
            per = a.holder(t)
            if per is None:
                return out
            x, y = per.pos(t)
            h = sc.person_h(y)
            pose = per.pose(t) or "carry_rod"
            f = per.fish_facing if pose == "fish" else per.facing(t)
            hx, hy = dr.person_hand(x, y, h, per.style, pose, 0.0, f)
            if d is None:
                return out
            box = dr.draw_rod(d, hx, hy, h * per.style["hscale"], a.style, f, pose, water_y=(sc.wy - 2 * u) if hasattr(sc, "wy") else None, u=u)
            out.append(("fishing_rod", box, {}))
            return out
        if a.cls == "litter":
            per = a.holder(t)
            if per is not None:
                x, y = per.pos(t)
                h = sc.person_h(y)
                vx, vy = per.velocity(t)
                walking = math.hypot(vx, vy) > 0.05 * h
                phase = 2 * math.pi * per.dist(t) / (0.75 * h) if walking else 0.0
                hx, hy = dr.person_hand(x, y, h, per.style, "walk", phase, per.facing(t))
                size = max(LITTER_MIN * u, a.size_m * sc.ppm(y))
                box = dr.draw_litter(d, sd, hx, hy + size * 0.95, size, a.style, carried=True)
                if box is not None:
                    out.append(("litter", box, {"carried": True}))
                return out
            x, y = a.keys[0][1], a.keys[0][2]
            size = max(LITTER_MIN * u, a.size_m * sc.ppm(y))
            box = dr.draw_litter(d, sd, x, y, size, a.style)
            if box is not None:
                out.append(("litter", box, {}))
            return out
        if a.cls == "garbage_pile":
            x, y = a.keys[0][1], a.keys[0][2]
            Wp = max(60 * u, a.size_m * sc.ppm(y))
            box = dr.draw_pile(d, sd, x, y, Wp, a.style)
            if box is not None:
                out.append(("garbage_pile", box, {}))
            return out
        if a.cls == "pothole":
            if d is None:
                return out
            x, y = a.keys[0][1], a.keys[0][2]
            Wp = max(45 * u, a.size_m * sc.ppm(y))
            grow = 1.0 if a.appear is None else float(np.clip(0.35 + 0.65 * (t - a.appear) / 1.0, 0.35, 1.0))
            box = dr.draw_pothole(d, sd, x, y, Wp, a.style, grow=grow, u=u)
            out.append(("pothole", box, {}))
            return out
        if a.cls == "boat":
            if d is None:
                return out
            x, y = a.pos(t)
            moving = a.moving_until is not None and t < a.moving_until
            y += math.sin(t * 1.7 + a.track) * 1.2 * u
            L = a.size_m * sc.ppm(a.keys[0][2])
            box = dr.draw_boat(d, x, y, L, a.style, a.style.get("facing", 1), moving, t)
            out.append(("boat", box, {}))
            return out
        return out

    def _gt(self, objs):
        W, H = self.W, self.H
        res = []
        boxes = []
        for cls, b, a, extra in objs:
            x1, y1, x2, y2 = b
            full = max(1e-6, (x2 - x1) * (y2 - y1))
            cx1, cy1, cx2, cy2 = max(0, x1), max(0, y1), min(W, x2), min(H, y2)
            if cx2 - cx1 < 3 or cy2 - cy1 < 3:
                continue
            vis = (cx2 - cx1) * (cy2 - cy1) / full
            if vis < 0.4:
                continue
            boxes.append((cls, [cx1, cy1, cx2, cy2], a, extra))
        # occlusion by objects drawn later (approximate: sum of overlaps, capped)
        for i, (cls, b, a, extra) in enumerate(boxes):
            area = (b[2] - b[0]) * (b[3] - b[1])
            cov = 0.0
            for cls2, b2, a2, _ in boxes[i + 1:]:
                if a2 is a or (cls2 != "person" and cls == "person"):
                    continue
                if cls == "person" and cls2 == "fishing_rod":
                    continue
                iw = min(b[2], b2[2]) - max(b[0], b2[0])
                ih = min(b[3], b2[3]) - max(b[1], b2[1])
                if iw > 0 and ih > 0:
                    cov += iw * ih
            o = dict(cls=cls, box=[round(b[0] / W, 4), round(b[1] / H, 4), round(b[2] / W, 4), round(b[3] / H, 4)], track=a.track)
            if extra.get("carried"):
                o["carried"] = True
            occ = min(1.0, cov / max(area, 1e-6))
            if occ >= 0.3:
                o["occ"] = round(occ, 2)
            res.append(o)
        return res

    # ============================================================================ GT summary
    def finalize(self, frames):
        """Fill incident times that depend on visibility/counts, from the per-frame GT."""
        D = self.duration
        sc = self.scene
        fps = self.fps
        # visible intervals per track
        vis = {}
        for fr in frames:
            for o in fr["objects"]:
                b = o["box"]
                bc = ((b[0] + b[2]) / 2, b[3])
                vis.setdefault(o["track"], []).append((fr["t"], bc))
        incs = []
        for inc in self.incidents:
            a = inc.pop("_actor")
            if inc["start_s"] is None:
                pts = [t for t, (x, y) in vis.get(a.track, []) if point_in_poly(x, y, sc.zone(inc["zone"])["polygon"])]
                if not pts:
                    continue
                inc["start_s"] = round(min(pts), 2)
                last = max(pts)
                inc["end_s"] = round(D if last >= D - 1.5 / fps else last + 1.0 / fps, 2)
            incs.append(inc)
        # crowding: maximal runs with count >= min_persons lasting >= min_duration
        if self.scenario == "crowding":
            poly = sc.zone("plaza")["polygon"]
            run = None
            dt = 1.0 / fps
            counts = []
            for fr in frames:
                c = 0
                for o in fr["objects"]:
                    if o["cls"] != "person":
                        continue
                    b = o["box"]
                    if point_in_poly((b[0] + b[2]) / 2, b[3], poly):
                        c += 1
                counts.append((fr["t"], c))
            runs = []
            for t, c in counts:
                if c >= CROWD_RULE["min_persons"]:
                    if run is None:
                        run = [t, t]
                    run[1] = t
                elif run is not None:
                    runs.append(run)
                    run = None
            if run is not None:
                runs.append(run)
            for a, b in runs:
                end = D if b >= D - 1.5 * dt else b + dt
                if end - a >= CROWD_RULE["min_duration_s"]:
                    incs.append(dict(scenario="crowding", zone="plaza", start_s=round(a, 2), end_s=round(end, 2),
                                     note="%d+ persons gathered" % CROWD_RULE["min_persons"],
                                     max_count=max(c for t, c in counts if a <= t <= b)))
            self.max_count = max([c for _, c in counts] or [0])
        self.incidents = incs
        # distractor intervals from visibility
        tagged = {}
        for a in self.actors:
            if a.tag and a.tag != "small_group":
                if a.cls == "shadow":
                    t0, t1 = max(0.0, a.t0), min(D, a.t1)
                    if t1 > t0:
                        tagged.setdefault((a.tag, a.track), (t0, t1))
                    continue
                ts = [t for t, _ in vis.get(a.track, [])]
                if ts:
                    tagged[(a.tag, a.track)] = (min(ts), max(ts) + 1.0 / fps)
        for (kind, tr), (t0, t1) in sorted(tagged.items(), key=lambda kv: kv[1][0]):
            self.distractors.append(dict(kind=kind, track=tr, start_s=round(t0, 2), end_s=round(min(D, t1), 2)))


class _BoxOnly:
    """Drawing stand-in used to compute boxes without pixels (GT-only renders)."""
    def __getattr__(self, name):
        return lambda *a, **k: None


def build_clip(scenario, seed, **kw):
    return Clip(scenario, seed, **kw)

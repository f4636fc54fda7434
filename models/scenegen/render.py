#!/usr/bin/python3
"""Render synthetic EdgeAi test clips (MP4 + ground-truth JSON), deterministic by seed.

  /usr/bin/python3 models/scenegen/render.py --scenario litter --seed 7 --out DIR
        [--name N] [--variant V] [--early] [--width 960 --height 540 --fps 10 --duration 60] [--no-video]
  /usr/bin/python3 models/scenegen/render.py --set eval|demo|smoke|all --out DIR [--no-video] [--force]

Each clip gives <name>.mp4, <name>.gt.json and <name>.hash (a hash of the parameters and the
generator source; a clip whose hash matches is not rendered again).
Seeds 1..99 are for evaluation/test/demo clips; the detector is trained on seeds >= 100000.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from scenegen import clip as clipmod  # noqa: E402
from scenegen.draw import CLASSES  # noqa: E402

GEN_VERSION = "1.0"
HERE = os.path.dirname(os.path.abspath(__file__))


def source_hash():
    h = hashlib.sha256()
    for fn in sorted(os.listdir(HERE)):
        if fn.endswith(".py"):
            with open(os.path.join(HERE, fn), "rb") as f:
                h.update(fn.encode() + b"\0" + f.read())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- standard sets
# (name, scenario, seed, variant, duration_s, early, width, height)
def _set(name):
    if name == "eval":
        rows = []
        spec = {
            "litter": [(1, "drop", 75), (2, "drop_pickup", 90), (3, "pile", 60), (4, "drop", 60), (5, "carry_only", 60), (6, "carry_only", 75), (7, "none", 60)],
            "road_collapse": [(11, "collapse", 60), (12, "collapse", 75), (13, "collapse", 90), (14, "none", 60), (15, "none", 75), (16, "none", 60)],
            "illegal_fishing": [(21, "fisher_ban", 75), (22, "boat_ban", 60), (23, "fisher_leaves", 90), (24, "fisher_outside_hours", 60),
                                (25, "fisher_outside_season", 75), (26, "walkers", 60), (27, "fisher_ban", 60)],
            "crowding": [(31, "gather", 75), (32, "gather", 90), (33, "gather", 60), (34, "small_group", 60), (35, "small_group", 75), (36, "passers", 60)],
        }
        for sc, items in spec.items():
            for k, (seed, var, dur) in enumerate(items, 1):
                rows.append(("eval-%s-%02d" % (sc.replace("_", "-"), k), sc, seed, var, float(dur), False, 960, 540))
        return rows
    if name == "demo":
        return [("demo-litter", "litter", 41, "drop_pickup", 60.0, True, 960, 540),
                ("demo-road-collapse", "road_collapse", 42, "collapse", 60.0, True, 960, 540),
                ("demo-illegal-fishing", "illegal_fishing", 43, "fisher_ban", 60.0, True, 960, 540),
                ("demo-crowding", "crowding", 44, "gather", 60.0, True, 960, 540)]
    if name == "smoke":
        return [("smoke-litter", "litter", 91, "drop", 10.0, True, 640, 360),
                ("smoke-road-collapse", "road_collapse", 92, "collapse", 10.0, True, 640, 360)]
    if name == "all":
        return _set("smoke") + _set("demo") + _set("eval")
    raise SystemExit("unknown set %r (eval, demo, smoke, all)" % name)


# --------------------------------------------------------------------------- rendering
def gt_header(c):
    gt = dict(name=c.name, seed=c.seed, scenario=c.scenario, variant=c.variant, scene=c.scene.kind,
              width=c.W, height=c.H, fps=c.fps, gop=c.fps, duration_s=c.duration,
              clock_start=c.clock.isoformat(), classes=CLASSES)
    if "ban_schedule" in c.extra:
        gt["ban_schedule"] = c.extra["ban_schedule"]
    if "rule" in c.extra:
        gt["rule"] = c.extra["rule"]
    gt["zones"] = c.scene.zones
    return gt


def ffmpeg_cmd(path, W, H, fps):
    return ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "%dx%d" % (W, H), "-r", str(fps), "-i", "-",
            "-an", "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
            "-g", str(fps), "-keyint_min", str(fps), "-sc_threshold", "0", "-bf", "0",
            "-threads", "1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1",
            "-movflags", "+faststart", path]


def render_clip(out, name, scenario, seed, variant=None, duration=60.0, early=False, W=960, H=540, fps=10,
                video=True, force=False, quiet=False):
    os.makedirs(out, exist_ok=True)
    params = dict(v=GEN_VERSION, src=source_hash(), name=name, scenario=scenario, seed=seed, variant=variant,
                  duration=duration, early=early, W=W, H=H, fps=fps, video=video)
    hsh = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()[:16]
    base = os.path.join(out, name)
    hpath = base + ".hash"
    if not force and os.path.exists(hpath) and os.path.exists(base + ".gt.json") and (not video or os.path.exists(base + ".mp4")):
        with open(hpath) as f:
            if f.read().strip() == hsh:
                if not quiet:
                    print("  %-32s up to date" % name, flush=True)
                return base, False
    t0 = time.time()
    c = clipmod.Clip(scenario, seed, W=W, H=H, fps=fps, duration=duration, variant=variant, early=early, name=name)
    proc = None
    # Temporary names carry the process id: test assemblies run in parallel processes and may render the same set at once
    # into the same cache folder; each writes its own files and renames them into place (same content, last one wins).
    tmp = "%s.%d.tmp" % (base, os.getpid())
    tmp_mp4 = tmp + ".mp4"
    if video:
        proc = subprocess.Popen(ffmpeg_cmd(tmp_mp4, W, H, fps), stdin=subprocess.PIPE)
    frames = []
    n = int(round(duration * fps))
    for i, t, img, objs in c.frames(images=video):
        frames.append(dict(i=i, t=round(t, 3), objects=objs))
        if video:
            proc.stdin.write(img.tobytes())
        if not quiet and (i % (fps * 10) == 0):
            print("\r  %-32s %5.1f%%" % (name, 100.0 * i / n), end="", flush=True)
    if video:
        proc.stdin.close()
        if proc.wait() != 0:
            raise RuntimeError("ffmpeg failed for %s" % name)
        os.replace(tmp_mp4, base + ".mp4")
    c.finalize(frames)
    gt = gt_header(c)
    gt["incidents"] = c.incidents
    gt["distractors"] = c.distractors
    gt["lighting"] = c.light
    gt["generator"] = dict(script="models/scenegen/render.py", version=GEN_VERSION, source=params["src"], hash=hsh)
    gt["frames"] = frames
    with open(tmp + ".gt.json", "w") as f:
        json.dump(gt, f, separators=(",", ":"))
    os.replace(tmp + ".gt.json", base + ".gt.json")
    with open(tmp + ".hash", "w") as f:
        f.write(hsh + "\n")
    os.replace(tmp + ".hash", hpath)
    if not quiet:
        inc = ", ".join("%s %.1f-%.1fs" % (x["scenario"], x["start_s"], x["end_s"]) for x in c.incidents) or "no incident"
        print("\r  %-32s done in %5.1fs  [%s] %s" % (name, time.time() - t0, c.variant, inc), flush=True)
    return base, True


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=["eval", "demo", "smoke", "all"])
    ap.add_argument("--scenario", choices=sorted(clipmod.SCENARIOS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--variant", help="force a script variant (default: chosen from the seed)")
    ap.add_argument("--early", action="store_true", help="put the incident early in the clip (demo style)")
    ap.add_argument("--name")
    ap.add_argument("--out", required=True)
    ap.add_argument("--width", type=int, default=960)
    ap.add_argument("--height", type=int, default=540)
    ap.add_argument("--fps", type=int, default=10)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--no-video", action="store_true", help="write the GT JSON only")
    ap.add_argument("--force", action="store_true", help="render even if the hash sidecar matches")
    a = ap.parse_args(argv)
    t0 = time.time()
    if a.set:
        rows = _set(a.set)
        print("rendering set %r: %d clips -> %s" % (a.set, len(rows), a.out), flush=True)
        for k, (name, sc, seed, var, dur, early, W, H) in enumerate(rows, 1):
            print("[%d/%d]" % (k, len(rows)), end="", flush=True)
            render_clip(a.out, name, sc, seed, var, dur, early, W, H, a.fps, video=not a.no_video, force=a.force)
    else:
        if not a.scenario:
            ap.error("--scenario or --set is required")
        name = a.name or "%s-%d" % (a.scenario.replace("_", "-"), a.seed)
        render_clip(a.out, name, a.scenario, a.seed, a.variant, a.duration, a.early, a.width, a.height, a.fps,
                    video=not a.no_video, force=a.force)
    print("total %.1fs" % (time.time() - t0))


if __name__ == "__main__":
    main()

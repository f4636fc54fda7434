#!/usr/bin/python3
"""Render the eval set's clip plan with fresh seeds, at another size and frame rate.

  /usr/bin/python3 models/render_fresh.py --seed-offset 5000 --out .cache/clips/fresh5000
        [--width 1280 --height 720 --fps 12] [--no-video] [--force]

The plan is `render.py --set eval`'s (same scenarios, script variants and durations: 26 clips, 14 incidents);
every seed is shifted by --seed-offset, so the scenes, actors, lighting and incident times are new. Seeds 1..99
are the project's own eval/test/demo seeds and training uses seeds >= 100000, so an offset of 1000..99000 gives
clips nobody has tuned on. Clip names: fresh<offset>-<scenario>-NN. Score them with
`bin/edgeai eval --clips DIR`.
"""
import argparse
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from scenegen import render  # noqa: E402


def rows(offset):
    out = []
    for name, sc, seed, var, dur, early, _w, _h in render._set("eval"):
        out.append((name.replace("eval-", "fresh%d-" % offset, 1), sc, seed + offset, var, dur, early))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed-offset", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=720)
    ap.add_argument("--fps", type=int, default=12)
    ap.add_argument("--only", help="render only clips whose name contains this text")
    ap.add_argument("--no-video", action="store_true")
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args(argv)
    if not 1000 <= a.seed_offset <= 99000:
        ap.error("--seed-offset must be 1000..99000 (seeds 1..99 are the project's eval seeds, >= 100000 training)")
    t0 = time.time()
    plan = [r for r in rows(a.seed_offset) if not a.only or a.only in r[0]]
    print("rendering %d clips, seeds +%d, %dx%d %d fps -> %s" % (len(plan), a.seed_offset, a.width, a.height, a.fps, a.out),
          flush=True)
    for k, (name, sc, seed, var, dur, early) in enumerate(plan, 1):
        print("[%d/%d]" % (k, len(plan)), end="", flush=True)
        render.render_clip(a.out, name, sc, seed, var, dur, early, a.width, a.height, a.fps,
                           video=not a.no_video, force=a.force)
    print("total %.1fs" % (time.time() - t0))


if __name__ == "__main__":
    main()

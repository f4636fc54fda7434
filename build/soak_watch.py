#!/usr/bin/python3
"""Samples a running loopback system once a minute for `make soak` (build/soak.sh), then judges memory growth.

    soak_watch.py --worker-pid P --central-pid C --api http://127.0.0.1:A --minutes 60 --warmup 10 \
        --out bench/results/soak.json --plot bench/results/soak.png

Each sample: RSS and threads of the worker, the summed RSS of its ffmpeg children, RSS and threads of Central (from
/proc), and from Central's API the cameras' states and analysed frames and the event/incident/dead-letter counts.
Growth = mean RSS of the last three samples / mean of the first three after warm-up − 1, for the worker and for
Central; both must stay under --max-growth (5 %) and every process must live to the end, or the exit code is 1.
The API token comes from EDGEAI_CENTRAL_API_TOKEN. Progress: one line per sample on stdout.
"""
import argparse
import json
import os
import sys
import time
import urllib.request
from datetime import datetime, timezone


def proc_status(pid: int) -> dict:
    fields = {}
    with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return {"rss_mb": int(fields["VmRSS"].split()[0]) / 1024, "threads": int(fields["Threads"])}


def children(pid: int, name: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        if ppid == pid and comm == name:
            found.append(int(entry))
    return found


def api(base: str, path: str):
    request = urllib.request.Request(f"{base}/api/v1/{path}",
                                     headers={"Authorization": f"Bearer {os.environ['EDGEAI_CENTRAL_API_TOKEN']}"})
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.load(response)


def sample(a, started: float) -> dict:
    worker, central = proc_status(a.worker_pid), proc_status(a.central_pid)
    ffmpeg_rss = 0.0
    ffmpegs = children(a.worker_pid, "ffmpeg")
    for pid in ffmpegs:
        try:
            ffmpeg_rss += proc_status(pid)["rss_mb"]
        except (OSError, KeyError):
            pass
    cams, stats = [], {}
    try:
        stats = api(a.api, "stats")
        for device in api(a.api, "devices"):
            cams.extend((device.get("health") or {}).get("cameras") or [])
    except OSError as error:
        print(f"soak: API unavailable this minute: {error}", file=sys.stderr)
    return {
        "minute": round((time.monotonic() - started) / 60, 2),
        "worker_rss_mb": round(worker["rss_mb"], 1), "worker_threads": worker["threads"],
        "ffmpeg_processes": len(ffmpegs), "ffmpeg_rss_mb": round(ffmpeg_rss, 1),
        "central_rss_mb": round(central["rss_mb"], 1), "central_threads": central["threads"],
        "cameras_streaming": sum(1 for c in cams if c.get("state") == "streaming"), "cameras": len(cams),
        "analysed_fps": round(sum(c.get("fps_analysed", 0) for c in cams), 2),
        "frames_analysed": sum(c.get("frames_analysed", 0) for c in cams),
        "dropped": sum(c.get("dropped", 0) for c in cams),
        "events": stats.get("events", 0), "incidents": stats.get("incidents", 0), "dead_letters": stats.get("dead_letters", 0),
    }


def growth(samples: list, key: str, warmup: float) -> float | None:
    warm = [s[key] for s in samples if s["minute"] >= warmup]
    if len(warm) < 6:
        return None
    first, last = sum(warm[:3]) / 3, sum(warm[-3:]) / 3
    return round(100 * (last / first - 1), 2)


def plot(samples: list, warmup: float, path: str, title: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    minutes = [s["minute"] for s in samples]
    fig, (mem, fps) = plt.subplots(2, 1, figsize=(9, 6), sharex=True, height_ratios=[2, 1])
    for key, label in (("worker_rss_mb", "worker"), ("central_rss_mb", "Central"), ("ffmpeg_rss_mb", "ffmpeg, sum over cameras (shared libraries counted per process)")):
        mem.plot(minutes, [s[key] for s in samples], marker=".", label=label)
    mem.axvspan(0, warmup, color="grey", alpha=0.15, label="warm-up")
    mem.set_ylabel("RSS (MiB)")
    mem.set_ylim(bottom=0)
    mem.legend(loc="center right", fontsize=8)
    mem.set_title(title)
    fps.plot(minutes, [s["analysed_fps"] for s in samples], color="tab:green")
    fps.set_ylabel("analysed fps (all)")
    fps.set_xlabel("minutes")
    fps.set_ylim(bottom=0)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--worker-pid", type=int, required=True)
    p.add_argument("--central-pid", type=int, required=True)
    p.add_argument("--api", required=True)
    p.add_argument("--minutes", type=float, default=60)
    p.add_argument("--warmup", type=float, default=10)
    p.add_argument("--interval", type=float, default=60, help="seconds between samples")
    p.add_argument("--max-growth", type=float, default=5.0, help="percent")
    p.add_argument("--out", required=True)
    p.add_argument("--plot")
    a = p.parse_args()

    started = time.monotonic()
    samples, died = [], None
    while True:
        try:
            s = sample(a, started)
        except (OSError, KeyError) as error:
            died = f"a process under test is gone: {error}"
            print(f"soak: {died}", file=sys.stderr)
            break
        samples.append(s)
        print(f"soak {s['minute']:6.1f}/{a.minutes:.0f} min  cameras {s['cameras_streaming']}/{s['cameras']} streaming, "
              f"{s['analysed_fps']:.1f} fps  worker {s['worker_rss_mb']:.0f} MiB/{s['worker_threads']} thr  "
              f"ffmpeg {s['ffmpeg_processes']}x {s['ffmpeg_rss_mb']:.0f} MiB  Central {s['central_rss_mb']:.0f} MiB/{s['central_threads']} thr  "
              f"events {s['events']}  incidents {s['incidents']}  dead letters {s['dead_letters']}", flush=True)
        if s["minute"] >= a.minutes:
            break
        time.sleep(max(0.0, a.interval - (time.monotonic() - started) % a.interval))

    worker_growth = growth(samples, "worker_rss_mb", a.warmup)
    central_growth = growth(samples, "central_rss_mb", a.warmup)
    problems = [died] if died else []
    for name, g in (("worker", worker_growth), ("Central", central_growth)):
        if g is None:
            problems.append(f"{name}: too few samples after the {a.warmup:g}-minute warm-up to judge growth")
        elif g >= a.max_growth:
            problems.append(f"{name} RSS grew {g:.1f}% after warm-up (limit {a.max_growth:g}%)")
    warm = [s for s in samples if s["minute"] >= a.warmup] or samples
    result = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cores": os.cpu_count(),
        "minutes": samples[-1]["minute"] if samples else 0,
        "warmup_minutes": a.warmup,
        "cameras": max((s["cameras"] for s in samples), default=0),
        "worker_rss_growth_pct": worker_growth,
        "central_rss_growth_pct": central_growth,
        "worker_threads_min_max": [min(s["worker_threads"] for s in warm), max(s["worker_threads"] for s in warm)] if warm else None,
        "max_growth_pct": a.max_growth,
        "passed": not problems,
        "problems": problems,
        "samples": samples,
    }
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    if a.plot and samples:
        verdict = "passed" if not problems else "FAILED"
        plot(samples, a.warmup, a.plot,
             f"soak: {result['cameras']} cameras, {result['minutes']:.0f} min — worker {worker_growth}%, Central {central_growth}% "
             f"after warm-up ({verdict})")
    print(f"soak: worker RSS growth {worker_growth}%, Central {central_growth}% after a {a.warmup:g}-minute warm-up; "
          + ("passed" if not problems else "FAILED: " + "; ".join(problems)) + f" → {a.out}", flush=True)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())

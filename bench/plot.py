#!/usr/bin/python3
"""Plots from bench/results/latest.json (run with Debian's /usr/bin/python3 and python3-matplotlib):

    cameras.png   camera scaling: worker CPU % and p50/p99 frame-to-PUBACK latency against the number of cameras
    central.png   central ingest: events/s of the bare subscriber, Central on SQLite and on PostgreSQL

usage: plot.py [RESULTS_JSON] [OUT_DIR]   (defaults: bench/results/latest.json, bench/results/)
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "results", "latest.json")
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "results")
with open(src) as f:
    r = json.load(f)
title = "%s run, %s cores, %s, %s" % (r.get("mode"), r.get("cores"), r.get("device"), r.get("date"))

steps = r.get("camera_steps") or []
if steps:
    n = [s["cameras"] for s in steps]
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(7, 7), sharex=True)
    a1.plot(n, [s["worker_cpu_percent"] for s in steps], "o-", label="worker (process + ffmpeg)")
    a1.plot(n, [s["machine_cpu_percent"] for s in steps], "s--", label="whole machine (incl. RTSP server, broker)")
    a1.axhline(100 * r["cores"], color="grey", lw=0.8, ls=":")
    a1.set_ylabel("CPU % (100 = one core)")
    a1.legend(fontsize=8)
    a2.plot(n, [s["latency_p50_ms"] for s in steps], "o-", label="p50")
    a2.plot(n, [s["latency_p99_ms"] for s in steps], "s-", label="p99")
    a2.axhline(1000, color="red", lw=0.8, ls=":", label="p99 target 1 s")
    for s in steps:
        if not s["sustained"]:
            a2.annotate("x", (s["cameras"], s["latency_p99_ms"]), color="red", ha="center", va="bottom")
    a2.set_ylabel("frame arrival to PUBACK, ms")
    a2.set_xlabel("cameras (1080p25 H.264, key-frame mode); x = not sustained")
    a2.set_xscale("log", base=2)
    a2.set_yscale("log")
    a2.legend(fontsize=8)
    fig.suptitle("Camera scaling — " + title, fontsize=9)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "cameras.png"), dpi=110)

runs = r.get("central_runs") or []
if runs:
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    names = [x["target"] for x in runs]
    rates = [x["events_per_second"] for x in runs]
    colours = {"bare": "grey", "sqlite": "tab:blue", "sqlite-window-1000": "lightsteelblue", "postgres": "tab:green"}
    bars = ax.bar(names, rates, color=[colours.get(n, "tab:orange") for n in names])
    for b, x in zip(bars, runs):
        ax.annotate("%d/s\nlost %d" % (x["events_per_second"], x["lost"]), (b.get_x() + b.get_width() / 2, b.get_height()),
                    ha="center", va="bottom", fontsize=8)
    ax.axhline(5000, color="red", lw=0.8, ls=":", label="target 5 000/s (SQLite)")
    ax.set_ylabel("events/s")
    ax.legend(fontsize=8)
    ax.set_title("Central ingest — " + title, fontsize=9)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "central.png"), dpi=110)
print("plots written to %s" % out)

#!/usr/bin/python3
"""Writes the demo's worker and Central configs from the demo clips' ground truth (used by build/demo.sh).

    build/demo_config.py --clips .cache/clips/demo --run-dir DIR --mqtt-port P --rtsp-port R \
        --api-port A --platform-port T --repo ROOT

Each demo clip becomes one camera (rtsp://127.0.0.1:R/<scenario>) whose zones are the clip's ground-truth
zones, so the rules watch the same places the scene generator drew. Two demo-only changes, both said in the
config: the illegal-fishing ban schedule covers the whole year (the clip's own clock is in May; the demo runs
on today's date), and the litter rule accepts the demo detector's lower litter scores (0.3 instead of 0.4). Secrets are not written here:
build/demo.sh passes them in the environment.
"""
import argparse
import glob
import json
import os
import re

# Camera positions: a few hundred metres apart in Shanghai's Huangpu district (demo values).
LOCATIONS = {
    "litter": (31.2304, 121.4737),
    "road-collapse": (31.2330, 121.4760),
    "illegal-fishing": (31.2400, 121.4900),
    "crowding": (31.2360, 121.4800),
}


def camera(gt_path: str, rtsp_port: int, copy: int = 1) -> dict:
    """The camera for one demo clip; copy k > 1 (soak runs) is the same stream as another camera, placed 2 km further
    north so Central does not merge its incidents with the first copy's as a neighbouring camera's."""
    with open(gt_path, encoding="utf-8") as f:
        gt = json.load(f)
    mount = gt["name"].removeprefix("demo-")
    lat, lon = LOCATIONS.get(mount, (31.23, 121.47))
    lat += 0.02 * (copy - 1)
    zones = [{k: v for k, v in {"id": z["id"], "type": z["type"], "polygon": z["polygon"],
                                "area_m2": z.get("area_m2")}.items() if v is not None}
             for z in gt["zones"]]
    scenarios: dict = {"zones": zones}
    if gt["scenario"] == "illegal_fishing":
        # Demo only: the clip's clock is inside the default ban (March to June); today may not be.
        scenarios["illegal_fishing"] = {"ban_schedule": {"date_ranges": ["01-01..12-31"], "time_zone": "Asia/Shanghai"}}
    if gt["scenario"] == "litter":
        # The bundled demo detector scores the small dropped bag 0.35-0.6 (its weakest class, see
        # models/demo/MODEL_CARD.md); the rule's default floor of 0.4 is meant for a production detector.
        scenarios["litter"] = {"min_confidence": 0.3}
    record = {"record": True} if gt["scenario"] == "crowding" and copy == 1 else {}
    return {
        "id": f"cam-{mount}" + (f"-{copy}" if copy > 1 else ""),
        "name": f"Demo {gt['scenario'].replace('_', ' ')} ({gt['scene']})" + (f" #{copy}" if copy > 1 else ""),
        "url": f"rtsp://127.0.0.1:{rtsp_port}/{mount}",
        "location": {"lat": lat, "lon": lon},
        "decode": {"mode": "keyframes"},
        "scenarios": scenarios,
        # The crowding camera keeps a rolling recording: each episode gets a clip (kept on the box until Central fetches it).
        **record,
    }


def strip_comments(text: str) -> str:
    """JSON with // and /* */ comments (outside strings) -> plain JSON."""
    out, i, in_string = [], 0, False
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\":
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif text.startswith("//", i):
            i = text.find("\n", i)
            if i < 0:
                break
            continue
        elif text.startswith("/*", i):
            i = text.find("*/", i) + 2
            continue
        else:
            out.append(c)
        i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))   # trailing commas, which the loader also allows


def main() -> None:
    p = argparse.ArgumentParser()
    for name in ("--clips", "--run-dir", "--repo"):
        p.add_argument(name, required=True)
    for name in ("--mqtt-port", "--rtsp-port", "--api-port", "--platform-port"):
        p.add_argument(name, type=int, required=True)
    p.add_argument("--worker-http-port", type=int, default=0, help="the worker's status page and /metrics (0: any free port)")
    p.add_argument("--copies", type=int, default=1, help="cameras per clip (soak: 4 copies of 4 clips = 16 cameras)")
    p.add_argument("--case-loop", action="store_true", help="demo the city's case loop: review, grids, routing, a short deadline")
    a = p.parse_args()

    clips = sorted(glob.glob(os.path.join(a.clips, "demo-*.gt.json")))
    cameras = [camera(path, a.rtsp_port, k) for k in range(1, a.copies + 1) for path in clips]
    worker = {
        "device_id": "edge-demo",
        "http": {"listen": f"127.0.0.1:{a.worker_http_port}"},
        "mqtt": {"host": "127.0.0.1", "port": a.mqtt_port, "username": "edge-demo"},
        "outbox": {"path": os.path.join(a.run_dir, "worker", "outbox.db")},
        "evidence": {"directory": os.path.join(a.run_dir, "worker", "evidence")},
        # Demo: shorter clips than the defaults (10 s before, 20 s after), so one appears within the first minute.
        "recording": {"directory": os.path.join(a.run_dir, "worker", "recordings"), "clip_pre_s": 5, "clip_post_s": 10},
        "models": [{"id": "demo", "manifest": os.path.join(a.repo, "models/demo/edgeai-demo.manifest.json"), "threads": 2}],
        "cameras": cameras,
    }
    with open(os.path.join(a.repo, "src/EdgeAi.Central/central.sample.json"), encoding="utf-8") as f:
        # The sample is JSON with // comments (Central's loader skips them); take the keys we change from it.
        central = json.loads(strip_comments(f.read()))
    central["instance_id"] = "central-demo"
    central["mqtt"]["port"] = a.mqtt_port
    central["database"]["connection_string"] = f"Data Source={os.path.join(a.run_dir, 'central.db')}"
    central["api"]["listen"] = central["api"]["public_base_url"] = f"http://127.0.0.1:{a.api_port}"
    central["platform"]["url"] = f"http://127.0.0.1:{a.platform_port}/"
    # The sample holds crowding for review as a city would; without --case-loop (the end-to-end tests) every
    # scenario is filed at once, so each incident's filing can be checked without an operator.
    central["review"]["scenarios"] = {}
    # Demo only: the API token may see (and fetch from the gateway) unblurred evidence such as the recorded clips; a city
    # gives that permission to named users (access.users) instead, and every view is audited either way.
    central["access"]["api_token_permissions"] = ["evidence_unblurred"]
    if a.case_loop:
        # Demo only: crowding is held for an operator (build/demo.sh confirms it, as an operator would in the
        # cockpit); the demo grids cover the demo cameras; illegal fishing gets a 20 s deadline, shorter than the
        # stand-in platform's walk to "resolved" (3 steps of DEMO_PROGRESS_S), so it goes overdue and is escalated.
        central["review"].update({"scenarios": {"crowding": "hold"}, "timeout_s": 120, "check_interval_s": 1})
        central["grids"] = {"file": os.path.join(a.repo, "config/grids/demo-grids.geojson")}
        central["supervision"].update({"check_interval_s": 1})
        central["supervision"]["deadlines_s"]["illegal_fishing"] = 20

    for name, doc in (("worker.json", worker), ("central.json", central)):
        with open(os.path.join(a.run_dir, name), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)
    print(f"configs: {len(cameras)} cameras -> {a.run_dir}/worker.json, {a.run_dir}/central.json")


if __name__ == "__main__":
    main()

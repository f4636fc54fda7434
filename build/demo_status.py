#!/usr/bin/python3
"""Prints the demo's progress from Central's REST API (used by build/demo.sh).

    demo_status.py ELAPSED TOTAL     one progress line    (env: API_JSON = /stats, DEVICES = /devices, CASES = /cases)
    demo_status.py --summary         the closing report   (env: also INCIDENTS = /incidents)
"""
import json
import os
import sys
import urllib.request


def env_json(name, default):
    try:
        return json.loads(os.environ.get(name) or "null") or default
    except json.JSONDecodeError:
        return default


def cameras(devices):
    for device in devices:
        for cam in ((device.get("health") or {}).get("cameras") or []):
            yield device["device_id"], cam


def progress(elapsed: int, total: int) -> None:
    stats, devices, cases = env_json("API_JSON", {}), env_json("DEVICES", []), env_json("CASES", [])
    cams = list(cameras(devices))
    streaming = sum(1 for _, c in cams if c.get("state") == "streaming")
    by_state: dict = {}
    for c in cases:
        by_state[c["state"]] = by_state.get(c["state"], 0) + 1
    bar_width = 20
    done = bar_width if total <= 0 else min(bar_width, bar_width * elapsed // total)
    states = ", ".join(f"{k} {v}" for k, v in sorted(by_state.items())) or "none yet"
    print(f"[{'#' * done}{'.' * (bar_width - done)}] {elapsed:4d}s  cameras {streaming}/{len(cams)} streaming"
          f"  events {stats.get('events', 0)}  incidents {stats.get('incidents', 0)}"
          f"  dead letters {stats.get('dead_letters', 0)}  cases: {states}", flush=True)


def timeline(case_id: str) -> str:
    """The case's status timeline from Central (env DEMO_API, EDGEAI_CENTRAL_API_TOKEN), e.g. filed → accepted → …"""
    request = urllib.request.Request(f"{os.environ['DEMO_API']}/api/v1/cases/{case_id}",
                                     headers={"Authorization": f"Bearer {os.environ['EDGEAI_CENTRAL_API_TOKEN']}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            case = json.load(response)
    except OSError as error:
        return f"(timeline unavailable: {error})"
    return " → ".join(t["state"] for t in case.get("timeline", []))


def summary() -> int:
    stats, devices, cases = env_json("API_JSON", {}), env_json("DEVICES", []), env_json("CASES", [])
    incidents = env_json("INCIDENTS", [])
    print("Cameras (health reported by the worker over MQTT):")
    for device_id, c in cameras(devices):
        print(f"  {device_id}/{c['camera_id']:<22} {c['state']:<10} in {c.get('fps_in', 0):5.2f} fps"
              f"  analysed {c.get('fps_analysed', 0):5.2f} fps  frames {c.get('frames_analysed', 0):>5}"
              f"  dropped {c.get('dropped', 0)}  reconnects {c.get('reconnects', 0)}")
    print(f"\nIncidents ({len(incidents)}), each filed once as a case on the platform:")
    case_of = {c["incident_id"]: c for c in cases}
    for i in incidents:
        case = case_of.get(i["incident_id"])
        filed = f"case {case.get('platform_case_id') or '-'} {case['state']}" if case else "no case yet"
        if case:
            filed += f"  grid {case.get('grid_code') or '-'} → {case.get('department') or '-'}"
            filed += f"  review {case['review'].get('outcome') or case['review'].get('policy') or '-'}" if case.get("review") else ""
            filed += f"  ESCALATED ({case.get('escalation', '')})" if case.get("escalated_at") else ""
        print(f"  {i['scenario']:<16} zone {i.get('zone_id') or '-':<10} {i['event_count']:>3} events"
              f"  first {i['first_seen']}  {i['state']:<8} {filed}")
        if case and os.environ.get("DEMO_API"):
            print(f"  {'':<16} case timeline: {timeline(case['case_id'])}")
    print(f"\nevents {stats.get('events', 0)}, incidents {stats.get('incidents', 0)}, cases {stats.get('cases', 0)},"
          f" dead letters {stats.get('dead_letters', 0)}, platform outbox pending {stats.get('outbox_pending', 0)}")
    scenarios = sorted({i["scenario"] for i in incidents})
    print(f"scenarios detected: {', '.join(scenarios) or 'none'}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--summary"]:
        sys.exit(summary())
    progress(int(sys.argv[1]), int(sys.argv[2]))

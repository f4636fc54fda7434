#!/usr/bin/env bash
# `make demo`: the main job on loopback with real components. Grows with every capability.
# Starts mosquitto, four RTSP cameras serving the scene generator's demo clips, the stand-in governance platform,
# Central and the edge worker; shows camera -> event -> incident -> case as it flows, and cleans everything up on exit.
# The case loop: crowding is held for review and confirmed here, every case carries its grid (config/grids/
# demo-grids.geojson) and department, and illegal fishing's 20 s deadline passes (escalated); the cockpit is at /.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source build/loopback.sh
export DEMO_CASE_LOOP=1   # review step, grids, routing and a short deadline (build/demo_config.py --case-loop)
loopback_start
declare -A seen_held=()

# 5. watch the loop: camera -> event -> incident -> case -> platform status, for DEMO_SECONDS (0 = until Ctrl-C)
seconds=${DEMO_SECONDS:-150}
started=$(date +%s)
while :; do
  for name in central worker platform; do
    if ! kill -0 "${pid_of[$name]}" 2>/dev/null; then
      echo "demo: $name exited; its log:" >&2; tail -30 "$run_dir/$name.log" >&2; exit 1
    fi
  done
  elapsed=$(( $(date +%s) - started ))
  API_JSON="$(api stats 2>/dev/null || echo '{}')" DEVICES="$(api devices 2>/dev/null || echo "[]")" CASES="$(api cases 2>/dev/null || echo '[]')" \
    /usr/bin/python3 build/demo_status.py "$elapsed" "$seconds"
  # the review step: a held case seen on the previous round is confirmed, as an operator would in the cockpit
  for id in $(api "cases?state=held" 2>/dev/null | /usr/bin/python3 -c 'import json,sys; print(" ".join(c["case_id"] for c in json.load(sys.stdin)))' 2>/dev/null); do
    if [[ -n "${seen_held[$id]:-}" ]]; then
      curl -fsS -X POST -H "Authorization: Bearer $EDGEAI_CENTRAL_API_TOKEN" -H 'Content-Type: application/json'         -d '{"action":"confirm","note":"demo operator: confirmed from the evidence image","by":"demo"}'         "http://127.0.0.1:$api_port/api/v1/cases/$id/review" > /dev/null && echo "demo: operator confirmed held case $id (review before filing)"
    else
      seen_held[$id]=1; echo "demo: case $id held for review (review.scenarios.crowding = hold)"
    fi
  done
  if (( seconds > 0 && elapsed >= seconds )); then break; fi
  sleep 2
done
echo
DEMO_API="http://127.0.0.1:$api_port" API_JSON="$(api stats)" DEVICES="$(api devices)" CASES="$(api cases)" INCIDENTS="$(api incidents)" \
  /usr/bin/python3 build/demo_status.py --summary

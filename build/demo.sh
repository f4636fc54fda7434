#!/usr/bin/env bash
# `make demo`: the main job on loopback with real components. Grows with every capability.
# Starts mosquitto, four RTSP cameras serving the scene generator's demo clips, the stand-in governance platform,
# Central and the edge worker; shows camera -> event -> incident -> case as it flows, and cleans everything up on exit.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source build/loopback.sh
loopback_start

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
  if (( seconds > 0 && elapsed >= seconds )); then break; fi
  sleep 2
done
echo
DEMO_API="http://127.0.0.1:$api_port" API_JSON="$(api stats)" DEVICES="$(api devices)" CASES="$(api cases)" INCIDENTS="$(api incidents)" \
  /usr/bin/python3 build/demo_status.py --summary

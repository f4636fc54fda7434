#!/usr/bin/env bash
# Fails if a test run left a server or decoder behind (mosquitto, ffmpeg, postgres, RTSP test camera).
# Only processes started after the given epoch second are considered, so a developer's own running
# services are not blamed on the tests.
set -u
since="${1:-0}"
left=""
for pid in $(pgrep -f 'mosquitto -c|ffmpeg|rtsp_server.py|postgres -D|edgeai-central|bin/edgeai' 2>/dev/null); do
  [[ "$pid" == "$$" ]] && continue
  start=$(stat -c %Y "/proc/$pid" 2>/dev/null) || continue
  (( start >= since )) || continue
  left+="$(ps -o pid=,args= -p "$pid")"$'\n'
done
if [[ -n "$left" ]]; then
  echo "FAIL: processes left behind by the test run:"
  echo "$left"
  exit 1
fi
echo "no processes left behind"

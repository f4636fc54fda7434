#!/usr/bin/env bash
# Fails if a test run left a server or decoder behind (mosquitto, ffmpeg, postgres, RTSP test camera).
# Only processes started after the given epoch second that are orphans (parent 1) or descendants of this
# test run are considered, so a developer's own services or another session's live test runs are not blamed.
set -u
since="${1:-0}"
left=""
for pid in $(pgrep -f 'mosquitto -c|ffmpeg|rtsp_server.py|postgres -D|edgeai-central|bin/edgeai' 2>/dev/null); do
  [[ "$pid" == "$$" ]] && continue
  start=$(stat -c %Y "/proc/$pid" 2>/dev/null) || continue
  # A zombie has already exited (it runs nothing, holds no port or file); its new parent reaps it a moment later.
  [[ "$(ps -o stat= -p "$pid" 2>/dev/null)" == Z* ]] && continue
  (( start >= since )) || continue
  ours=0
  [[ "$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')" == 1 ]] && ours=1   # orphaned by a crashed test host
  p=$pid
  while (( !ours )) && [[ -n "$p" && "$p" != 0 && "$p" != 1 ]]; do
    p=$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ')
    [[ "$p" == "$PPID" ]] && ours=1                                        # still a child of this run
  done
  (( ours )) || continue
  left+="$(ps -o pid=,args= -p "$pid")"$'\n'
done
if [[ -n "$left" ]]; then
  echo "FAIL: processes left behind by the test run:"
  echo "$left"
  exit 1
fi
echo "no processes left behind"

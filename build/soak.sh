#!/usr/bin/env bash
# `make soak` (not in CI): the loopback system with 16 cameras (each demo clip served to four cameras) for an hour;
# RSS and threads of the worker, its ffmpeg children and Central sampled every minute; fails when the worker's or
# Central's RSS grows 5 % or more after a 10-minute warm-up. Result: bench/results/soak.json and soak.png.
#   SOAK_MINUTES=60 SOAK_WARMUP=10 SOAK_COPIES=4 SOAK_INTERVAL_S=60 build/soak.sh (SOAK_OUT, SOAK_PLOT: other result paths)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
build/need-matplotlib.sh soak
source build/loopback.sh
LOOPBACK_COPIES="${SOAK_COPIES:-4}" loopback_start
mkdir -p bench/results
/usr/bin/python3 build/soak_watch.py --worker-pid "${pid_of[worker]}" --central-pid "${pid_of[central]}" \
  --api "http://127.0.0.1:$api_port" --minutes "${SOAK_MINUTES:-60}" --warmup "${SOAK_WARMUP:-10}" \
  --interval "${SOAK_INTERVAL_S:-60}" --out "${SOAK_OUT:-bench/results/soak.json}" --plot "${SOAK_PLOT:-bench/results/soak.png}"

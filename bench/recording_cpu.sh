#!/usr/bin/env bash
# Recording cost A/B in one run: N cameras (default 16) of the 1080p25 bench clip served over RTSP (tools/rtsp), each
# read by one ffmpeg with the worker's key-frame-mode analysis output (-threads 1 -skip_frame nokey -skip_loop_filter all,
# scaled to 320x320 gbrp, to /dev/null instead of the worker's pipe), first without (A) then with (B) the recording output
# the worker adds (SegmentRing.OutputArguments: -c:v copy into 1 s MPEG-TS segments, through a tee with onfail=ignore). CPU = utime+stime of the ffmpeg
# processes over the measurement window after a warm-up, per camera, in % of one core.
#   bench/recording_cpu.sh [cameras=16] [seconds=30]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-16}; SECS=${2:-30}; WARM=5
CLIP=.cache/clips/bench-1080p25-20s.mp4
[ -f "$CLIP" ] || { echo "missing $CLIP (make bench renders it)"; exit 1; }
WORK=$(mktemp -d /tmp/edgeai-reccpu.XXXXXX)
PORT=$(( 20000 + RANDOM % 20000 ))
mounts=(); for i in $(seq 1 "$N"); do mounts+=(--mount "cam$i=$PWD/$CLIP"); done
/usr/bin/python3 tools/rtsp/rtsp_server.py --port "$PORT" "${mounts[@]}" > "$WORK/rtsp.log" 2>&1 &
RTSP=$!
trap 'kill $RTSP 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do grep -q READY "$WORK/rtsp.log" && break; sleep 0.2; done
TICK=$(getconf CLK_TCK)

ticks() { local t=0; for p in "$@"; do read -r -a f < "/proc/$p/stat"; t=$(( t + f[13] + f[14] )); done; echo $t; }

phase() {   # $1 = off|on
  PIDS=()
  for i in $(seq 1 "$N"); do
    args=(-hide_banner -nostdin -nostats -loglevel error -rtsp_transport tcp -timeout 5000000 -threads 1 -skip_frame nokey -skip_loop_filter all
          -i "rtsp://127.0.0.1:$PORT/cam$i" -map 0:v:0 -an -sn -dn
          -vf "scale=320:320:force_original_aspect_ratio=decrease:flags=bilinear,pad=320:320:(ow-iw)/2:(oh-ih)/2:color=0x727272,format=gbrp"
          -fps_mode passthrough -y -f rawvideo /dev/null)
    if [ "$1" = on ]; then
      mkdir -p "$WORK/rec/cam$i"
      args+=(-map 0:v:0 -c:v copy -an -sn -dn -f tee
             "[f=segment:segment_time=1:segment_format=mpegts:reset_timestamps=1:segment_list=$WORK/rec/cam$i/run.csv:segment_list_type=csv:segment_list_size=20:onfail=ignore]$WORK/rec/cam$i/run-%06d.ts|[f=null]-")
    fi
    ffmpeg "${args[@]}" 2>>"$WORK/ffmpeg-$1.log" &
    PIDS+=($!)
  done
  sleep "$WARM"
  local b0=0; [ "$1" = on ] && b0=$(du -sb "$WORK/rec" | cut -f1)
  local t0; t0=$(ticks "${PIDS[@]}"); local s0; s0=$(date +%s.%N)
  sleep "$SECS"
  local t1; t1=$(ticks "${PIDS[@]}"); local s1; s1=$(date +%s.%N)
  local b1=0; [ "$1" = on ] && b1=$(du -sb "$WORK/rec" | cut -f1)
  kill "${PIDS[@]}"; wait "${PIDS[@]}" 2>/dev/null || true
  python3 - "$1" "$N" "$t0" "$t1" "$s0" "$s1" "$TICK" "$b0" "$b1" <<'PY'
import sys
mode, n, t0, t1, s0, s1, tick, b0, b1 = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:])
wall = s1 - s0
pct = (t1 - t0) / tick / wall * 100 / n
line = f"recording {mode:3}: {n} cameras, {wall:.1f} s: ffmpeg CPU {pct:.2f} % of a core per camera"
if mode == "on":
    line += f"; disk {(b1 - b0) / n / wall * 60 / 1e6:.1f} MB per camera per minute"
print(line)
PY
}
phase off
phase on
segs=$(ls "$WORK"/rec/cam1/*.ts | wc -l)
# A 30 s event clip from cam1's segments as ClipCutter makes it (concat demuxer, stream copy, +faststart).
{ echo "ffconcat version 1.0"; ls "$WORK"/rec/cam1/run-*.ts | sort | tail -n 31 | head -n 30 | sed "s/.*/file '&'/"; } > "$WORK/clip.ffconcat"
c0=$(date +%s.%N)
ffmpeg -hide_banner -nostdin -loglevel error -y -f concat -safe 0 -i "$WORK/clip.ffconcat" -map 0:v:0 -c copy -t 30 -movflags +faststart -f mp4 "$WORK/clip.mp4"
c1=$(date +%s.%N)
echo "30 s clip (1080p25, stream copy): $(stat -c %s "$WORK/clip.mp4") bytes, $(ffprobe -v error -show_entries format=duration -of csv=p=0 "$WORK/clip.mp4") s, cut in $(python3 -c "print(f'{$c1-$c0:.2f}')") s"
echo "segments written by cam1: $segs; ffmpeg errors: $(cat "$WORK"/ffmpeg-*.log | wc -l) lines"

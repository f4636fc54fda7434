#!/usr/bin/env bash
# `make demo`: the main job on loopback with real components. Grows with every capability.
# Starts mosquitto (repo config, generated passwords), four RTSP test cameras and the services that exist,
# shows what flows, and cleans everything up on exit or Ctrl-C.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
run_dir="$(mktemp -d /tmp/edgeai-demo.XXXXXX)"
# mosquitto started as root drops to its own user; it must be able to write its persistence database here.
chmod 0777 "$run_dir"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$run_dir"
}
trap cleanup EXIT INT TERM

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# 1. broker
mqtt_port=$(free_port)
central_pw=$(openssl rand -hex 12); device_pw=$(openssl rand -hex 12)
printf 'central:%s\nedge-demo:%s\n' "$central_pw" "$device_pw" > "$run_dir/passwd"
mosquitto_passwd -U "$run_dir/passwd"
sed -e "s#\${PORT}#$mqtt_port#; s#\${DATA_DIR}#$run_dir#; s#\${CONF_DIR}#$root/config/mosquitto#" config/mosquitto/mosquitto.conf > "$run_dir/mosquitto.conf"
setpriv --pdeathsig KILL -- mosquitto -c "$run_dir/mosquitto.conf" 2> "$run_dir/mosquitto.log" & pids+=($!)
echo "mosquitto     mqtt://127.0.0.1:$mqtt_port (auth + per-device ACL)"

# 2. cameras
mkdir -p .cache/clips
rtsp_port=$(free_port)
mounts=()
for name in litter road fishing crowd; do
  clip=".cache/clips/demo-$name.mp4"
  if [[ ! -f "$clip" ]]; then
    ffmpeg -v error -nostdin -y -f lavfi -i "testsrc2=size=960x540:rate=10" -t 20 -c:v libx264 -preset veryfast \
      -g 10 -bf 0 -pix_fmt yuv420p "$clip"
  fi
  mounts+=(--mount "$name=$clip")
done
setpriv --pdeathsig KILL -- /usr/bin/python3 tools/rtsp/rtsp_server.py --port "$rtsp_port" "${mounts[@]}" > "$run_dir/rtsp.log" 2>&1 & pids+=($!)
until grep -q READY "$run_dir/rtsp.log"; do sleep 0.1; done
for name in litter road fishing crowd; do
  info=$(ffprobe -v error -rtsp_transport tcp -select_streams v:0 -show_entries stream=codec_name,width,height -of csv=p=0 "rtsp://127.0.0.1:$rtsp_port/$name")
  echo "camera        rtsp://127.0.0.1:$rtsp_port/$name  $info"
done

# 3. components
bin/edgeai version
echo
echo "demo: broker and cameras are up; the worker and central join as they are built. Done."

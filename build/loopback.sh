#!/usr/bin/env bash
# The whole system on loopback with real components, for build/demo.sh and build/soak.sh (sourced, not run):
# mosquitto with auth and per-device ACLs, RTSP cameras serving the scene generator's demo clips, the stand-in
# governance platform, Central and the edge worker. `loopback_start` starts them all under a fresh run folder;
# everything is stopped and the folder removed on exit.
#   LOOPBACK_COPIES=N   each demo clip becomes N cameras (default 1: four cameras)
# After loopback_start: $run_dir, $api_port, $worker_http_port, pid_of[central|worker|platform], api PATH (GET /api/v1/PATH).

pids=()
declare -A pid_of
run_dir=""

loopback_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [[ -n "$run_dir" ]] && rm -rf "$run_dir"
}

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start NAME COMMAND...: runs it under the run, its log in $run_dir/NAME.log, killed with this shell (pdeathsig).
start() {
  local name=$1; shift
  setpriv --pdeathsig KILL -- "$@" > "$run_dir/$name.log" 2>&1 & pids+=($!); pid_of[$name]=$!
}

# api PATH: GET /api/v1/PATH from Central with the run's token.
api() { curl -fsS -H "Authorization: Bearer $EDGEAI_CENTRAL_API_TOKEN" "http://127.0.0.1:$api_port/api/v1/$1"; }

loopback_start() {
  run_dir="$(mktemp -d /tmp/edgeai-demo.XXXXXX)"
  # mosquitto started as root drops to its own user; it must be able to write its persistence database here.
  chmod 0777 "$run_dir"
  trap loopback_cleanup EXIT INT TERM

  # 1. broker
  mqtt_port=$(free_port)
  central_pw=$(openssl rand -hex 12); device_pw=$(openssl rand -hex 12)
  printf 'central:%s\nedge-demo:%s\n' "$central_pw" "$device_pw" > "$run_dir/passwd"
  mosquitto_passwd -U "$run_dir/passwd"
  sed -e "s#\${PORT}#$mqtt_port#; s#\${DATA_DIR}#$run_dir#; s#\${CONF_DIR}#$root/config/mosquitto#" config/mosquitto/mosquitto.conf > "$run_dir/mosquitto.conf"
  setpriv --pdeathsig KILL -- mosquitto -c "$run_dir/mosquitto.conf" 2> "$run_dir/mosquitto.log" & pids+=($!)
  echo "mosquitto     mqtt://127.0.0.1:$mqtt_port (auth + per-device ACL)"

  # 2. cameras: the four scenario clips from the scene generator (rendered once, cached), looped as live RTSP
  clips=.cache/clips/demo
  /usr/bin/python3 models/scenegen/render.py --set demo --out "$clips" > "$run_dir/render.log" 2>&1 \
    || { cat "$run_dir/render.log"; echo "demo: could not render the demo clips" >&2; exit 1; }
  rtsp_port=$(free_port)
  mounts=()
  for clip in "$clips"/demo-*.mp4; do
    name=$(basename "$clip" .mp4); mounts+=(--mount "${name#demo-}=$clip")
  done
  setpriv --pdeathsig KILL -- /usr/bin/python3 tools/rtsp/rtsp_server.py --port "$rtsp_port" "${mounts[@]}" > "$run_dir/rtsp.log" 2>&1 & pids+=($!)
  until grep -q READY "$run_dir/rtsp.log"; do sleep 0.1; kill -0 "${pids[-1]}" 2>/dev/null || { cat "$run_dir/rtsp.log"; exit 1; }; done
  names=$(ls "$clips"/demo-*.mp4 | sed 's#.*/demo-##; s#\.mp4$##' | paste -sd,)
  echo "cameras       rtsp://127.0.0.1:$rtsp_port/{$names}$( (( ${LOOPBACK_COPIES:-1} > 1 )) && echo ", each served to ${LOOPBACK_COPIES} cameras")"

  # 3. configs and secrets (random per run, passed in the environment, never written to the configs)
  api_port=$(free_port); platform_port=$(free_port); worker_http_port=$(free_port)
  /usr/bin/python3 build/demo_config.py --clips "$clips" --run-dir "$run_dir" --repo "$root" \
    --mqtt-port "$mqtt_port" --rtsp-port "$rtsp_port" --api-port "$api_port" --platform-port "$platform_port" \
    --worker-http-port "$worker_http_port" --copies "${LOOPBACK_COPIES:-1}" ${DEMO_CASE_LOOP:+--case-loop}
  export EDGEAI_MQTT_PASSWORD="$device_pw" EDGEAI_CENTRAL_MQTT_PASSWORD="$central_pw"
  export EDGEAI_CENTRAL_API_TOKEN=$(openssl rand -hex 16) EDGEAI_CENTRAL_PLATFORM_SECRET=$(openssl rand -hex 16)
  (umask 077; echo "$EDGEAI_CENTRAL_API_TOKEN" > "$run_dir/api-token")
  bin/edgeai config validate "$run_dir/worker.json"

  # 4. the governance platform stand-in, Central, the edge worker
  start platform bin/edgeai-central test-platform --listen "http://127.0.0.1:$platform_port" \
    --callback "http://127.0.0.1:$api_port/api/v1/platform/callback" --auto-progress-s "${DEMO_PROGRESS_S:-8}"
  start central bin/edgeai-central run --config "$run_dir/central.json"
  start worker bin/edgeai run --config "$run_dir/worker.json"
  for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$api_port/readyz" > /dev/null 2>&1 && break; sleep 0.2; done
  echo "platform      http://127.0.0.1:$platform_port (stand-in: accepts cases, moves them through the loop every ${DEMO_PROGRESS_S:-8} s)"
  echo "central       http://127.0.0.1:$api_port  dashboard (sign in with the token in $run_dir/api-token)"
  echo "worker        edge-demo: status page and /metrics on http://127.0.0.1:$worker_http_port, log in $run_dir/worker.log"
  echo
}

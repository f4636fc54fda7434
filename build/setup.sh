#!/usr/bin/env bash
# Idempotent machine setup for EdgeAi: installs the Debian packages that are missing (and only those),
# restores NuGet packages. Safe to run again and again.
#   build/setup.sh            what `make test` and `make demo` need
#   build/setup.sh --train    also PyTorch and ONNX for models/train_detector.py (several hundred MB)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

packages=(
  ffmpeg                      # decode (one process per camera), probe, clip generation
  mosquitto mosquitto-clients # MQTT broker for tests/demo
  # OpenCV (NuGet OpenCvSharp4.official.runtime.linux-x64: evidence JPEG, blur, drawing, quality statistics): the Debian
  # packages of the libraries its libOpenCvSharpExtern.so links against (readelf -d NEEDED), libc/libstdc++ aside
  libgtk-3-0 libatk1.0-0 libcairo2 libcairo-gobject2 libpango-1.0-0 libpangocairo-1.0-0 libgdk-pixbuf-2.0-0
  libglib2.0-0 libfreetype6 libharfbuzz0b libdrm2 libatomic1 libx11-6
  gir1.2-gst-rtsp-server-1.0 python3-gi gstreamer1.0-tools
  gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav  # RTSP test cameras
  python3-numpy python3-pil   # scene generator (test and demo clips)
  openssl                     # test CA and certificates for MQTT over TLS
  postgresql                  # Central's PostgreSQL store tests (started by the tests on loopback)
  chromium                    # dashboard browser test (driven by npm playwright-core; never a downloaded browser)
  systemd                     # systemd-analyze verify for the unit files
  python3-prometheus-client   # reference parser that tests check /metrics with
  util-linux                  # setpriv: child processes die with their parent
)
if [[ "${1:-}" == "--train" ]]; then packages+=(python3-torch python3-torchvision python3-onnx); fi

missing=()
for p in "${packages[@]}"; do
  [[ "$p" == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then missing+=("$p"); fi
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: Debian packages present"
fi

if [[ ! -d tools/browser/node_modules/playwright-core ]]; then
  (cd tools/browser && npm ci --silent --no-audit --no-fund 2>/dev/null || npm install --silent --no-audit --no-fund)
fi
# the cockpit's charts and map (npm echarts, embedded into Central at build; git-ignored, never a CDN)
if [[ ! -f tools/dashboard/node_modules/echarts/dist/echarts.min.js ]]; then
  (cd tools/dashboard && npm ci --silent --no-audit --no-fund 2>/dev/null || npm install --silent --no-audit --no-fund)
fi
dotnet restore EdgeAi.sln -v q
echo "setup: done"

#!/usr/bin/env bash
# GPU check for an edge box with an NVIDIA GPU, ready to run: builds EdgeAi with ONNX Runtime's CUDA/TensorRT package
# (make build GPU=1), then
#   1. `edgeai version`: ONNX Runtime's version and whether its CUDA provider really loads (a session runs on it);
#   2. the inference ratio on the GPU: the worker's detector stage vs a bare ORT Run loop, both on the CUDA provider;
#   3. a 1080p25 H.264 RTSP camera (tools/rtsp test camera) decoded in full at 25 fps by the worker's ingest with -hwaccel cuda;
# and writes bench/results/gpu.json. Exit 0 only when all three pass; otherwise the reasons on stderr and exit 1
# (exit 2 at once on a machine without an NVIDIA GPU, or with a bad option).
#   bench/gpu-check.sh                          the check (CUDA 13 + cuDNN 9 runtime libraries on the library path)
#   bench/gpu-check.sh --provider tensorrt      TensorRT provider instead of CUDA (also needs TensorRT 10)
#   bench/gpu-check.sh --gpu-device-id 1        another GPU
#   bench/gpu-check.sh --no-build               use the GPU build already there (bench/EdgeAi.Bench, bin/)
#   bench/gpu-check.sh --provider cpu --hwaccel none --out FILE
#                                               dry run of the same logic on CPU (no GPU needed; for testing this script)
#   ORT_VERSION=1.x.y bench/gpu-check.sh        another ONNX Runtime version (see README: CUDA 12 boxes)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

provider=cuda hwaccel=cuda device=0 build=1 out="bench/results/gpu.json" seconds=20
while (($#)); do
  case "$1" in
    --provider) provider="$2"; shift 2 ;;
    --hwaccel) hwaccel="$2"; shift 2 ;;
    --gpu-device-id) device="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "gpu-check: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$provider" in cpu|cuda|tensorrt) ;; *) echo "gpu-check: --provider must be cpu, cuda or tensorrt" >&2; exit 2 ;; esac
case "$hwaccel" in cuda|none) ;; *) echo "gpu-check: --hwaccel must be cuda or none" >&2; exit 2 ;; esac
[[ "$device" =~ ^[0-9]+$ ]] || { echo "gpu-check: --gpu-device-id must be a GPU number" >&2; exit 2; }
say() { echo "gpu-check: $*" >&2; }

dry_run=0
[[ "$provider" == cpu && "$hwaccel" == none ]] && dry_run=1
if ((!dry_run)); then
  # The GPU first: nothing below means anything without one.
  if ! command -v nvidia-smi >/dev/null 2>&1; then
    say "FAILED: no NVIDIA GPU here (nvidia-smi not found: install the NVIDIA driver). For a CPU dry run: $0 --provider cpu --hwaccel none --out FILE"
    exit 2
  fi
  if ! gpus=$(nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader 2>&1) || [[ -z "$gpus" ]]; then
    say "FAILED: nvidia-smi finds no usable GPU: ${gpus:-no output}"
    exit 2
  fi
  say "GPUs: ${gpus//$'\n'/; }"
  if ! grep -q "^$device," <<<"$gpus"; then say "FAILED: no GPU $device (see the list above)"; exit 2; fi
  if [[ "$hwaccel" == cuda ]] && ! ffmpeg -hide_banner -hwaccels 2>/dev/null | grep -qx cuda; then
    say "FAILED: this ffmpeg has no cuda hwaccel (ffmpeg -hwaccels)"
    exit 2
  fi
fi

gpu_props=(); ((dry_run)) || gpu_props=(-p:EdgeAiGpu=true)
[[ -n "${ORT_VERSION:-}" ]] && gpu_props+=("-p:EdgeAiOrtVersion=$ORT_VERSION")
if ((build)); then
  if ((dry_run)); then make -s build >&2; else make -s build GPU=1 ${ORT_VERSION:+ORT_VERSION=$ORT_VERSION} >&2; fi
  dotnet build bench/EdgeAi.Bench -c Release -v q -nologo "${gpu_props[@]}" >&2
fi
[[ -x bin/edgeai ]] || { say "FAILED: bin/edgeai missing (run without --no-build)"; exit 1; }

# 1. ONNX Runtime and its providers, through the installed command.
version=$(bin/edgeai version 2>&1) || true
echo "$version" >&2
if [[ "$provider" != cpu ]]; then
  ort_name=$([[ "$provider" == cuda ]] && echo CUDAExecutionProvider || echo TensorrtExecutionProvider)
  if ! grep -q "provider *$ort_name: loads" <<<"$version"; then
    why=$(grep "provider *$ort_name" <<<"$version" || echo "$ort_name is not in this ONNX Runtime build (GPU=1 build missing?)")
    say "FAILED: the $provider provider does not load: ${why#*: }"
    say "  (1.30-1.32 need CUDA 13 + cuDNN 9 on the library path, TensorRT 10 for tensorrt; ldd bin/worker/libonnxruntime_providers_cuda.so shows what is missing)"
    exit 1
  fi
fi

# 2 and 3. Inference ratio on the provider; the RTSP camera with -hwaccel. Writes the JSON, exits 1 with the problems.
mkdir -p "$(dirname "$out")"
set +e
dotnet bench/EdgeAi.Bench/bin/Release/net10.0/EdgeAi.Bench.dll gpu --out "$out" --provider "$provider" --hwaccel "$hwaccel" \
  --gpu-device-id "$device" --seconds "$seconds"
rc=$?
set -e
if ((rc == 0)); then say "passed: $out"; else say "FAILED (exit $rc): see the lines above and $out"; fi
exit $rc

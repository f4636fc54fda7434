#!/usr/bin/env bash
# Fetches the ONNX Runtime npm package(s) into .cache/ once and reuses them.
#   build/fetch-onnxruntime.sh            CPU package: official C# sources + libonnxruntime.so (x64)
#   build/fetch-onnxruntime.sh --gpu      also the CUDA/TensorRT provider libraries (CUDA 12, cuDNN 9)
# Why npm: the NuGet packages Microsoft.ML.OnnxRuntime(.Gpu) are not reachable from this build network;
# com.github.asus4.onnxruntime ships the same MIT-licensed C# sources and native library (ORT 1.29.0).
set -euo pipefail
version="${EDGEAI_ORT_NPM_VERSION:-0.4.9}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.cache"
fetch() {
  local pkg="$1" dest="$2"
  if [[ -f "$dest/.complete" ]]; then return 0; fi
  mkdir -p "$cache/npm-tmp"
  echo "fetching npm $pkg@$version -> ${dest#$root/}"
  (cd "$cache/npm-tmp" && npm pack --silent "$pkg@$version" >/dev/null)
  rm -rf "$dest" && mkdir -p "$dest"
  tar -xzf "$cache/npm-tmp/$pkg-$version.tgz" -C "$dest"
  rm -f "$cache/npm-tmp/$pkg-$version.tgz"
  touch "$dest/.complete"
}
fetch com.github.asus4.onnxruntime "$cache/onnxruntime-$version"
if [[ "${1:-}" == "--gpu" ]]; then
  fetch com.github.asus4.onnxruntime.linux-x64-gpu "$cache/onnxruntime-gpu-$version"
fi

#!/usr/bin/env bash
# `make bench`: micro-benchmarks (BenchmarkDotNet, memory diagnoser) and system benchmarks (decode ratio, inference ratio,
# camera scaling up to MQTT PUBACK, central ingest vs a bare subscriber), then bench/results/latest.json, PNG plots and the
# README table. Under 30 minutes on the 2-core reference machine. Progress lines go to stderr.
#   BENCH_QUICK=1 build/bench.sh    small settings (a few minutes): checks that every part runs; figures not comparable
#   BENCH_PARTS=cameras,central     system parts to run (default all: decode,inference,cameras,central)
#   BENCH_MICRO=0                   skip the micro-benchmarks
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export EDGEAI_REPO_ROOT="$root"

build/need-matplotlib.sh bench

dotnet build bench/EdgeAi.Bench -c Release -v q -nologo >/dev/null
bench=(dotnet "bench/EdgeAi.Bench/bin/Release/net10.0/EdgeAi.Bench.dll")
quick=(); [[ "${BENCH_QUICK:-0}" == "1" ]] && quick=(--quick)
start=$(date +%s)

if [[ "${BENCH_MICRO:-1}" != "0" ]]; then
  echo "bench: micro-benchmarks (reports in bench/results/micro/results/)" >&2
  "${bench[@]}" micro "${quick[@]}" > bench/results/micro.log 2>&1 || { tail -40 bench/results/micro.log; exit 1; }
  grep -h -A3 "^| Method" bench/results/micro/results/*-report-github.md | grep -v "^--$" >&2 || true
fi

"${bench[@]}" system "${quick[@]}" --only "${BENCH_PARTS:-decode,inference,cameras,central}"

/usr/bin/python3 bench/plot.py
/usr/bin/python3 bench/readme_table.py
echo "bench: done in $(( $(date +%s) - start )) s: bench/results/latest.json, bench/results/*.png, README.md (benchmark table)" >&2

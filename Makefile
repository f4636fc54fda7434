# EdgeAi build entry point. `make test` and `make demo` each work alone on a fresh Debian 12 machine.
SHELL := /bin/bash
.DEFAULT_GOAL := build
CONFIG ?= Release
DOTNET_CLI_TELEMETRY_OPTOUT := 1
DOTNET_NOLOGO := 1
export DOTNET_CLI_TELEMETRY_OPTOUT DOTNET_NOLOGO

.PHONY: setup build test demo bench soak train clips clean

## setup: install missing Debian packages, restore NuGet — idempotent
setup:
	@build/setup.sh

## build: compile everything; runnable apphosts at bin/edgeai and bin/edgeai-central
##        GPU=1: ONNX Runtime's Linux CUDA/TensorRT build (Microsoft.ML.OnnxRuntime.Gpu.Linux) instead of the CPU one;
##        ORT_VERSION=1.x.y: another ONNX Runtime version (e.g. for a box with an older CUDA, see README)
ORT_PROPS := $(if $(GPU),-p:EdgeAiGpu=true) $(if $(ORT_VERSION),-p:EdgeAiOrtVersion=$(ORT_VERSION))
build: setup
	dotnet build EdgeAi.sln -c $(CONFIG) $(if $(strip $(ORT_PROPS)),$(ORT_PROPS),--no-restore) -v q -nologo
	rm -rf bin/worker
	dotnet publish src/EdgeAi.Worker -c $(CONFIG) $(ORT_PROPS) --no-build -v q -nologo -o bin/worker
	dotnet publish src/EdgeAi.Central -c $(CONFIG) --no-build -v q -nologo -o bin/central
	@ln -sfn worker/edgeai bin/edgeai && ln -sfn central/edgeai-central bin/edgeai-central
	@echo "built: bin/edgeai, bin/edgeai-central"

## test: every test, with real mosquitto, RTSP cameras, ffmpeg, ONNX Runtime, SQLite/PostgreSQL
test: build
	@since=$$(date +%s); results=.cache/test-results; rm -rf $$results; \
	dotnet test EdgeAi.sln -c $(CONFIG) --no-build -nologo --logger "console;verbosity=minimal" \
	  --logger trx --results-directory $$results ; rc=$$?; \
	/usr/bin/python3 build/test-summary.py $$results; \
	build/check-leftovers.sh $$since || rc=1; exit $$rc

## demo: the main job on loopback — broker, four RTSP cameras, worker, central, test platform
demo: build
	@build/demo.sh

## bench: micro and system benchmarks; results in bench/results/
bench: build
	@build/bench.sh

## soak: 16 cameras for an hour on loopback; worker and Central RSS growth after warm-up must stay < 5 % (not in CI)
soak: build
	@build/soak.sh

## train: re-train the bundled demo detector (PyTorch on CPU; the trained model is committed)
train:
	@build/setup.sh --train
	/usr/bin/python3 models/train_detector.py

## eval: score the whole pipeline on the eval clips (rendered into .cache/clips/eval when missing or stale):
##       per-scenario precision/recall table, report models/demo/eval.json, timelines in .cache/eval/plots
.PHONY: eval
eval: build
	/usr/bin/python3 models/scenegen/render.py --set eval --out .cache/clips/eval
	bin/edgeai eval --clips .cache/clips/eval --json models/demo/eval.json --plots .cache/eval/plots

clean:
	rm -rf bin artifacts */*/bin */*/obj

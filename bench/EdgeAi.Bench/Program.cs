using EdgeAi.Bench.EndToEnd;
using EdgeAi.Bench.Micro;

// dotnet EdgeAi.Bench.dll <command> [options]; `make bench` runs build/bench.sh, which runs `micro` and `system`.
return args.FirstOrDefault() switch
{
    "micro" => MicroBenchmarks.Run(args[1..]),
    "system" => await SystemBench.RunAsync(args[1..]),
    "decode" => await SystemBench.RunAsync(["--only", "decode", "--out", Path.Combine(Path.GetTempPath(), "edgeai-bench-decode.json"), .. args[1..]]),
    "inference" => await SystemBench.RunAsync(["--only", "inference", "--out", Path.Combine(Path.GetTempPath(), "edgeai-bench-inference.json"), .. args[1..]]),
    "cameras" => await SystemBench.RunAsync(["--only", "cameras", "--out", Path.Combine(Path.GetTempPath(), "edgeai-bench-cameras.json"), .. args[1..]]),
    "central" => await SystemBench.RunAsync(["--only", "central", "--out", Path.Combine(Path.GetTempPath(), "edgeai-bench-central.json"), .. args[1..]]),
    "gpu" => await GpuCheck.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: EdgeAi.Bench <command>
          micro [--quick] [BenchmarkDotNet options, e.g. --filter *Tracker*]   micro-benchmarks (memory diagnoser)
          system [--quick] [--only decode,inference,cameras,central] [--out FILE]
                 [--max-cameras N] [--min-try N] [--warmup S] [--measure S] [--camera-budget-min M] [--events N] [--central-warmup N] [--no-postgres]
                 [--connections N] [--receive-maximum N]                        Central's consumer settings (defaults: 8, 100)
                                                                      system benchmarks → bench/results/latest.json
          decode | inference | cameras | central [--quick] [options]    one part alone (JSON to the temp folder)
          gpu --out FILE [--provider cuda|tensorrt|cpu] [--hwaccel cuda|none] [--gpu-device-id N] [--seconds S]
                 inference ratio on the provider + a 1080p RTSP camera through the worker's ingest with -hwaccel (bench/gpu-check.sh)
        """);
    return 2;
}

using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Bench.EndToEnd;

/// <summary>
/// <c>EdgeAi.Bench system [--quick] [--only decode,inference,cameras,central] [--out FILE]</c>: the system benchmarks in
/// one run, each against its bare tool, then bench/results/latest.json. --quick (BENCH_QUICK=1 in build/bench.sh) uses small
/// settings to check that every part works in a few minutes; its figures are not comparable with a full run.
/// </summary>
internal static class SystemBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var quick = BenchArgs.Flag(args, "--quick");
        var only = BenchArgs.Get(args, "--only", "decode,inference,cameras,central").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var output = BenchArgs.Get(args, "--out", Path.Combine(BenchPaths.Results, "latest.json"));
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; }));

        var results = new BenchResults { Mode = quick ? "quick" : "full", Machine = BenchResults.MachineDescription() };
        Progress.Say($"bench: {results.Mode} run on {results.Machine}; parts: {string.Join(", ", only)}");
        if (only.Contains("decode"))
        {
            Progress.Say("decode: worker ingest vs bare ffmpeg on the 1080p25 clip, alternating runs");
            var d = await DecodeRatio.RunAsync(quick ? ["--runs", "1"] : ["--runs", "5"]);
            results = results with { Decode = d, DecodeRatio = d.Ratio };
        }
        if (only.Contains("inference"))
        {
            Progress.Say("inference: worker detector stage vs bare ORT Run, alternating blocks");
            var i = InferenceRatio.Run(["--threads", Environment.ProcessorCount.ToString(), "--frames", quick ? "50" : "500"]);
            results = results with { Inference = i, InferenceRatio = i.Ratio, Device = i.Provider };
        }
        if (only.Contains("cameras"))
        {
            var steps = await CameraScaling.RunAsync(CameraScaling.Parse(args, quick), loggers);
            var best = steps.Where(s => s.Sustained).OrderByDescending(s => s.Cameras).FirstOrDefault();
            results = results with
            {
                CameraSteps = steps,
                MaxCamerasSustained = best?.Cameras ?? 0,
                LatencyP99Ms = (best ?? steps.FirstOrDefault())?.LatencyP99Ms,
            };
        }
        if (only.Contains("central"))
        {
            var consumer = new EdgeAi.Central.Configuration.ConsumerSettings();
            consumer = consumer with
            {
                Connections = BenchArgs.Int(args, "--connections", consumer.Connections),
                ReceiveMaximum = BenchArgs.Int(args, "--receive-maximum", consumer.ReceiveMaximum),
            };
            var events = BenchArgs.Int(args, "--events", quick ? 3000 : 30000);
            var runs = await CentralIngest.RunAsync(events, BenchArgs.Int(args, "--central-warmup", quick ? events : 40000), postgres: !BenchArgs.Flag(args, "--no-postgres"), consumer);
            var bare = runs.FirstOrDefault(r => r.Target == "bare");
            var sqlite = runs.FirstOrDefault(r => r.Target == "sqlite");
            var pg = runs.FirstOrDefault(r => r.Target == "postgres");
            results = results with
            {
                CentralRuns = runs,
                CentralEventsPerSSqlite = sqlite?.EventsPerSecond,
                CentralEventsPerSPostgres = pg?.EventsPerSecond,
                CentralRatioVsBareSubscriber = sqlite is not null && bare is { EventsPerSecond: > 0 } ? Math.Round(sqlite.EventsPerSecond / bare.EventsPerSecond, 3) : null,
                EventsLost = runs.Where(r => r.Target != "bare").Sum(r => r.Lost),
                CentralEventsPerSSqliteWindow1000 = runs.FirstOrDefault(r => r.Target == "sqlite-window-1000")?.EventsPerSecond,
            };
        }

        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(results, BenchResults.Json) + "\n");
        Progress.Say($"bench: wrote {output}");
        return 0;
    }
}

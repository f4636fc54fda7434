using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeAi.Bench.EndToEnd;

/// <summary>
/// bench/results/latest.json. The top-level fields named in issue 8 are stable (scripts, plots and the README table read
/// them): decode_ratio, inference_ratio, max_cameras_sustained, latency_p99_ms, central_events_per_s_sqlite,
/// central_events_per_s_postgres, central_ratio_vs_bare_subscriber, events_lost, cores, date, device. A part that was not
/// run is null. Details per part follow under their own keys.
/// </summary>
internal sealed record BenchResults
{
    public double? DecodeRatio { get; init; }
    public double? InferenceRatio { get; init; }
    public int? MaxCamerasSustained { get; init; }
    /// <summary>p99 frame-to-PUBACK latency at <see cref="MaxCamerasSustained"/> (or at the first step when none was sustained).</summary>
    public double? LatencyP99Ms { get; init; }
    public double? CentralEventsPerSSqlite { get; init; }
    public double? CentralEventsPerSPostgres { get; init; }
    public double? CentralRatioVsBareSubscriber { get; init; }

    /// <summary>Central on SQLite with consumer.receive_maximum=1000 (not the default 100): what a wider acknowledgement window earns.</summary>
    public double? CentralEventsPerSSqliteWindow1000 { get; init; }
    public long? EventsLost { get; init; }
    public int Cores { get; init; } = Environment.ProcessorCount;
    public string Date { get; init; } = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
    public string Device { get; init; } = "cpu";
    /// <summary>"full" or "quick" (BENCH_QUICK=1: small settings, for checking that every part runs; figures not comparable).</summary>
    public string Mode { get; init; } = "full";
    public string Machine { get; init; } = "";
    public DecodeResult? Decode { get; init; }
    public InferenceResult? Inference { get; init; }
    public IReadOnlyList<CameraStep>? CameraSteps { get; init; }
    public IReadOnlyList<CentralRun>? CentralRuns { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string MachineDescription()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        var memKb = File.Exists("/proc/meminfo")
            ? long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
            : 0;
        return $"{cpu}, {Environment.ProcessorCount} cores, {memKb / 1048576.0:0.0} GiB";
    }
}

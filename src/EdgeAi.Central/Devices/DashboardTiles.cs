using System.Text.Json;
using EdgeAi.Central.Storage;

namespace EdgeAi.Central.Devices;

/// <summary>
/// Turns the devices' latest health snapshots into one tile per camera with a verdict an operator can sort by:
/// <c>unhealthy</c> (the gateway is offline or silent, the stream is not running, or frames stopped), <c>degraded</c>
/// (the stream runs but the picture is bad: any quality flag), <c>healthy</c>. Unhealthy tiles come first.
/// Health is judged here, at read time, because "no report for a while" can only be seen by the receiver.
/// </summary>
internal static class DashboardTiles
{
    /// <summary>A gateway publishes health every 10 s by default; three missed reports and a margin mean it is silent.</summary>
    public static readonly TimeSpan HealthStaleAfter = TimeSpan.FromSeconds(35);

    /// <summary>Key-frame decode delivers a frame every GOP (1-4 s); this long without one means the stream stalled.</summary>
    public const double FrameStaleAfterS = 15;

    public const string Healthy = "healthy", Degraded = "degraded", Unhealthy = "unhealthy";

    private static int Rank(string verdict) => verdict switch { Unhealthy => 0, Degraded => 1, _ => 2 };

    /// <param name="names">Camera display names from events, by (device, camera).</param>
    /// <param name="thumbnails">Newest evidence image id, by (device, camera).</param>
    public static List<DashboardTile> Build(IEnumerable<DeviceRow> devices, IReadOnlyDictionary<(string, string), string> names,
        IReadOnlyDictionary<(string, string), string> thumbnails, DateTimeOffset now)
    {
        var tiles = new List<DashboardTile>();
        foreach (var device in devices)
        {
            if (StoredJson.Parse(device.Health) is not { } health || !health.TryGetProperty("cameras", out var cameras) || cameras.ValueKind != JsonValueKind.Array) continue;
            var healthAge = device.HealthAt is { } at ? (now - UnixMs.ToTime(at)).TotalSeconds : (double?)null;
            foreach (var camera in cameras.EnumerateArray())
            {
                if (String(camera, "camera_id") is not { Length: > 0 } cameraId) continue;
                var key = (device.DeviceId, cameraId);
                var problems = new List<string>();
                var state = String(camera, "state") ?? "unknown";
                var frameAge = Number(camera, "last_frame_age_s");
                var flags = camera.TryGetProperty("quality_flags", out var f) && f.ValueKind == JsonValueKind.Array
                    ? f.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
                    : [];

                if (device.Online == 0) problems.Add("gateway offline");
                if (healthAge > HealthStaleAfter.TotalSeconds) problems.Add($"no health report for {healthAge:0} s");
                if (state != "streaming") problems.Add(String(camera, "last_error") is { Length: > 0 } error ? $"stream {state}: {error}" : $"stream {state}");
                else if (frameAge > FrameStaleAfterS) problems.Add($"no frame for {frameAge:0} s");
                var verdict = problems.Count > 0 ? Unhealthy : flags.Count > 0 ? Degraded : Healthy;
                problems.AddRange(flags.Select(flag => "video " + flag.Replace('_', ' ')));

                tiles.Add(new DashboardTile(device.DeviceId, cameraId, names.GetValueOrDefault(key, cameraId), verdict, problems, state,
                    device.Online is null ? null : device.Online != 0, healthAge is { } a ? Math.Round(a, 1) : null,
                    Number(camera, "fps_in"), Number(camera, "fps_analysed"), Long(camera, "frames_in"), Long(camera, "frames_analysed"),
                    Long(camera, "dropped"), Long(camera, "reconnects"), frameAge, Number(camera, "inference_p50_ms"), Number(camera, "inference_p99_ms"),
                    flags, camera.TryGetProperty("quality", out var q) && q.ValueKind == JsonValueKind.Object ? q.Clone() : null,
                    thumbnails.TryGetValue(key, out var evidence) ? $"/api/v1/evidence/{evidence}" : null));
            }
        }
        return tiles.OrderBy(t => Rank(t.Health)).ThenBy(t => t.DeviceId, StringComparer.Ordinal).ThenBy(t => t.CameraId, StringComparer.Ordinal).ToList();
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l) ? l : null;
}

/// <summary>One camera tile (snake_case on the wire).</summary>
/// <param name="Health">healthy, degraded or unhealthy.</param>
/// <param name="Problems">Why it is not healthy, for people: "gateway offline", "stream backoff: connection refused", "video frozen".</param>
/// <param name="Thumbnail">URL of the camera's newest evidence image (auth required); null when it has none yet.</param>
internal sealed record DashboardTile(
    string DeviceId, string CameraId, string Name, string Health, IReadOnlyList<string> Problems, string State, bool? DeviceOnline,
    double? HealthAgeS, double? FpsIn, double? FpsAnalysed, long? FramesIn, long? FramesAnalysed, long? Dropped, long? Reconnects,
    double? LastFrameAgeS, double? InferenceP50Ms, double? InferenceP99Ms, IReadOnlyList<string> QualityFlags, JsonElement? Quality, string? Thumbnail);

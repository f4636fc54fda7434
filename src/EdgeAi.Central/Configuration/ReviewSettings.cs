
namespace EdgeAi.Central.Configuration;

/// <summary>
/// Review before filing (key <c>review</c>): what happens to a new incident's case. <c>file</c> sends it to the
/// platform at once (the default), <c>hold</c> waits for an operator to confirm or dismiss it, <c>record</c> keeps it
/// without filing. The most specific policy wins: camera ("device/camera"), then grid code, then scenario, then default.
/// </summary>
internal sealed record ReviewSettings
{
    public string Default { get; init; } = ReviewPolicies.File;

    public IReadOnlyDictionary<string, string> Scenarios { get; init; } = new Dictionary<string, string>();

    /// <summary>Keyed "device_id/camera_id".</summary>
    public IReadOnlyDictionary<string, string> Cameras { get; init; } = new Dictionary<string, string>();

    /// <summary>Keyed by grid code.</summary>
    public IReadOnlyDictionary<string, string> Grids { get; init; } = new Dictionary<string, string>();

    /// <summary>A held case not reviewed within this time follows <see cref="TimeoutAction"/>. Default 30 min.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>What a review timeout does: <c>file</c> (default) or <c>dismiss</c>.</summary>
    public string TimeoutAction { get; init; } = ReviewPolicies.File;

    /// <summary>How often held cases are checked for the timeout. Default 5 s.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    public string PolicyFor(string scenario, string deviceId, string cameraId, string? gridCode) =>
        Cameras.TryGetValue($"{deviceId}/{cameraId}", out var c) ? c
        : gridCode is not null && Grids.TryGetValue(gridCode, out var g) ? g
        : Scenarios.TryGetValue(scenario, out var s) ? s
        : Default;
}

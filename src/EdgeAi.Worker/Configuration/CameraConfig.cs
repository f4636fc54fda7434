namespace EdgeAi.Worker.Configuration;

/// <summary>One camera in the worker's config file. Immutable; a reload replaces the record.</summary>
public sealed record CameraConfig
{
    /// <summary>Unique per device; used in topics, metrics and logs.</summary>
    public required string Id { get; init; }

    public string Name { get; init; } = "";

    /// <summary>RTSP URL. May carry credentials (rtsp://user:pass@host/...); they are never logged.</summary>
    public required string Url { get; init; }

    public CameraLocation Location { get; init; } = new();

    public bool Enabled { get; init; } = true;

    public DecodeOptions Decode { get; init; } = new();

    /// <summary>none (default), cuda or vaapi: passed to ffmpeg as -hwaccel.</summary>
    public Hwaccel Hwaccel { get; init; } = Hwaccel.None;

    /// <summary>Detector model id (from the config's models list) analysing this camera; default the first model.</summary>
    public string? Model { get; init; }

    /// <summary>Zones and scenario rules for this camera (see Scenarios/ScenarioConfig).</summary>
    public Scenarios.ScenarioConfig Scenarios { get; init; } = new();

    /// <summary>Keep a rolling stream-copy recording of this camera and cut an event clip from it at each episode start
    /// (device-level <c>recording</c> section). Default false.</summary>
    public bool Record { get; init; }

    /// <summary>Video quality thresholds for this camera; null (default) = the device-level <c>quality</c> section.</summary>
    public Quality.QualityOptions? Quality { get; init; }

    /// <summary>URL with any user:password replaced by "***" — the only form that may be logged.</summary>
    public string SafeUrl => RedactUrl(Url);

    public static string RedactUrl(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.IndexOf('@', scheme < 0 ? 0 : scheme + 3);
        var slash = url.IndexOf('/', scheme < 0 ? 0 : scheme + 3);
        if (scheme < 0 || at < 0 || (slash >= 0 && at > slash)) return url;
        return string.Concat(url.AsSpan(0, scheme + 3), "***@", url.AsSpan(at + 1));
    }
}

/// <param name="Gb28181Id">Optional 20-digit GB/T 28181 device id.</param>
public sealed record CameraLocation(double Lat = 0, double Lon = 0, string? Gb28181Id = null);

/// <summary>How a camera's video is decoded (<see cref="DecodeMode"/>) and sampled.</summary>
/// <param name="Fps">Mode <c>all</c>: frames per second analysed. Default 1.</param>
public sealed record DecodeOptions(DecodeMode Mode = DecodeMode.Keyframes, double Fps = 1.0)
{
    /// <summary>
    /// Key-frame mode only: analyse at most about this many key frames per second (ffmpeg <c>select</c> keeps a key
    /// frame when at least 0.9/max_fps seconds passed since the last one kept; nothing is duplicated when key frames
    /// are sparser). Null (default): every key frame. E.g. 0.5 with a 1 s GOP = one analysed frame per 2 s, half the
    /// scaling and inference work of every key frame.
    /// </summary>
    public double? MaxFps { get; init; }

    /// <summary>
    /// Key-frame mode only: the longest wanted time between analysed frames. When the camera's key frames turn out to be
    /// further apart (a "smart" H.264+/H.265+ encoder with key frames 25 s apart), the worker restarts that camera's
    /// decoder in full-decode mode sampled to one frame per this interval, and says so in health and the log. Null
    /// (default): key frames only whatever their spacing; a spacing over 10 s is then reported in health and the log.
    /// </summary>
    public TimeSpan? MaxAnalysisInterval { get; init; }

    /// <summary>No frame for this long → ffmpeg is killed and restarted. Default 20 s (several GOPs).</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Socket timeout for the RTSP connection. Default 5 s.</summary>
    public TimeSpan SocketTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

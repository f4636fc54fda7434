using System.Text.Json.Serialization;
using EdgeAi.Configuration;

namespace EdgeAi.Worker.Recording;

/// <summary>
/// The <c>recording</c> section: rolling stream-copy recording per camera (only cameras with <c>record: true</c>) and the
/// event clips cut from it. Device-wide; applies at start (a reload that changes it is applied at the next restart).
/// </summary>
public sealed record RecordingOptions
{
    /// <summary>Folder of the per-camera rings (<c>{directory}/{camera}/</c>) and of the on-box clips (<c>{directory}/clips/</c>).
    /// Default /var/lib/edgeai/recordings.</summary>
    public string Directory { get; init; } = "/var/lib/edgeai/recordings";

    /// <summary>Target segment length: ffmpeg starts a new segment at the first key frame after this long, so a segment
    /// is max(this, GOP) long. Default 1 s (one segment per GOP on most cameras; clip edges within a GOP). File key
    /// <c>segment_s</c> (seconds).</summary>
    [JsonPropertyName("segment_s"), JsonConverter(typeof(SecondsJsonConverter))]
    public TimeSpan SegmentLength { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Video each camera's ring keeps (oldest segments deleted). Default 60 s; at least
    /// <see cref="ClipPreRoll"/> + <see cref="ClipPostRoll"/> + 10 s so a clip's pre-roll is still there when its post-roll
    /// is. File key <c>ring_s</c> (seconds).</summary>
    [JsonPropertyName("ring_s"), JsonConverter(typeof(SecondsJsonConverter))]
    public TimeSpan RingLength { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Bytes each camera's ring may hold (oldest segments deleted first, whatever their age). Default 256 MiB
    /// (60 s of a 16 Mbit/s stream with room to spare).</summary>
    public long RingMaxBytes { get; init; } = 256L << 20;

    /// <summary>Video before the episode start in its clip. Default 10 s. File key <c>clip_pre_s</c> (seconds).</summary>
    [JsonPropertyName("clip_pre_s"), JsonConverter(typeof(SecondsJsonConverter))]
    public TimeSpan ClipPreRoll { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Video after the episode start in its clip. Default 20 s. File key <c>clip_post_s</c> (seconds).</summary>
    [JsonPropertyName("clip_post_s"), JsonConverter(typeof(SecondsJsonConverter))]
    public TimeSpan ClipPostRoll { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// <c>on_device</c> (default): the stream-copied clip stays on the box (it shows passers-by unblurred); the event carries
    /// its reference with delivery on_device and Central fetches it with a <c>fetch_evidence</c> command.
    /// <c>blurred</c>: a copy re-encoded at most <see cref="BlurredMaxWidth"/> wide and <see cref="BlurredFps"/>, persons
    /// blurred (<see cref="ClipBlurrer"/>), is attached through the outbox like a snapshot; the original stays on the box too.
    /// </summary>
    public ClipDelivery Delivery { get; init; } = ClipDelivery.OnDevice;

    /// <summary>Blurred clips: widest picture in pixels (height follows the aspect ratio). Default 640.</summary>
    public int BlurredMaxWidth { get; init; } = 640;

    /// <summary>Blurred clips: frames per second of the re-encoded clip (also the rate persons are detected at). Default 5.</summary>
    public double BlurredFps { get; init; } = 5;

    /// <summary>On-box clips: total bytes kept (oldest deleted beyond it). Default 4 GiB.</summary>
    public long ClipStoreMaxBytes { get; init; } = 4L << 30;

    /// <summary>On-box clips: how long a clip is kept (Central fetches it within this time or it is gone). Default 7 days.
    /// File key <c>clip_store_max_age_hours</c> (hours).</summary>
    [JsonPropertyName("clip_store_max_age_hours"), JsonConverter(typeof(HoursJsonConverter))]
    public TimeSpan ClipStoreMaxAge { get; init; } = TimeSpan.FromHours(168);

    /// <summary>Returns every problem (empty when valid), each as "key: reason" under <paramref name="path"/>.</summary>
    public IReadOnlyList<(string Path, string Reason)> Validate(string path = "recording")
    {
        var errors = new List<(string, string)>();
        void Add(string key, string reason) => errors.Add(($"{path}.{key}", reason));
        if (string.IsNullOrWhiteSpace(Directory)) Add("directory", "must not be empty");
        else if (Directory.IndexOfAny(SegmentRing.TeeSpecial.ToCharArray()) >= 0) Add("directory", $"'{Directory}' must not contain any of {SegmentRing.TeeSpecial} (ffmpeg's tee syntax)");
        static bool Within(TimeSpan value, double min, double max) => value >= TimeSpan.FromSeconds(min) && value <= TimeSpan.FromSeconds(max);
        if (!Within(SegmentLength, 0.5, 10)) Add("segment_s", $"{SegmentLength.TotalSeconds} must be between 0.5 and 10 seconds");
        if (!Within(ClipPreRoll, 0, 120)) Add("clip_pre_s", $"{ClipPreRoll.TotalSeconds} must be between 0 and 120 seconds");
        if (!Within(ClipPostRoll, 1, 300)) Add("clip_post_s", $"{ClipPostRoll.TotalSeconds} must be between 1 and 300 seconds");
        var minRing = ClipPreRoll + ClipPostRoll + TimeSpan.FromSeconds(10);
        if (RingLength > TimeSpan.FromSeconds(3600)) Add("ring_s", $"{RingLength.TotalSeconds} must be at most 3600 seconds");
        else if (RingLength < minRing) Add("ring_s", $"{RingLength.TotalSeconds} must be at least clip_pre_s + clip_post_s + 10 = {minRing.TotalSeconds} seconds (the pre-roll must outlive the post-roll)");
        if (RingMaxBytes < 1 << 20) Add("ring_max_bytes", $"{RingMaxBytes} is below the minimum of 1 MiB (1048576)");
        if (BlurredMaxWidth is < 64 or > 1920) Add("blurred_max_width", $"{BlurredMaxWidth} must be between 64 and 1920 pixels");
        if (!(BlurredFps is >= 1 and <= 15)) Add("blurred_fps", $"{BlurredFps} must be between 1 and 15");
        if (ClipStoreMaxBytes < 1 << 20) Add("clip_store_max_bytes", $"{ClipStoreMaxBytes} is below the minimum of 1 MiB (1048576)");
        if (ClipStoreMaxAge <= TimeSpan.Zero || ClipStoreMaxAge > TimeSpan.FromDays(365)) Add("clip_store_max_age_hours", $"{ClipStoreMaxAge.TotalHours} must be in (0, 8760]");
        return errors;
    }
}

namespace EdgeAi.Worker.Evidence;

/// <summary>Where evidence files are kept and for how long.</summary>
public sealed record EvidenceStoreOptions
{
    /// <summary>Folder of the evidence files (created if missing). Default /var/lib/edgeai/evidence.</summary>
    public string Directory { get; init; } = "/var/lib/edgeai/evidence";

    /// <summary>Total size cap; the oldest files are deleted beyond it. Default 2 GiB.</summary>
    public long MaxBytes { get; init; } = 2L << 30;

    /// <summary>Files older than this are deleted. Default 7 days.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Snapshots, crops and after-photos at the camera's own resolution: each camera's ffmpeg also writes the analysed
    /// frames as JPEGs to a small ring in RAM (the same frames, split after the frame selection), and evidence is drawn on
    /// the one the event was decided on. Off: drawn on the model-input frame (e.g. 320x180). Default true.
    /// </summary>
    public bool FullResolution { get; init; } = true;

    /// <summary>
    /// Detection classes blurred in snapshots, crops, after-photos and blurred clips when the rule's privacy blur is on
    /// (the model's labels after its class map). Default ["person"]; add e.g. "face" and "license_plate" when a model
    /// provides them.
    /// </summary>
    public IReadOnlyList<string> BlurClasses { get; init; } = ["person"];

    /// <summary>Returns every problem (empty when valid), each prefixed with <paramref name="path"/>.</summary>
    public IReadOnlyList<string> Validate(string path = "evidence.store")
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Directory)) errors.Add($"{path}.directory: is required");
        if (MaxBytes < 1) errors.Add($"{path}.maxBytes: must be positive (was {MaxBytes})");
        if (MaxAge <= TimeSpan.Zero) errors.Add($"{path}.maxAge: must be positive (was {MaxAge})");
        if (BlurClasses is null || BlurClasses.Any(string.IsNullOrWhiteSpace)) errors.Add($"{path}.blurClasses: class names must not be empty");
        return errors;
    }
}

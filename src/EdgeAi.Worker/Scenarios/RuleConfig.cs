namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// Settings every scenario rule has. A rule runs once per zone it applies to: the zones listed in
/// <see cref="Zones"/> or, when that is empty, every zone whose type is in <see cref="ZoneTypes"/>; each
/// (rule, zone) pair has its own episode lifecycle.
/// </summary>
public abstract record RuleConfig
{
    /// <summary>Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Rule name on the wire (RuleEvaluation.Name); null = the rule's default, e.g. "crowding.min_persons".</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Ids of the models (the config's <c>models</c>) whose detections this rule needs, e.g. a COCO model for persons and a
    /// litter model; each frame of the camera runs every model its active rules name. Empty (default): the camera's model.
    /// The rule's classes are the models' labels after each model's <c>class_map</c>.
    /// </summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>Detections below this confidence are ignored by the rule. Default 0.4.</summary>
    public double MinConfidence { get; init; } = 0.4;

    /// <summary>The condition may lapse this long (object briefly lost or occluded) without ending or resetting anything. Default 10 s.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Analysed frames further apart than this are not taken as continuous presence: a pending condition restarts its
    /// clock and a running episode ends at the last frame that saw it. Guards against cameras analysed rarely (a long-GOP
    /// camera in key-frame mode: two positive frames 25 s apart are not 25 s of presence). Default 20 s.
    /// </summary>
    public TimeSpan MaxFrameGap { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>After an episode ends, no new episode starts in the same zone for this long. Default 60 s.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>While an episode is active, an "updated" event is emitted at most this often. Default 30 s.</summary>
    public TimeSpan UpdateInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Zone types the rule applies to when <see cref="Zones"/> is empty; each rule has its own default.</summary>
    public IReadOnlyList<string> ZoneTypes { get; init; } = [];

    /// <summary>Zone ids the rule applies to, regardless of type; empty (default) = by <see cref="ZoneTypes"/>.</summary>
    public IReadOnlyList<string> Zones { get; init; } = [];

    /// <summary>Only confirmed tracks count (filters one-frame false positives). Default true.</summary>
    public bool ConfirmedTracksOnly { get; init; } = true;

    /// <summary>
    /// Blur every person in view on this rule's evidence (snapshot and crop). Default true for every rule: persons near
    /// litter, a pothole or a crowd are bystanders, and evidence is minimised unless the operator turns this off for a
    /// rule where the platform's legal basis covers identifying persons (e.g. fishing-ban enforcement).
    /// </summary>
    public bool PrivacyBlur { get; init; } = true;
}

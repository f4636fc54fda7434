using EdgeAi.Worker.Tracking;

namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// Scenario analytics of one camera: zones plus one <see cref="ZoneRule"/> per (rule, zone) it applies to. Feed it
/// every analysed frame's tracked objects in capture order; it returns the episode events that frame produced.
/// The frames' capture times are the clock (durations, grace, cooldown, update interval), so clips may be analysed
/// faster than real time. Not thread-safe: one instance per camera, called from that camera's analytics stage.
/// Allocates only when an event is emitted.
/// </summary>
internal sealed class ScenarioEngine
{
    private readonly Zone[] _zones;
    private readonly ZoneRule[] _rules;
    private readonly ScenarioFrame _frame = new();
    private readonly List<EpisodeEvent> _events = new(4);
    private long _lastTicks = long.MinValue;
    private int _lastWidth;
    private int _lastHeight;

    /// <summary>Builds the rules for one camera; throws <see cref="ArgumentException"/> listing every config error.</summary>
    public ScenarioEngine(string cameraId, ScenarioConfig config)
    {
        ArgumentException.ThrowIfNullOrEmpty(cameraId);
        var errors = ScenarioConfigValidator.Validate(config);
        if (errors.Count > 0) throw new ArgumentException($"camera {cameraId}: invalid scenario config: {string.Join("; ", errors)}", nameof(config));
        CameraId = cameraId;
        _zones = new Zone[config.Zones.Count];
        var rules = new List<ZoneRule>();
        for (var i = 0; i < _zones.Length; i++)
        {
            var zc = config.Zones[i];
            var zone = _zones[i] = new Zone(zc, i);
            if (Applies(config.Litter, zc.Litter, zone) is LitterRuleConfig litter) rules.Add(new LitterRule(litter, zone));
            if (Applies(config.RoadCollapse, zc.RoadCollapse, zone) is RoadCollapseRuleConfig road) rules.Add(new RoadCollapseRule(road, zone));
            if (Applies(config.IllegalFishing, zc.IllegalFishing, zone) is IllegalFishingRuleConfig fishing) rules.Add(new IllegalFishingRule(fishing, zone));
            if (Applies(config.Crowding, zc.Crowding, zone) is CrowdingRuleConfig crowding) rules.Add(new CrowdingRule(crowding, zone));
        }
        _rules = rules.ToArray();
    }

    public string CameraId { get; }

    public IReadOnlyList<Zone> Zones => _zones;

    /// <summary>Every (rule, zone) pair the engine evaluates, in evaluation order.</summary>
    public IReadOnlyList<ZoneRule> Rules => _rules;

    /// <summary>Episodes currently running.</summary>
    public int ActiveEpisodes
    {
        get
        {
            var n = 0;
            foreach (var r in _rules) if (r.IsActive) n++;
            return n;
        }
    }

    /// <summary>
    /// Evaluates one analysed frame. <paramref name="objects"/> are the tracker's output for this frame (boxes
    /// normalised to the source frame); the list is not kept. A capture time earlier than the previous frame's is
    /// treated as equal to it.
    /// </summary>
    public ScenarioFrameResult Process(DateTimeOffset captureTime, int frameWidth, int frameHeight, IReadOnlyList<TrackedObject> objects)
    {
        var ticks = captureTime.UtcTicks;
        if (ticks < _lastTicks)
        {
            ticks = _lastTicks;
            captureTime = new DateTimeOffset(ticks, TimeSpan.Zero);
        }
        _lastTicks = ticks;
        _lastWidth = frameWidth;
        _lastHeight = frameHeight;
        _frame.Set(captureTime, ticks, frameWidth, frameHeight, objects, _zones);
        _events.Clear();
        foreach (var rule in _rules) rule.Process(_frame, CameraId, _events);
        return Collect();
    }

    /// <summary>Ends every running episode at <paramref name="time"/> (shutdown, end of a clip, camera removed).</summary>
    public ScenarioFrameResult EndAll(DateTimeOffset time)
    {
        var ticks = Math.Max(time.UtcTicks, _lastTicks);
        _frame.Set(new DateTimeOffset(ticks, TimeSpan.Zero), ticks, _lastWidth, _lastHeight, [], _zones);
        _events.Clear();
        foreach (var rule in _rules) rule.End(_frame, CameraId, _events);
        return Collect();
    }

    private ScenarioFrameResult Collect()
    {
        if (_events.Count == 0) return ScenarioFrameResult.None;
        var evidence = false;
        foreach (var e in _events) evidence |= e.WantsEvidence;
        return new ScenarioFrameResult(_events.ToArray(), evidence);
    }

    /// <summary>The zone's own rule if it has one (enabled or not), else the camera's when it targets this zone.</summary>
    private static RuleConfig? Applies(RuleConfig camera, RuleConfig? zoneOverride, Zone zone)
    {
        if (zoneOverride is not null) return zoneOverride.Enabled ? zoneOverride : null;
        if (!camera.Enabled) return null;
        var targeted = camera.Zones is { Count: > 0 } ids ? ids.Contains(zone.Id) : camera.ZoneTypes?.Contains(zone.Type) == true;
        return targeted ? camera : null;
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeAi.Models.Events;
using EdgeAi.Worker.Tracking;

namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// One rule watching one zone, with the episode lifecycle every rule shares. Per frame the rule says whether its
/// condition <em>qualifies</em> (enough to start an episode) or merely <em>sustains</em> one already running.
/// <list type="bullet">
/// <item>Idle: the condition must hold for <see cref="MinDuration"/> and <see cref="MinFrames"/> frames (lapses up to
/// the grace period do not reset the clock) and the cooldown must be over → <c>started</c>.</item>
/// <item>Active: <c>updated</c> at most every update interval while it holds; once it has not held for longer than
/// the grace period → <c>ended</c>, and the cooldown begins.</item>
/// </list>
/// Frames further apart than the rule's max frame gap break continuity: the pending clock restarts and a running
/// episode ends (its duration up to the last frame that saw the condition).
/// Time is the frames' capture time, so a clip analysed faster than real time behaves as it would live.
/// Not thread-safe; owned by one <see cref="ScenarioEngine"/>.
/// </summary>
internal abstract class ZoneRule
{
    private const long None = long.MinValue;

    private readonly long _graceTicks;
    private readonly long _cooldownTicks;
    private readonly long _updateTicks;
    private readonly long _maxGapTicks;
    private readonly string[] _measuredNames;
    private readonly double[] _measured;
    private readonly double[] _lastMeasured;
    private readonly List<TrackedObject> _involved = new(16);
    private readonly List<TrackedObject> _lastInvolved = new(16);
    private IReadOnlyDictionary<string, double>? _parameters;   // built on the first event (needs the derived rule)

    private long _pendingSince = None;
    private long _lastTrue = None;
    private long _lastFrame = None;
    private int _frames;
    private long _cooldownUntil = None;
    private long _lastEmit;
    private DateTimeOffset _startedTime;
    private Guid _episodeId;

    protected ZoneRule(string scenario, string defaultName, RuleConfig config, Zone zone, string[] measuredNames)
    {
        Scenario = scenario;
        Name = config.Name ?? defaultName;
        Config = config;
        Zone = zone;
        _graceTicks = config.GracePeriod.Ticks;
        _cooldownTicks = config.Cooldown.Ticks;
        _updateTicks = config.UpdateInterval.Ticks;
        _maxGapTicks = config.MaxFrameGap.Ticks;
        _measuredNames = measuredNames;
        _measured = new double[measuredNames.Length];
        _lastMeasured = new double[measuredNames.Length];
    }

    /// <summary>Wire scenario name (<see cref="EdgeAi.Models.Events.Scenarios"/>).</summary>
    public string Scenario { get; }

    /// <summary>Rule name on the wire.</summary>
    public string Name { get; }

    public RuleConfig Config { get; }

    public Zone Zone { get; }

    /// <summary>An episode is running (started, not yet ended).</summary>
    public bool IsActive { get; private set; }

    /// <summary>Id of the running episode; <see cref="Guid.Empty"/> when none.</summary>
    public Guid EpisodeId => IsActive ? _episodeId : Guid.Empty;

    /// <summary>Objects the rule involved in the last processed frame (read on the camera's analytics loop only).</summary>
    internal IReadOnlyList<TrackedObject> InvolvedNow => _involved;

    /// <summary>How long the condition must hold before an episode starts (rule's own duration threshold).</summary>
    protected virtual TimeSpan MinDuration => TimeSpan.Zero;

    /// <summary>In how many analysed frames the condition must hold before an episode starts.</summary>
    protected virtual int MinFrames => 1;

    /// <summary>Objects the rule involves this frame; cleared by the base before <see cref="Evaluate"/>.</summary>
    protected List<TrackedObject> Involved => _involved;

    /// <summary>This frame's measured values, one per measured name; cleared by the base before <see cref="Evaluate"/>.</summary>
    protected Span<double> Measured => _measured;

    /// <summary>Fills <see cref="Involved"/> and <see cref="Measured"/> and decides the condition for this frame.</summary>
    /// <param name="qualifies">The condition that (held long enough) starts an episode.</param>
    /// <param name="sustains">A weaker condition that keeps a running episode alive (implied by qualifies).</param>
    protected abstract void Evaluate(ScenarioFrame frame, out bool qualifies, out bool sustains);

    /// <summary>Adds the rule's thresholds (snake_case, seconds for durations) to the parameters on the wire.</summary>
    protected abstract void AddParameters(Dictionary<string, double> parameters);

    /// <summary>Advances the lifecycle by one frame; events go to <paramref name="sink"/>.</summary>
    public void Process(ScenarioFrame frame, string cameraId, List<EpisodeEvent> sink)
    {
        _involved.Clear();
        Array.Clear(_measured);
        Evaluate(frame, out var qualifies, out var sustains);
        var t = frame.Ticks;
        if (_lastFrame != None && t - _lastFrame > _maxGapTicks)
        {
            // Nothing is known about the time between the two frames: presence is not assumed to have continued.
            if (IsActive) End(frame, cameraId, sink);
            _pendingSince = None;
        }
        _lastFrame = t;
        var holds = qualifies || (IsActive && sustains);
        if (holds)
        {
            _lastTrue = t;
            _lastInvolved.Clear();
            _lastInvolved.AddRange(_involved);
            _measured.CopyTo(_lastMeasured, 0);
        }

        if (IsActive)
        {
            if (holds)
            {
                _frames++;
                if (t - _lastEmit >= _updateTicks)
                {
                    _lastEmit = t;
                    sink.Add(Emit(EventType.Updated, frame, cameraId, t - _pendingSince, _measured, _involved));
                }
            }
            else if (t - _lastTrue > _graceTicks)
            {
                End(frame, cameraId, sink);
            }
            return;
        }

        if (holds)
        {
            if (_pendingSince == None)
            {
                _pendingSince = t;
                _frames = 0;
            }
            _frames++;
            if (t - _pendingSince >= MinDuration.Ticks && _frames >= MinFrames && (_cooldownUntil == None || t >= _cooldownUntil))
            {
                IsActive = true;
                _episodeId = Guid.CreateVersion7(frame.Time);
                _startedTime = frame.Time;
                _lastEmit = t;
                sink.Add(Emit(EventType.Started, frame, cameraId, t - _pendingSince, _measured, _involved));
            }
        }
        else if (_pendingSince != None && t - _lastTrue > _graceTicks)
        {
            _pendingSince = None;
        }
    }

    /// <summary>Ends a running episode now (shutdown, end of clip, camera removed); no-op when idle.</summary>
    public void End(ScenarioFrame frame, string cameraId, List<EpisodeEvent> sink)
    {
        if (!IsActive) return;
        Debug.Assert(_pendingSince != None);
        sink.Add(Emit(EventType.Ended, frame, cameraId, _lastTrue - _pendingSince, _lastMeasured, _lastInvolved));
        IsActive = false;
        _cooldownUntil = frame.Ticks + _cooldownTicks;
        _pendingSince = None;
    }

    private EpisodeEvent Emit(EventType type, ScenarioFrame frame, string cameraId, long durationTicks, double[] measured, List<TrackedObject> objects)
    {
        var values = new Dictionary<string, double>(measured.Length + 2, StringComparer.Ordinal);
        for (var i = 0; i < measured.Length; i++) values[_measuredNames[i]] = measured[i];
        values["duration_s"] = Math.Round(durationTicks / (double)TimeSpan.TicksPerSecond, 3);
        values["frames"] = _frames;
        _parameters ??= BuildParameters();
        var involved = CollectionsMarshal.AsSpan(objects).ToArray();
        return new EpisodeEvent(type, _episodeId, cameraId, Scenario, Zone, new RuleEvaluation(Name, _parameters, values), involved,
            frame.Time, frame.Width, frame.Height, _startedTime, Config.PrivacyBlur);
    }

    private Dictionary<string, double> BuildParameters()
    {
        var parameters = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["min_confidence"] = Config.MinConfidence,
            ["grace_s"] = Config.GracePeriod.TotalSeconds,
            ["cooldown_s"] = Config.Cooldown.TotalSeconds,
        };
        AddParameters(parameters);
        return parameters;
    }

    /// <summary>Is the object usable by this rule at all (confidence, confirmation, class)?</summary>
    protected bool Eligible(in TrackedObject o, HashSet<string> classes, double minConfidence) =>
        o.Confidence >= minConfidence && (o.IsConfirmed || !Config.ConfirmedTracksOnly) && classes.Contains(o.Label);

    protected static HashSet<string> ClassSet(IReadOnlyList<string>? labels) => new(labels ?? [], StringComparer.Ordinal);
}

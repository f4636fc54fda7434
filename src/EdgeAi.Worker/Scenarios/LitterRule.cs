using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Tracking;
using WireScenarios = EdgeAi.Models.Events.Scenarios;

namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// Litter in one zone (see <see cref="LitterRuleConfig"/>). Each litter track has a stationary clock: it runs while
/// the object stays within the tolerance of where it settled, pauses while a moving person overlaps it (carried),
/// and restarts when it moves. One item whose clock reached the threshold qualifies; once running, the episode is
/// sustained by any litter item at rest in the zone, so a track id change of the same object does not end it.
/// <para>
/// Scene baseline: whatever lies at rest in the zone during the rule's first <see cref="LitterRuleConfig.SceneWarmup"/>
/// (a bin, a stone, a pile that was there before the camera was watching) is remembered as part of the scene and never
/// counted as dropped, because the rule cannot know when it got there; an item that later moves away from its place is
/// judged like any other, and a place seen empty for longer than a lost item is remembered (45 s by default) is
/// forgotten. A warm-up of zero turns this off.
/// </para>
/// </summary>
internal sealed class LitterRule : ZoneRule
{
    private static readonly string[] MeasuredNames = ["items", "stationary_s", "max_confidence", "scene_items"];

    private readonly LitterRuleConfig _config;
    private readonly HashSet<string> _classes;
    private readonly HashSet<string> _persons;
    private readonly Dictionary<long, Item> _items = new();
    private readonly List<TrackedObject> _resting = new(8);
    private readonly List<SceneItem> _scene = new(4);
    private readonly long _graceTicks;
    private readonly long _minStationaryTicks;
    private readonly long _forgetTicks;
    private readonly long _warmupTicks;
    private long? _firstTicks;

    public LitterRule(LitterRuleConfig config, Zone zone)
        : base(WireScenarios.Litter, "litter.stationary", config, zone, MeasuredNames)
    {
        _config = config;
        _classes = ClassSet(config.Classes);
        _persons = ClassSet(config.PersonClasses);
        _graceTicks = config.GracePeriod.Ticks;
        _minStationaryTicks = config.MinStationary.Ticks;
        _forgetTicks = Math.Max(config.GracePeriod.Ticks, config.MinStationary.Ticks) + TimeSpan.TicksPerSecond * 30;
        _warmupTicks = config.SceneWarmup > TimeSpan.Zero ? config.SceneWarmup.Ticks : -1;   // 0: no scene baseline
    }

    protected override void AddParameters(Dictionary<string, double> parameters)
    {
        parameters["min_stationary_s"] = _config.MinStationary.TotalSeconds;
        parameters["stationary_tolerance"] = _config.StationaryTolerance;
    }

    protected override void Evaluate(ScenarioFrame frame, out bool qualifies, out bool sustains)
    {
        var t = frame.Ticks;
        var objects = frame.Objects;
        var tolerance = (float)_config.StationaryTolerance;
        int items = 0;
        long maxStationary = 0;
        double maxConfidence = 0;
        _resting.Clear();
        _firstTicks ??= t;
        if (_warmupTicks >= 0) TrackScene(frame, learning: t - _firstTicks.Value <= _warmupTicks);
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            if (!Eligible(o, _classes, _config.MinConfidence) || !frame.InZone(i, Zone.Index)) continue;
            var item = ItemFor(o, t);
            var box = o.Box;
            var moved = MathF.Abs(box.CenterX - item.AnchorX) > tolerance * MathF.Max(box.Width, 1e-4f)
                || MathF.Abs(box.CenterY - item.AnchorY) > tolerance * MathF.Max(box.Height, 1e-4f);
            if (moved)
            {
                item.AnchorX = box.CenterX;
                item.AnchorY = box.CenterY;
                item.StationaryTicks = 0;
            }
            else if (!(_config.SuppressNearMovingPerson && OverlapsMovingPerson(objects, box)))
            {
                item.StationaryTicks += Math.Min(t - item.LastSeen, _graceTicks);
            }
            item.LastSeen = t;
            item.LastBox = box;
            item.Frames++;

            if (InScene(box)) continue;   // lay there before the rule was watching: part of the scene
            if (item.StationaryTicks >= _minStationaryTicks)
            {
                items++;
                maxStationary = Math.Max(maxStationary, item.StationaryTicks);
                maxConfidence = Math.Max(maxConfidence, o.Confidence);
                Involved.Add(o);
            }
            else if (!moved && item.Frames >= 2)
            {
                _resting.Add(o);
            }
        }

        foreach (var (id, item) in _items)
            if (t - item.LastSeen > _forgetTicks) _items.Remove(id);

        qualifies = items > 0;
        sustains = qualifies || _resting.Count > 0;
        if (!qualifies) Involved.AddRange(_resting);
        Measured[0] = items;
        Measured[1] = Math.Round(maxStationary / (double)TimeSpan.TicksPerSecond, 3);
        Measured[2] = Math.Round(maxConfidence, 4);
        Measured[3] = _scene.Count;   // places remembered as part of the scene now
    }

    /// <summary>
    /// The item state of a track; a new track adopts the state of an item not seen this frame at the same place
    /// (the tracker lost the object and found it again under a new id), so its stationary clock carries over.
    /// </summary>
    private Item ItemFor(in TrackedObject o, long t)
    {
        if (_items.TryGetValue(o.TrackId, out var item)) return item;
        long adoptId = 0;
        float best = 0.3f;
        foreach (var (id, candidate) in _items)
        {
            if (candidate.LastSeen >= t) continue;
            var iou = candidate.LastBox.IoU(o.Box);
            if (iou >= best) { best = iou; adoptId = id; item = candidate; }
        }
        if (item is not null) _items.Remove(adoptId);
        else item = new Item { AnchorX = o.Box.CenterX, AnchorY = o.Box.CenterY, LastSeen = t, LastBox = o.Box };
        _items[o.TrackId] = item;
        return item;
    }

    /// <summary>
    /// Keeps the scene baseline. During the warm-up every litter-class object lying in the zone is remembered, at any
    /// confidence the detector reports (a fixture scored just under the threshold now may score just over it later),
    /// except those a person overlaps (an item in someone's hand is not part of the scene). Afterwards a remembered
    /// place stays part of the scene while something is still seen there; once it has been seen empty for as long as
    /// a lost item is remembered (the grace period or min_stationary, whichever is longer, plus 30 s: 45 s by default;
    /// a fixture scored around the threshold can drop out for 15–20 s) it is forgotten, so litter dropped there later
    /// is judged like any other.
    /// </summary>
    private void TrackScene(ScenarioFrame frame, bool learning)
    {
        var objects = frame.Objects;
        var t = frame.Ticks;
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            if (!_classes.Contains(o.Label) || !frame.InZone(i, Zone.Index)) continue;
            if (SceneAt(o.Box) is { } known) known.LastSeen = t;
            else if (learning && !OverlapsPerson(objects, o.Box, movingOnly: false)) _scene.Add(new SceneItem(o.Box, t));
        }
        for (var k = _scene.Count - 1; k >= 0; k--)
        {
            var place = _scene[k];
            if (t - place.LastSeen <= _forgetTicks) continue;
            _scene.RemoveAt(k);
            // and the item state of what lay there, so something put there later starts its own stationary clock
            foreach (var (id, item) in _items)
                if (Near(item.LastBox, place.Box)) _items.Remove(id);
        }
    }

    private bool InScene(in BoxF box) => SceneAt(box) is not null;

    /// <summary>The scene item lying where this box is.</summary>
    private SceneItem? SceneAt(in BoxF box)
    {
        foreach (var s in _scene)
            if (Near(box, s.Box)) return s;
        return null;
    }

    /// <summary>Two boxes at the same place: centres within the stationary tolerance of the larger box, as for "at rest".</summary>
    private bool Near(in BoxF a, in BoxF b)
    {
        var tolerance = (float)_config.StationaryTolerance;
        return MathF.Abs(a.CenterX - b.CenterX) <= tolerance * MathF.Max(MathF.Max(a.Width, b.Width), 1e-4f)
            && MathF.Abs(a.CenterY - b.CenterY) <= tolerance * MathF.Max(MathF.Max(a.Height, b.Height), 1e-4f);
    }

    private bool OverlapsMovingPerson(IReadOnlyList<TrackedObject> objects, in BoxF box) => OverlapsPerson(objects, box, movingOnly: true);

    private bool OverlapsPerson(IReadOnlyList<TrackedObject> objects, in BoxF box, bool movingOnly)
    {
        var area = box.Area;
        if (area <= 0) return false;
        for (var j = 0; j < objects.Count; j++)
        {
            var p = objects[j];
            if ((movingOnly && p.RelativeDisplacement < _config.MovingPersonDisplacement) || !_persons.Contains(p.Label)) continue;
            var grow = p.Box.Width * 0.1f;
            var iw = MathF.Min(box.X2, p.Box.X2 + grow) - MathF.Max(box.X1, p.Box.X1 - grow);
            var ih = MathF.Min(box.Y2, p.Box.Y2) - MathF.Max(box.Y1, p.Box.Y1);
            if (iw > 0 && ih > 0 && iw * ih >= 0.3f * area) return true;
        }
        return false;
    }

    private sealed class SceneItem(BoxF box, long lastSeen)
    {
        public readonly BoxF Box = box;
        public long LastSeen = lastSeen;
    }

    private sealed class Item
    {
        public float AnchorX;
        public float AnchorY;
        public long StationaryTicks;
        public long LastSeen;
        public BoxF LastBox;
        public int Frames;
    }
}

using EdgeAi.Worker.Tracking;

namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// The analysed frame as the rules see it: time, size, tracked objects and each object's zone membership
/// (a bit per zone). One instance per engine, refilled every frame.
/// </summary>
internal sealed class ScenarioFrame
{
    private ulong[] _zoneMasks = new ulong[64];

    public DateTimeOffset Time { get; private set; }

    /// <summary><see cref="Time"/> as UTC ticks.</summary>
    public long Ticks { get; private set; }

    public int Width { get; private set; }
    public int Height { get; private set; }
    public IReadOnlyList<TrackedObject> Objects { get; private set; } = [];

    /// <summary>Is object <paramref name="objectIndex"/> (its bottom-centre) inside zone <paramref name="zoneIndex"/>?</summary>
    public bool InZone(int objectIndex, int zoneIndex) => ((_zoneMasks[objectIndex] >> zoneIndex) & 1UL) != 0;

    public void Set(DateTimeOffset time, long ticks, int width, int height, IReadOnlyList<TrackedObject> objects, IReadOnlyList<Zone> zones)
    {
        Time = time;
        Ticks = ticks;
        Width = width;
        Height = height;
        Objects = objects;
        if (_zoneMasks.Length < objects.Count) _zoneMasks = new ulong[Math.Max(objects.Count, _zoneMasks.Length * 2)];
        for (var i = 0; i < objects.Count; i++)
        {
            var box = objects[i].Box;
            ulong mask = 0;
            for (var z = 0; z < zones.Count; z++)
                if (zones[z].Contains(box)) mask |= 1UL << z;
            _zoneMasks[i] = mask;
        }
    }
}

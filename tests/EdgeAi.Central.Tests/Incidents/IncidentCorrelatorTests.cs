using System.Diagnostics;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Incidents;
using EdgeAi.Central.Storage;
using Xunit.Abstractions;

namespace EdgeAi.Central.Tests.Incidents;

public sealed class IncidentCorrelatorTests(ITestOutputHelper output)
{
    private static readonly ScenarioCorrelation P = new(TimeSpan.FromMinutes(10), 0.3, 100, TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30));
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly List<IncidentSnapshot> _scratch = [];

    private static IncidentSnapshot Incident(double lat, double lon, string device = "d1", string camera = "c1", Box? box = null, DateTimeOffset? seen = null)
    {
        var t = seen ?? T0;
        var s = new IncidentSnapshot { Id = Guid.NewGuid(), Scenario = "crowding", ZoneId = "z", Lat = lat, Lon = lon, FirstSeen = t, LastSeen = t, CreatedAt = t };
        s.Cameras.Add(new CameraTrack { DeviceId = device, CameraId = camera, Lat = lat, Lon = lon, ZoneId = "z", LastBox = box ?? new Box(0.4, 0.4, 0.6, 0.6), FirstSeen = t, LastSeen = t });
        return s;
    }

    private CorrelationMatch Find(IncidentIndex idx, string device, string camera, (double Lat, double Lon) at, Box? box, DateTimeOffset time) =>
        IncidentCorrelator.Find(idx, P, new CorrelationProbe(device, camera, at.Lat, at.Lon, box, time), _scratch);

    [Fact]
    public void Find_OtherCameraWithinRadius_JoinsNearby()
    {
        var idx = new IncidentIndex("crowding", P.RadiusMetres);
        var inc = Incident(31.23, 121.47);
        idx.Put(inc);
        var m = Find(idx, "d2", "c9", Geo.Offset(31.23, 121.47, 20, 0), null, T0.AddMinutes(1));
        Assert.Same(inc, m.Incident);
        Assert.Equal(CorrelationReason.NearbyCamera, m.Reason);
    }

    [Theory]
    [InlineData(150, 0)]
    [InlineData(0, 2000)]
    public void Find_OtherCameraBeyondRadius_New(double north, double east)
    {
        var idx = new IncidentIndex("crowding", P.RadiusMetres);
        idx.Put(Incident(31.23, 121.47));
        Assert.Null(Find(idx, "d2", "c9", Geo.Offset(31.23, 121.47, north, east), null, T0).Incident);
    }

    [Fact]
    public void Find_SameCameraOverlapBelowThreshold_New()
    {
        var idx = new IncidentIndex("crowding", P.RadiusMetres);
        idx.Put(Incident(31.23, 121.47, box: new Box(0, 0, 0.2, 0.2)));
        Assert.Null(Find(idx, "d1", "c1", (31.23, 121.47), new Box(0.15, 0.15, 0.35, 0.35), T0).Incident);
        Assert.Equal(CorrelationReason.SameCameraOverlap, Find(idx, "d1", "c1", (31.23, 121.47), new Box(0.02, 0.02, 0.22, 0.22), T0).Reason);
    }

    [Fact]
    public void Find_AfterWindow_New()
    {
        var idx = new IncidentIndex("crowding", P.RadiusMetres);
        idx.Put(Incident(31.23, 121.47));
        Assert.Null(Find(idx, "d2", "c2", (31.23, 121.47), null, T0 + P.Window + TimeSpan.FromSeconds(1)).Incident);
    }

    [Fact]
    public void Find_ClosedWithinCooldown_AttachedAndAfterCooldown_New()
    {
        var idx = new IncidentIndex("crowding", P.RadiusMetres);
        var inc = Incident(31.23, 121.47);
        inc.State = IncidentState.Closed;
        inc.ClosedAt = T0.AddMinutes(1);
        idx.Put(inc);
        Assert.Equal(CorrelationReason.Cooldown, Find(idx, "d2", "c2", (31.23, 121.47), null, T0.AddMinutes(5)).Reason);
        Assert.Null(Find(idx, "d2", "c2", (31.23, 121.47), null, T0.AddMinutes(1) + P.Cooldown + TimeSpan.FromSeconds(1)).Incident);
    }

    [Fact]
    public void Find_TenThousandOpenIncidents_FastAndCorrect()
    {
        var idx = new IncidentIndex("crowding", P.RadiusMetres);
        var rnd = new Random(42);
        var points = new List<(double, double)>();
        for (var i = 0; i < 10_000; i++)
        {
            // a 100 km × 100 km city, incidents on a 1 km grid with jitter: never within R of each other
            var p = Geo.Offset(31.0, 121.0, (i / 100) * 1000 + rnd.NextDouble() * 50, (i % 100) * 1000 + rnd.NextDouble() * 50);
            points.Add(p);
            idx.Put(Incident(p.Lat, p.Lon, "d" + i, "c" + i));
        }
        var sw = Stopwatch.StartNew();
        const int lookups = 100_000;
        var hits = 0;
        for (var i = 0; i < lookups; i++)
        {
            var (lat, lon) = points[i % points.Count];
            var probe = Geo.Offset(lat, lon, 30, 0);
            if (Find(idx, "x", "y", probe, null, T0).Incident is not null) hits++;
        }
        sw.Stop();
        var perLookupUs = sw.Elapsed.TotalMicroseconds / lookups;
        output.WriteLine($"10 000 open incidents: {perLookupUs:0.00} µs per correlation ({lookups} lookups in {sw.ElapsedMilliseconds} ms)");
        Assert.Equal(lookups, hits);
        Assert.True(perLookupUs < 200, $"{perLookupUs} µs per lookup");
    }
}

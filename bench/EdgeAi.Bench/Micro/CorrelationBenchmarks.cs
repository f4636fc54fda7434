using BenchmarkDotNet.Attributes;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Incidents;

namespace EdgeAi.Bench.Micro;

/// <summary>
/// Central's incident lookup: <see cref="IncidentCorrelator.Find"/> over an <see cref="IncidentIndex"/> holding 10 000 open
/// crowding incidents spread over a 30 × 30 km city (a few per 100 m grid cell downtown). Probes come from another camera
/// next to an existing incident (a join) or from a random place (usually a new incident); they cycle through 1 024 precomputed points.
/// </summary>
[MemoryDiagnoser]
public class CorrelationBenchmarks
{
    private const int Incidents = 10_000;
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly ScenarioCorrelation _p = CorrelationSettings.Defaults[EdgeAi.Models.Events.Scenarios.Crowding];
    private readonly List<IncidentSnapshot> _scratch = new(64);
    private IncidentIndex _index = null!;
    private CorrelationProbe[] _near = [];
    private CorrelationProbe[] _random = [];
    private int _i;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        _index = new IncidentIndex(EdgeAi.Models.Events.Scenarios.Crowding, _p.RadiusMetres);
        var places = new List<(double Lat, double Lon)>(Incidents);
        for (var i = 0; i < Incidents; i++)
        {
            // Denser towards the centre, like cameras in a city.
            var r = 15_000 * Math.Pow(random.NextDouble(), 1.5);
            var a = random.NextDouble() * 2 * Math.PI;
            var (lat, lon) = Geo.Offset(31.2304, 121.4737, r * Math.Sin(a), r * Math.Cos(a));
            places.Add((lat, lon));
            var seen = T0.AddSeconds(-random.Next(0, 300));
            var s = new IncidentSnapshot { Id = Guid.NewGuid(), Scenario = _index.Scenario, ZoneId = "z", Lat = lat, Lon = lon, FirstSeen = seen, LastSeen = seen, CreatedAt = seen };
            s.Cameras.Add(new CameraTrack { DeviceId = $"edge-{i % 500:000}", CameraId = $"cam-{i}", Lat = lat, Lon = lon, ZoneId = "z", LastBox = new Box(0.4, 0.4, 0.6, 0.6), FirstSeen = seen, LastSeen = seen });
            _index.Put(s);
        }
        _near = Enumerable.Range(0, 1024).Select(i =>
        {
            var (lat, lon) = places[random.Next(places.Count)];
            var (la, lo) = Geo.Offset(lat, lon, random.Next(-40, 40), random.Next(-40, 40));
            return new CorrelationProbe("edge-999", $"cam-x{i}", la, lo, new Box(0.3, 0.3, 0.5, 0.5), T0);
        }).ToArray();
        _random = Enumerable.Range(0, 1024).Select(i =>
        {
            var (la, lo) = Geo.Offset(31.2304, 121.4737, random.Next(-15_000, 15_000), random.Next(-15_000, 15_000));
            return new CorrelationProbe("edge-999", $"cam-y{i}", la, lo, new Box(0.3, 0.3, 0.5, 0.5), T0);
        }).ToArray();
    }

    [Benchmark(Baseline = true)]
    public int NearExisting() => (int)IncidentCorrelator.Find(_index, _p, _near[_i++ & 1023], _scratch).Reason;

    [Benchmark]
    public int RandomPlace() => (int)IncidentCorrelator.Find(_index, _p, _random[_i++ & 1023], _scratch).Reason;
}

namespace EdgeAi.Central.Incidents;

/// <summary>
/// The open and recently closed incidents of one scenario, indexed by id and by a coarse geographic grid whose
/// cells are about one correlation radius wide, so a lookup reads a handful of cells instead of every incident.
/// <see cref="Revision"/> is the scenario revision of the database the index reflects (-1: not loaded).
/// Not thread-safe: <see cref="IncidentService"/> serialises access.
/// </summary>
internal sealed class IncidentIndex
{
    private readonly Dictionary<Guid, IncidentSnapshot> _byId = [];
    private readonly Dictionary<(long Row, long Col), List<IncidentSnapshot>> _cells = [];
    private readonly double _cellDegrees;
    private int _stamp;

    public IncidentIndex(string scenario, double radiusMetres)
    {
        Scenario = scenario;
        _cellDegrees = Math.Max(radiusMetres, 1) / Geo.MetresPerDegree;
    }

    public string Scenario { get; }

    public long Revision { get; set; } = -1;

    public int Count => _byId.Count;

    public IEnumerable<IncidentSnapshot> All => _byId.Values;

    public IncidentSnapshot? Get(Guid id) => _byId.GetValueOrDefault(id);

    /// <summary>Adds or replaces an incident and registers every camera's cell.</summary>
    public void Put(IncidentSnapshot incident)
    {
        Remove(incident.Id);
        _byId[incident.Id] = incident;
        foreach (var c in incident.Cameras) Register(incident, c.Lat, c.Lon);
    }

    /// <summary>Registers a camera just added to an incident already in the index.</summary>
    public void CameraAdded(IncidentSnapshot incident, CameraTrack camera) => Register(incident, camera.Lat, camera.Lon);

    public bool Remove(Guid id)
    {
        if (!_byId.Remove(id, out var old)) return false;
        foreach (var cell in old.Cells)
        {
            if (_cells.TryGetValue(cell, out var list))
            {
                list.Remove(old);
                if (list.Count == 0) _cells.Remove(cell);
            }
        }
        old.Cells.Clear();
        return true;
    }

    public void Clear()
    {
        _byId.Clear();
        _cells.Clear();
        Revision = -1;
    }

    private (long Row, long Col) Cell(double lat, double lon) => ((long)Math.Floor(lat / _cellDegrees), (long)Math.Floor(lon / _cellDegrees));

    private void Register(IncidentSnapshot incident, double lat, double lon)
    {
        var cell = Cell(lat, lon);
        if (incident.Cells.Contains(cell)) return;
        incident.Cells.Add(cell);
        if (!_cells.TryGetValue(cell, out var list)) _cells[cell] = list = [];
        list.Add(incident);
    }

    /// <summary>
    /// Adds to <paramref name="results"/> every incident with a camera in a cell that intersects the box of
    /// ±<paramref name="radiusMetres"/> around the point (a superset: callers check the exact distance).
    /// </summary>
    public void Query(double lat, double lon, double radiusMetres, List<IncidentSnapshot> results)
    {
        var stamp = ++_stamp;
        var dLat = radiusMetres / Geo.MetresPerDegree;
        var cos = Math.Max(Math.Cos(lat * Math.PI / 180), 0.05);
        var dLon = dLat / cos;
        var (r0, c0) = Cell(lat - dLat, lon - dLon);
        var (r1, c1) = Cell(lat + dLat, lon + dLon);
        for (var r = r0; r <= r1; r++)
        {
            for (var c = c0; c <= c1; c++)
            {
                if (!_cells.TryGetValue((r, c), out var list)) continue;
                foreach (var incident in list)
                {
                    if (incident.QueryStamp == stamp) continue;
                    incident.QueryStamp = stamp;
                    results.Add(incident);
                }
            }
        }
    }
}

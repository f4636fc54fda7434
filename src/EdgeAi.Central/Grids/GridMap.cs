using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO.Converters;

namespace EdgeAi.Central.Grids;

/// <summary>
/// The grid layer: polygons from a GeoJSON FeatureCollection (coordinates lon, lat) indexed in an STR tree, so that
/// placing a point among 500+ grids costs a few envelope tests and one point-in-polygon test. Each feature needs a
/// <c>code</c> property (unique) and may carry <c>name</c>, <c>street</c>, <c>community</c>. Immutable and thread-safe.
/// </summary>
internal sealed class GridMap
{
    public static GridMap Empty { get; } = new([], "{\"type\":\"FeatureCollection\",\"features\":[]}");

    private readonly STRtree<(Grid Grid, IPreparedGeometry Prepared)> _index = new();
    private readonly Dictionary<string, Grid> _byCode = new(StringComparer.Ordinal);
    private readonly GeometryFactory _factory = new(new PrecisionModel(), 4326);

    private GridMap(IReadOnlyList<Grid> grids, string geoJson)
    {
        foreach (var g in grids)
        {
            _byCode[g.Code] = g;
            _index.Insert(g.Area.EnvelopeInternal, (g, PreparedGeometryFactory.Prepare(g.Area)));
        }
        _index.Build();
        Grids = grids;
        GeoJson = geoJson;
    }

    public IReadOnlyList<Grid> Grids { get; }

    /// <summary>The file's text, served to the dashboard's map.</summary>
    public string GeoJson { get; }

    public Grid? Get(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>The grid covering the point (on a shared border: the one listed first in the file); null outside every grid.</summary>
    public Grid? Locate(double lat, double lon)
    {
        if (Grids.Count == 0) return null;
        var point = _factory.CreatePoint(new Coordinate(lon, lat));
        Grid? best = null;
        var bestOrder = int.MaxValue;
        foreach (var (grid, prepared) in _index.Query(point.EnvelopeInternal))
        {
            if (!prepared.Covers(point)) continue;
            var order = IndexOf(grid);
            if (order < bestOrder) (best, bestOrder) = (grid, order);
        }
        return best;
    }

    private int IndexOf(Grid g)
    {
        for (var i = 0; i < Grids.Count; i++) if (ReferenceEquals(Grids[i], g)) return i;
        return int.MaxValue;
    }

    /// <summary>Reads a GeoJSON file; throws <see cref="FormatException"/> naming the feature at fault.</summary>
    public static GridMap Load(string path)
    {
        var text = File.ReadAllText(path);
        return Parse(text);
    }

    public static GridMap Parse(string geoJson)
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        FeatureCollection? features;
        try
        {
            features = JsonSerializer.Deserialize<FeatureCollection>(geoJson, options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not a GeoJSON FeatureCollection: {ex.Message}", ex);
        }
        if (features is null) throw new FormatException("not a GeoJSON FeatureCollection");
        var grids = new List<Grid>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < features.Count; i++)
        {
            var f = features[i];
            var code = Attribute(f, "code");
            if (string.IsNullOrWhiteSpace(code)) throw new FormatException($"feature {i}: property 'code' is required");
            if (!codes.Add(code)) throw new FormatException($"feature {i}: grid code '{code}' appears twice");
            if (f.Geometry is not (Polygon or MultiPolygon)) throw new FormatException($"feature {i} ({code}): geometry must be a Polygon or MultiPolygon, got {f.Geometry?.GeometryType ?? "none"}");
            if (!f.Geometry.IsValid) throw new FormatException($"feature {i} ({code}): the polygon is not valid (self-intersecting or unclosed)");
            grids.Add(new Grid(code, Attribute(f, "name") ?? code, Attribute(f, "street"), Attribute(f, "community"), f.Geometry));
        }
        return new GridMap(grids, geoJson);
    }

    private static string? Attribute(IFeature f, string name) =>
        f.Attributes is { } a && a.Exists(name) ? a[name] switch
        {
            null => null,
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            var o => Convert.ToString(o, System.Globalization.CultureInfo.InvariantCulture),
        } : null;
}

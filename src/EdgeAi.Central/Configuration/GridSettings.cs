using EdgeAi.Central.Grids;

namespace EdgeAi.Central.Configuration;

/// <summary>
/// The grid layer (key <c>grids</c>): a GeoJSON FeatureCollection of polygons, each with a grid code and its
/// street/community codes. Loaded and checked with the config; cameras are placed in grids by their location.
/// </summary>
internal sealed record GridSettings
{
    /// <summary>Path of the GeoJSON file; null: no grids (incidents carry no grid code).</summary>
    public string? File { get; init; }

    public GridMap Map { get; init; } = GridMap.Empty;
}

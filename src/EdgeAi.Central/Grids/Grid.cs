using NetTopologySuite.Geometries;

namespace EdgeAi.Central.Grids;

/// <summary>One grid (网格): its code, name, street (街道) and community (社区) codes, and its area (lon/lat, WGS 84).</summary>
internal sealed record Grid(string Code, string Name, string? Street, string? Community, Geometry Area);

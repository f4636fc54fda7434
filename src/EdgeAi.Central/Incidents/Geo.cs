namespace EdgeAi.Central.Incidents;

/// <summary>Distances on the WGS-84 sphere approximation (mean Earth radius), good to ~0.5 % — ample for metres-scale radii.</summary>
internal static class Geo
{
    public const double EarthRadiusMetres = 6_371_008.8;

    /// <summary>Metres per degree of latitude (and of longitude at the equator).</summary>
    public const double MetresPerDegree = Math.PI * EarthRadiusMetres / 180;

    /// <summary>Great-circle distance in metres (haversine).</summary>
    public static double HaversineMetres(double lat1, double lon1, double lat2, double lon2)
    {
        const double rad = Math.PI / 180;
        var dLat = (lat2 - lat1) * rad;
        var dLon = (lon2 - lon1) * rad;
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(lat1 * rad) * Math.Cos(lat2 * rad) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>The point <paramref name="metresNorth"/>/<paramref name="metresEast"/> away (small offsets; for tests and demos).</summary>
    public static (double Lat, double Lon) Offset(double lat, double lon, double metresNorth, double metresEast) =>
        (lat + metresNorth / MetresPerDegree, lon + metresEast / (MetresPerDegree * Math.Cos(lat * Math.PI / 180)));
}

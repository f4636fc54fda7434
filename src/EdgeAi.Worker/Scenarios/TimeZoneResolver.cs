namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// Resolves IANA time zone ids. On Linux <see cref="TimeZoneInfo"/> reads /usr/share/zoneinfo (package tzdata),
/// which works with InvariantGlobalization; where tzdata is missing, China's zones fall back to a fixed UTC+8
/// zone (no daylight saving since 1991), so the default ban schedule still works.
/// </summary>
internal static class TimeZoneResolver
{
    private static readonly TimeZoneInfo ChinaFallback =
        TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");

    public static bool TryResolve(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id)) return false;
        if (id is "UTC" or "Etc/UTC") return true;
        if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
        {
            zone = found;
            return true;
        }
        if (id is "Asia/Shanghai" or "Asia/Chongqing" or "Asia/Harbin" or "Asia/Urumqi" or "PRC" or "China Standard Time")
        {
            zone = ChinaFallback;
            return true;
        }
        return false;
    }
}

using System.Globalization;

namespace EdgeAi.Worker.Scenarios;

/// <summary>A parsed <see cref="BanScheduleConfig"/>; immutable and thread-safe.</summary>
internal sealed class BanSchedule
{
    private readonly (int Start, int End)[] _dates;     // month*100+day, inclusive
    private readonly (int Start, int End)[] _minutes;   // minutes of day, start inclusive, end exclusive

    private BanSchedule(TimeZoneInfo zone, (int, int)[] dates, (int, int)[] minutes)
    {
        TimeZone = zone;
        _dates = dates;
        _minutes = minutes;
    }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Parses the config; errors are appended to <paramref name="errors"/> with key paths under <paramref name="path"/>.</summary>
    public static BanSchedule? Parse(BanScheduleConfig config, string path, List<string> errors)
    {
        var before = errors.Count;
        if (!TimeZoneResolver.TryResolve(config.TimeZone, out var zone))
            errors.Add($"{path}.timeZone: unknown time zone '{config.TimeZone}' (use an IANA id such as Asia/Shanghai)");
        var dates = new (int, int)[config.DateRanges?.Count ?? 0];
        for (var i = 0; i < dates.Length; i++)
        {
            var s = config.DateRanges![i];
            if (!TryParseDateRange(s, out dates[i]))
                errors.Add($"{path}.dateRanges[{i}]: '{s}' is not MM-DD..MM-DD with valid days");
        }
        var minutes = new (int, int)[config.DailyHours?.Count ?? 0];
        for (var i = 0; i < minutes.Length; i++)
        {
            var s = config.DailyHours![i];
            if (!TryParseHours(s, out minutes[i]))
                errors.Add($"{path}.dailyHours[{i}]: '{s}' is not HH:mm-HH:mm (00:00..24:00, start before or after end but not equal)");
        }
        return errors.Count == before ? new BanSchedule(zone, dates, minutes) : null;
    }

    /// <summary>True when <paramref name="time"/> falls in a date range and a daily window, in the schedule's time zone.</summary>
    public bool IsActive(DateTimeOffset time)
    {
        var local = TimeZoneInfo.ConvertTime(time, TimeZone);
        if (_dates.Length > 0)
        {
            var md = local.Month * 100 + local.Day;
            var any = false;
            foreach (var (start, end) in _dates)
                if (start <= end ? md >= start && md <= end : md >= start || md <= end) { any = true; break; }
            if (!any) return false;
        }
        if (_minutes.Length == 0) return true;
        var tod = local.TimeOfDay.TotalMinutes;
        foreach (var (start, end) in _minutes)
            if (start < end ? tod >= start && tod < end : tod >= start || tod < end) return true;
        return false;
    }

    private static bool TryParseDateRange(string? s, out (int, int) range)
    {
        range = default;
        if (s is null) return false;
        var parts = s.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !TryParseMonthDay(parts[0], out var a) || !TryParseMonthDay(parts[1], out var b)) return false;
        range = (a, b);
        return true;
    }

    private static bool TryParseMonthDay(string s, out int md)
    {
        md = 0;
        if (s.Length != 5 || s[2] != '-') return false;
        if (!int.TryParse(s.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ||
            !int.TryParse(s.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var d)) return false;
        if (m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(2024, m)) return false;  // 2024: leap year, so 02-29 is valid
        md = m * 100 + d;
        return true;
    }

    private static bool TryParseHours(string? s, out (int, int) window)
    {
        window = default;
        if (s is null) return false;
        var parts = s.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !TryParseClock(parts[0], out var a) || !TryParseClock(parts[1], out var b) || a == b || a == 24 * 60) return false;
        window = (a, b);
        return true;
    }

    private static bool TryParseClock(string s, out int minutes)
    {
        minutes = 0;
        if (s.Length != 5 || s[2] != ':') return false;
        if (!int.TryParse(s.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h) ||
            !int.TryParse(s.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return false;
        if (h > 24 || m > 59 || (h == 24 && m != 0)) return false;
        minutes = h * 60 + m;
        return true;
    }
}

namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// When fishing is banned, in local time of <see cref="TimeZone"/>. Active when the local date is in any of
/// <see cref="DateRanges"/> (empty = every day) and the local time of day is in any of <see cref="DailyHours"/>
/// (empty = all day). Both are checked on the same local timestamp, so a night window such as 22:00-06:00 on the
/// last day of a range ends at midnight. Default: 03-01..06-30 all day, Asia/Shanghai (the usual spring ban).
/// </summary>
public sealed record BanScheduleConfig
{
    /// <summary>"MM-DD..MM-DD", both days inclusive; may wrap the new year ("12-01..02-28").</summary>
    public IReadOnlyList<string> DateRanges { get; init; } = ["03-01..06-30"];

    /// <summary>"HH:mm-HH:mm", start inclusive, end exclusive, end may be 24:00; may wrap midnight ("22:00-06:00").</summary>
    public IReadOnlyList<string> DailyHours { get; init; } = [];

    /// <summary>IANA time zone id. Default Asia/Shanghai.</summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";
}

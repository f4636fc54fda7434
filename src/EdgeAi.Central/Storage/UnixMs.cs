namespace EdgeAi.Central.Storage;

/// <summary>Times are stored as Unix milliseconds (UTC) in both databases.</summary>
internal static class UnixMs
{
    public static long From(DateTimeOffset t) => t.ToUnixTimeMilliseconds();

    public static DateTimeOffset ToTime(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static DateTimeOffset? ToTime(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeAi.Configuration;

/// <summary>
/// A <see cref="TimeSpan"/> written in the config file as a plain number of one unit, for keys that carry the unit in
/// their name (<c>health_interval_s: 5</c> = 5 seconds, <c>max_age_hours</c>, <c>batch_wait_ms</c>). The code sees a
/// <see cref="TimeSpan"/>; the file format stays a number. Put it on the property with the file's key:
/// <c>[JsonPropertyName("health_interval_s"), JsonConverter(typeof(SecondsJsonConverter))]</c>.
/// </summary>
public abstract class NumberDurationJsonConverter(TimeSpan unit, string unitName) : JsonConverter<TimeSpan>
{
    /// <summary>The unit's name, plural ("seconds"), for messages.</summary>
    public string UnitName { get; } = unitName;

    /// <summary>The duration of <paramref name="value"/> units, rounded to the tick; false when a TimeSpan cannot hold it.</summary>
    public bool TryFromNumber(double value, out TimeSpan duration)
    {
        var ticks = Math.Round(value * unit.Ticks);
        var ok = double.IsFinite(ticks) && ticks > long.MinValue && ticks < long.MaxValue;
        duration = ok ? TimeSpan.FromTicks((long)ticks) : default;
        return ok;
    }

    /// <summary>The number of units in <paramref name="duration"/>: what the file said (to the tick), for messages.</summary>
    public double ToNumber(TimeSpan duration) => (double)duration.Ticks / unit.Ticks;

    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number) throw new JsonException($"must be a number of {UnitName}");
        return TryFromNumber(reader.GetDouble(), out var duration) ? duration : throw new JsonException($"is out of range for a number of {UnitName}");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) => writer.WriteNumberValue(ToNumber(value));
}

/// <summary>A duration written as seconds (keys ending in <c>_s</c>).</summary>
public sealed class SecondsJsonConverter() : NumberDurationJsonConverter(TimeSpan.FromSeconds(1), "seconds");

/// <summary>A duration written as milliseconds (keys ending in <c>_ms</c>).</summary>
public sealed class MillisecondsJsonConverter() : NumberDurationJsonConverter(TimeSpan.FromMilliseconds(1), "milliseconds");

/// <summary>A duration written as hours (keys ending in <c>_hours</c>).</summary>
public sealed class HoursJsonConverter() : NumberDurationJsonConverter(TimeSpan.FromHours(1), "hours");

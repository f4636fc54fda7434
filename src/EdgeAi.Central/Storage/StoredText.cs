using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeAi.Central.Storage;

/// <summary>
/// The one mapping between a vocabulary enum (<see cref="CaseState"/>, <see cref="OutboxKind"/>, <see cref="IncidentState"/>,
/// <see cref="ReviewOutcome"/>, ...) and its text, as the database columns hold it, the HTTP API's JSON carries it and the
/// platform receives it: the member name in snake_case (<c>FalsePositive</c> ↔ "false_positive"), or the member's
/// <see cref="JsonStringEnumMemberNameAttribute"/> for the wire enums of EdgeAi.Models stored by Central (<c>EvidenceDelivery</c>).
/// Parsing is exact (case-sensitive; numbers and unknown words are refused).
/// </summary>
/// <remarks>
/// Dapper writes an enum parameter as its number and reads an enum column with <see cref="Enum.Parse(Type, string, bool)"/>,
/// ignoring type handlers for enums, so the store gives such values to SQL as <see cref="StoredText.ToText{TEnum}(TEnum)"/>
/// and rows read their columns through a <c>…Text</c> property (<see cref="StoredTextColumns"/>).
/// </remarks>
internal static class StoredText<TEnum> where TEnum : struct, Enum
{
    private static readonly TEnum[] Values = Enum.GetValues<TEnum>();

    private static readonly Dictionary<TEnum, string> Texts = Values.ToDictionary(v => v, TextOf);

    private static readonly Dictionary<string, TEnum> ByText = Values.ToDictionary(v => Texts[v], v => v, StringComparer.Ordinal);

    /// <summary>Every text, in the enum's order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Values.Select(v => Texts[v])];

    /// <summary>The member's <see cref="JsonStringEnumMemberNameAttribute"/> where it has one (the wire enums of EdgeAi.Models), else its name in snake_case.</summary>
    private static string TextOf(TEnum value)
    {
        var name = value.ToString();
        return typeof(TEnum).GetField(name)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
    }

    public static string Of(TEnum value) =>
        Texts.TryGetValue(value, out var text) ? text : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(TEnum).Name}");

    public static bool TryParse([NotNullWhen(true)] string? text, out TEnum value)
    {
        value = default;
        return text is not null && ByText.TryGetValue(text, out value);
    }

    /// <summary>The value of a stored text; a <see cref="FormatException"/> naming the expected words for anything else.</summary>
    public static TEnum Parse(string? text) => TryParse(text, out var value) ? value
        : throw new FormatException($"'{text}' is not a {typeof(TEnum).Name}: expected one of {string.Join(", ", All)}");
}

/// <summary>Shorthands for <see cref="StoredText{TEnum}"/>.</summary>
internal static class StoredText
{
    /// <summary>The stored (and wire) text of a vocabulary value.</summary>
    public static string ToText<TEnum>(this TEnum value) where TEnum : struct, Enum => StoredText<TEnum>.Of(value);

    /// <summary>The texts of some values, e.g. for an SQL <c>IN</c> list (Npgsql needs a text array, not enums).</summary>
    public static List<string> ToTexts<TEnum>(this IEnumerable<TEnum> values) where TEnum : struct, Enum => [.. values.Select(ToText)];

    /// <summary>The text as an SQL string literal (<c>'open'</c>), for a fixed value in a query; the words are snake_case, nothing to escape.</summary>
    public static string ToSql<TEnum>(this TEnum value) where TEnum : struct, Enum => $"'{value.ToText()}'";

    /// <summary>"a, b, c": the texts of some values, for messages.</summary>
    public static string Join<TEnum>(IEnumerable<TEnum> values) where TEnum : struct, Enum => string.Join(", ", values.Select(ToText));
}

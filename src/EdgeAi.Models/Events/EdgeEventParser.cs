using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;

namespace EdgeAi.Models.Events;

/// <summary>
/// Parses an event payload received from the wire and checks it against the v1 contract. Thread-safe.
/// Rejections carry a stable, specific reason (tests and the dead-letter table rely on the wording), checked in
/// this order: size, UTF-8, JSON syntax and depth, schema major version, required fields and their JSON types
/// (<see cref="EdgeEventStructure"/>), then value ranges (<see cref="EdgeEventValidator"/>). Unknown fields are ignored.
/// </summary>
public static class EdgeEventParser
{
    private static readonly JsonReaderOptions ScanOptions = new() { MaxDepth = EdgeEventSchema.MaxDepth + 1 };

    /// <summary>Parses and validates one UTF-8 JSON event. On failure <paramref name="reason"/> says why and <paramref name="evt"/> is null.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out EdgeEvent? evt, [NotNullWhen(false)] out string? reason)
    {
        evt = null;
        reason = CheckEnvelope(utf8);
        if (reason is not null) return false;

        var reader = new Utf8JsonReader(utf8, ScanOptions);
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        reason = EdgeEventStructure.Check(root);
        if (reason is not null) return false;

        try
        {
            evt = root.Deserialize(EdgeAiJsonContext.Default.EdgeEvent);
        }
        catch (JsonException ex)
        {
            // Structure checks should have caught it; keep a stable reason anyway.
            reason = $"invalid value at {ex.Path ?? "$"}";
            return false;
        }
        if (evt is null)
        {
            reason = "payload is not a JSON object";
            return false;
        }
        if (evt.Evidence is null) evt = evt with { Evidence = [] };   // "evidence": null reads as none
        reason = EdgeEventValidator.Validate(evt);
        if (reason is null) return true;
        evt = null;
        return false;
    }

    /// <summary>Size, encoding, syntax and depth: everything that can be said without reading the contract.</summary>
    private static string? CheckEnvelope(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > EdgeEventSchema.MaxPayloadBytes)
            return $"payload too large: {utf8.Length} bytes (max {EdgeEventSchema.MaxPayloadBytes})";
        if (utf8.IsEmpty) return "payload is empty";
        if (!Utf8.IsValid(utf8)) return "payload is not valid UTF-8";

        var reader = new Utf8JsonReader(utf8, ScanOptions);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray
                    && reader.CurrentDepth >= EdgeEventSchema.MaxDepth)
                    return $"JSON nested deeper than {EdgeEventSchema.MaxDepth} levels";
            }
        }
        catch (JsonException ex)
        {
            return $"malformed JSON at line {(ex.LineNumber ?? 0) + 1}, byte {ex.BytePositionInLine ?? 0}";
        }
        return null;
    }
}

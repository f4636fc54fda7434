using System.Text.Json;

namespace EdgeAi.Central.Storage;

/// <summary>JSON kept in a text column (event payloads, health snapshots).</summary>
internal static class StoredJson
{
    /// <summary>The parsed value, detached from its document; null for an empty or unparsable column.</summary>
    public static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Text.Json;

namespace EdgeAi.Models.Events;

/// <summary>
/// Checks a parsed JSON event for the v1 contract's required fields and JSON types, before deserialisation, so that
/// a wrong payload gets a reason naming the field ("field 'camera.lat' must be a number") rather than a serializer
/// message. The schema major version is checked first: a v2 payload is rejected for its version, not its fields.
/// Unknown fields are ignored; optional fields may be absent or null.
/// </summary>
internal static class EdgeEventStructure
{
    private static readonly string[] EventTypes = ["started", "updated", "ended"];

    public static string? Check(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return "payload is not a JSON object";
        if (!root.TryGetProperty("schema_version", out var version) || version.ValueKind == JsonValueKind.Null)
            return Missing("schema_version");
        if (version.ValueKind != JsonValueKind.String) return MustBe("schema_version", "a string");
        var versionReason = EdgeEventValidator.CheckSchemaVersion(version.GetString()!);
        if (versionReason is not null) return versionReason;

        var e = new Node(root, "");
        return e.Uuid("event_id")
            ?? e.Uuid("episode_id")
            ?? e.OneOf("type", EventTypes)
            ?? e.Integer("sequence")
            ?? e.String("device_id")
            ?? e.Object("camera", c => c.String("id") ?? c.String("name") ?? c.Number("lat") ?? c.Number("lon") ?? c.String("gb28181_id", optional: true))
            ?? e.String("scenario")
            ?? e.Object("zone", z => z.String("id") ?? z.String("type") ?? z.String("name", optional: true) ?? z.Number("area_m2", optional: true))
            ?? e.Object("rule", r => r.String("name") ?? r.NumberMap("parameters") ?? r.NumberMap("measured"))
            ?? e.Array("objects", o => o.String("class") ?? o.Number("confidence") ?? o.NumberArray("box") ?? o.Integer("track_id", optional: true))
            ?? e.Object("frame", f => f.DateTime("time") ?? f.Integer("width") ?? f.Integer("height"))
            ?? e.DateTime("detection_time")
            ?? e.DateTime("publish_time", optional: true)
            ?? e.Object("model", m => m.String("name") ?? m.String("version") ?? m.String("sha256"))
            ?? e.Array("evidence", v => v.String("id") ?? v.String("sha256") ?? v.Integer("bytes") ?? v.String("content_type") ?? v.String("kind", optional: true), optional: true);
    }

    private static string Missing(string path) => $"missing required field '{path}'";

    private static string MustBe(string path, string what) => $"field '{path}' must be {what}";

    /// <summary>A JSON object and its path from the root ("" for the root, "objects[2]" for an element).</summary>
    private readonly record struct Node(JsonElement Element, string Path)
    {
        private string Child(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

        /// <summary>The property, or a reason: missing (when required) or null (then <paramref name="value"/> is default and no reason).</summary>
        private string? Get(string name, bool optional, out JsonElement value)
        {
            if (Element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) return null;
            value = default;
            return optional ? null : Missing(Child(name));
        }

        public string? String(string name, bool optional = false)
        {
            if (Get(name, optional, out var v) is { } missing) return missing;
            if (v.ValueKind is JsonValueKind.Undefined or JsonValueKind.String) return null;
            return MustBe(Child(name), "a string");
        }

        public string? OneOf(string name, string[] allowed)
        {
            if (Get(name, false, out var v) is { } missing) return missing;
            if (v.ValueKind == JsonValueKind.String && allowed.Contains(v.GetString())) return null;
            return MustBe(Child(name), $"one of {string.Join(", ", allowed)}");
        }

        public string? Number(string name, bool optional = false)
        {
            if (Get(name, optional, out var v) is { } missing) return missing;
            if (v.ValueKind is JsonValueKind.Undefined || v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out _)) return null;
            return MustBe(Child(name), "a number");
        }

        public string? Integer(string name, bool optional = false)
        {
            if (Get(name, optional, out var v) is { } missing) return missing;
            if (v.ValueKind is JsonValueKind.Undefined || v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _)) return null;
            return MustBe(Child(name), "an integer");
        }

        public string? Uuid(string name)
        {
            if (Get(name, false, out var v) is { } missing) return missing;
            if (v.ValueKind == JsonValueKind.String && v.TryGetGuid(out _)) return null;
            return MustBe(Child(name), "a UUID string");
        }

        public string? DateTime(string name, bool optional = false)
        {
            if (Get(name, optional, out var v) is { } missing) return missing;
            if (v.ValueKind is JsonValueKind.Undefined || v.ValueKind == JsonValueKind.String && v.TryGetDateTimeOffset(out _)) return null;
            return MustBe(Child(name), "an ISO 8601 date-time string");
        }

        public string? Object(string name, Func<Node, string?> check)
        {
            if (Get(name, false, out var v) is { } missing) return missing;
            if (v.ValueKind != JsonValueKind.Object) return MustBe(Child(name), "an object");
            return check(new Node(v, Child(name)));
        }

        public string? Array(string name, Func<Node, string?> checkItem, bool optional = false)
        {
            if (Get(name, optional, out var v) is { } missing) return missing;
            if (v.ValueKind == JsonValueKind.Undefined) return null;
            if (v.ValueKind != JsonValueKind.Array) return MustBe(Child(name), "an array");
            var i = 0;
            foreach (var item in v.EnumerateArray())
            {
                var path = $"{Child(name)}[{i++}]";
                if (item.ValueKind != JsonValueKind.Object) return MustBe(path, "an object");
                if (checkItem(new Node(item, path)) is { } reason) return reason;
            }
            return null;
        }

        public string? NumberArray(string name)
        {
            if (Get(name, false, out var v) is { } missing) return missing;
            if (v.ValueKind != JsonValueKind.Array) return MustBe(Child(name), "an array");
            var i = 0;
            foreach (var item in v.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out _)) return MustBe($"{Child(name)}[{i}]", "a number");
                i++;
            }
            return null;
        }

        public string? NumberMap(string name)
        {
            if (Get(name, false, out var v) is { } missing) return missing;
            if (v.ValueKind != JsonValueKind.Object) return MustBe(Child(name), "an object");
            foreach (var p in v.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDouble(out _))
                    return MustBe($"{Child(name)}.{EdgeEventValidator.Clip(p.Name)}", "a number");
            }
            return null;
        }
    }
}

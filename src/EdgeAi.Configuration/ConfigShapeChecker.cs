using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json;

namespace EdgeAi.Configuration;

/// <summary>
/// Checks a parsed config against the shape of the C# records it deserializes into — unknown keys (with a
/// "did you mean" suggestion), wrong JSON types, missing required keys, null where null is not allowed, durations
/// that are not hh:mm:ss (or not a number, for keys with a unit such as <c>_s</c>; <see cref="NumberDurationJsonConverter"/>),
/// enum values not among the allowed names — and reports every problem instead of stopping at the first, as the deserializer would.
/// The shape comes from System.Text.Json's own contract (<see cref="JsonTypeInfo"/>), so it cannot drift from what
/// the deserializer accepts.
/// </summary>
/// <remarks>
/// It also repairs the tree so that it deserializes afterwards and the semantic checks still run on the rest:
/// a bad optional value is removed (its default applies), a bad required value or array element is replaced by a
/// neutral placeholder. Callers suppress semantic errors under the paths reported here (<see cref="ConfigError.Covers"/>).
/// </remarks>
public sealed class ConfigShapeChecker(JsonSerializerOptions options)
{
    private readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> Errors => _errors;

    /// <summary>Checks <paramref name="root"/> as a <paramref name="type"/>, repairing it in place.</summary>
    public void Check(JsonObject root, Type type) => CheckObject(root, options.GetTypeInfo(type), "");

    private void CheckObject(JsonObject obj, JsonTypeInfo info, string path)
    {
        var properties = info.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null)
            .ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (key, value) in obj.ToList())
        {
            var keyPath = Join(path, key);
            if (!properties.TryGetValue(key, out var property))
            {
                _errors.Add(new ConfigError(keyPath, $"unknown key{Suggest(key, properties.Keys)}"));
                obj.Remove(key);
                continue;
            }
            var required = property.IsRequired;
            if (value is null)
            {
                if (property.IsSetNullable || property.AssociatedParameter?.IsNullable == true) continue;
                _errors.Add(new ConfigError(keyPath, "must not be null"));
                Repair(obj, key, property, required);
                continue;
            }
            if (!CheckValue(value, property.PropertyType, keyPath, ConverterOf(property))) Repair(obj, key, property, required);
        }
        foreach (var p in properties.Values.Where(p => p.IsRequired && !obj.ContainsKey(p.Name)))
        {
            _errors.Add(new ConfigError(Join(path, p.Name), "is required"));
            obj[p.Name] = Placeholder(p.PropertyType, ConverterOf(p));
        }
    }

    private void Repair(JsonObject obj, string key, JsonPropertyInfo property, bool required)
    {
        if (required) obj[key] = Placeholder(property.PropertyType, ConverterOf(property));
        else obj.Remove(key);
    }

    /// <summary>True when <paramref name="node"/> fits <paramref name="type"/> (nested problems are repaired in place);
    /// <paramref name="converter"/> is the property's own converter, if any.</summary>
    private bool CheckValue(JsonNode node, Type type, string path, JsonConverter? converter = null)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        var kind = node.GetValueKind();
        if (converter is NumberDurationJsonConverter unit)
        {
            if (!Expect(kind == JsonValueKind.Number, path, $"a number of {unit.UnitName}", node)) return false;
            if (unit.TryFromNumber(node.GetValue<double>(), out _)) return true;
            _errors.Add(new ConfigError(path, $"{JsonLineMap.Preview(node.ToJsonString())} {unit.UnitName} is out of range"));
            return false;
        }
        if (t.IsEnum)
        {
            var names = EnumNames(t);
            if (!Expect(kind == JsonValueKind.String, path, Alternatives(names.Select(n => $"\"{n}\"")), node)) return false;
            var s = node.GetValue<string>();
            if (names.Contains(s, StringComparer.Ordinal)) return true;
            _errors.Add(new ConfigError(path, $"'{JsonLineMap.Preview(s)}' must be {OneOf(names)}"));
            return false;
        }
        if (t == typeof(string)) return Expect(kind == JsonValueKind.String, path, "a string", node);
        if (t == typeof(bool)) return Expect(kind is JsonValueKind.True or JsonValueKind.False, path, "true or false", node);
        if (t == typeof(TimeSpan))
        {
            if (!Expect(kind == JsonValueKind.String, path, "a duration string hh:mm:ss (e.g. \"00:00:20\")", node)) return false;
            var s = node.GetValue<string>();
            if (TimeSpan.TryParseExact(s, "c", CultureInfo.InvariantCulture, out _)) return true;
            _errors.Add(new ConfigError(path, $"'{JsonLineMap.Preview(s)}' is not a duration; write hh:mm:ss, e.g. \"00:00:20\" for 20 seconds"));
            return false;
        }
        if (t == typeof(int) || t == typeof(long))
        {
            if (!Expect(kind == JsonValueKind.Number, path, "an integer", node)) return false;
            var raw = node.ToJsonString();
            var ok = t == typeof(int) ? int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                : long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            if (!ok) _errors.Add(new ConfigError(path, $"must be an integer, got {JsonLineMap.Preview(raw)}"));
            return ok;
        }
        if (t == typeof(double) || t == typeof(float)) return Expect(kind == JsonValueKind.Number, path, "a number", node);

        var info = options.GetTypeInfo(t);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                if (!Expect(kind == JsonValueKind.Object, path, "an object", node)) return false;
                CheckObject(node.AsObject(), info, path);
                return true;
            case JsonTypeInfoKind.Enumerable:
                if (!Expect(kind == JsonValueKind.Array, path, "an array", node)) return false;
                var array = node.AsArray();
                var element = info.ElementType!;
                for (var i = 0; i < array.Count; i++)
                {
                    var itemPath = $"{path}[{i}]";
                    if (array[i] is null) _errors.Add(new ConfigError(itemPath, "must not be null"));
                    else if (CheckValue(array[i]!, element, itemPath)) continue;
                    array[i] = Placeholder(element);
                }
                return true;
            case JsonTypeInfoKind.Dictionary:
                if (!Expect(kind == JsonValueKind.Object, path, "an object", node)) return false;
                var map = node.AsObject();
                foreach (var (key, value) in map.ToList())
                {
                    var entryPath = Join(path, key);
                    if (value is null) _errors.Add(new ConfigError(entryPath, "must not be null"));
                    else if (CheckValue(value, info.ElementType!, entryPath)) continue;
                    map.Remove(key);   // a bad entry is left out
                }
                return true;
            default:
                return true;   // no other shapes in the config types; the deserializer judges them
        }
    }

    private bool Expect(bool ok, string path, string expected, JsonNode node)
    {
        if (!ok) _errors.Add(new ConfigError(path, $"must be {expected}, got {Describe(node)}"));
        return ok;
    }

    private static string Describe(JsonNode node)
    {
        var kind = node.GetValueKind();
        var what = JsonLineMap.Describe(kind);
        return kind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            ? $"{what} ({JsonLineMap.Preview(node.ToJsonString())})" : what;
    }

    /// <summary>The names an enum has in the file, as the deserializer writes them (snake_case).</summary>
    private List<string> EnumNames(Type enumType) =>
        [.. Enum.GetValues(enumType).Cast<object>().Select(v => JsonSerializer.SerializeToElement(v, enumType, options).GetString()!)];

    /// <summary>A bad enum value's choices: "a", "a or b", and from three on "one of a, b, c" (the list a reader scans).</summary>
    private static string OneOf(IReadOnlyList<string> names) => names.Count < 3 ? Alternatives(names) : $"one of {string.Join(", ", names)}";

    /// <summary>"a", "a or b", "a, b or c".</summary>
    private static string Alternatives(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count < 2 ? string.Concat(list) : $"{string.Join(", ", list[..^1])} or {list[^1]}";
    }

    /// <summary>A neutral value of the right shape, filled with placeholders for its own required keys.</summary>
    private JsonNode? Placeholder(Type type, JsonConverter? converter = null)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (converter is NumberDurationJsonConverter) return JsonValue.Create(0);
        if (t.IsEnum) return JsonValue.Create(EnumNames(t)[0]);
        if (t == typeof(string)) return JsonValue.Create("");
        if (t == typeof(bool)) return JsonValue.Create(false);
        if (t == typeof(TimeSpan)) return JsonValue.Create("00:00:00");
        if (t == typeof(int) || t == typeof(long) || t == typeof(double) || t == typeof(float)) return JsonValue.Create(0);
        var info = options.GetTypeInfo(t);
        if (info.Kind == JsonTypeInfoKind.Enumerable) return new JsonArray();
        if (info.Kind == JsonTypeInfoKind.Dictionary) return new JsonObject();
        if (info.Kind != JsonTypeInfoKind.Object) return null;
        var obj = new JsonObject();
        foreach (var p in info.Properties.Where(p => p.IsRequired)) obj[p.Name] = Placeholder(p.PropertyType, ConverterOf(p));
        return obj;
    }

    /// <summary>The property's own converter. For a nullable property (<c>TimeSpan?</c>) System.Text.Json wraps a
    /// <see cref="NumberDurationJsonConverter"/> in a nullable converter, so the unit is then taken from the attribute.</summary>
    private static JsonConverter? ConverterOf(JsonPropertyInfo property)
    {
        if (property.CustomConverter is null or NumberDurationJsonConverter) return property.CustomConverter;
        var attribute = property.AttributeProvider?.GetCustomAttributes(typeof(JsonConverterAttribute), inherit: true).OfType<JsonConverterAttribute>().FirstOrDefault();
        return attribute?.ConverterType is { } type && typeof(NumberDurationJsonConverter).IsAssignableFrom(type)
            ? (JsonConverter)Activator.CreateInstance(type)!
            : property.CustomConverter;
    }

    private static string Join(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    /// <summary>" (did you mean 'x'?)" for a near miss or the snake_case spelling of a camelCase key; else "" plus the known keys when few.</summary>
    public static string Suggest(string key, IEnumerable<string> known)
    {
        var keys = known.ToList();
        var snake = JsonNamingPolicy.SnakeCaseLower.ConvertName(key);
        if (snake != key && keys.Contains(snake)) return $" (did you mean '{snake}'? keys are snake_case)";
        var best = keys.Select(k => (Key: k, Distance: Levenshtein(key.ToLowerInvariant(), k))).OrderBy(x => x.Distance).FirstOrDefault();
        if (best.Key is not null && best.Distance <= Math.Max(2, key.Length / 3)) return $" (did you mean '{best.Key}'?)";
        return keys.Count <= 12 ? $" (known keys: {string.Join(", ", keys.Order(StringComparer.Ordinal))})" : "";
    }

    /// <summary>Edit distance (insertions, deletions, substitutions) between two strings; the config's "did you mean" hints.</summary>
    public static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

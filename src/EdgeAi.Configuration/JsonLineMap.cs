using System.Text.Json;
using System.Text;

namespace EdgeAi.Configuration;

/// <summary>
/// Line numbers of a JSON file's keys and array elements, by key path (<c>cameras[1].scenarios.zones[0].polygon</c>),
/// so config errors can say where to look. <see cref="JsonDocument"/> keeps no positions; this walks the bytes once
/// with a <see cref="Utf8JsonReader"/> and turns token offsets into 1-based lines.
/// </summary>
public sealed class JsonLineMap
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    private JsonLineMap() { }

    /// <summary>Maps every key; a document that does not parse yields the keys before the error.</summary>
    public static JsonLineMap Build(byte[] json, JsonReaderOptions options)
    {
        var map = new JsonLineMap();
        var newlines = new List<int>();
        for (var i = 0; i < json.Length; i++) if (json[i] == (byte)'\n') newlines.Add(i);
        int LineOf(long offset)
        {
            var idx = newlines.BinarySearch((int)offset);
            return (idx < 0 ? ~idx : idx) + 1;
        }

        // One frame per open object/array: its path and, for arrays, the next element index.
        var stack = new Stack<(string Path, bool IsArray, int Next)>();
        string? pendingKey = null;
        var reader = new Utf8JsonReader(json, options);
        try
        {
            while (reader.Read())
            {
                var line = LineOf(reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var parent = stack.Count > 0 ? stack.Peek().Path : "";
                        pendingKey = Join(parent, reader.GetString()!);
                        map._lines.TryAdd(pendingKey, line);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        var path = ValuePath(stack, ref pendingKey, line, map);
                        stack.Push((path, reader.TokenType == JsonTokenType.StartArray, 0));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        stack.Pop();
                        break;
                    default:
                        ValuePath(stack, ref pendingKey, line, map);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Parse errors are reported by the loader; keep what was mapped.
        }
        return map;
    }

    /// <summary>The path of the value starting now: the pending key, or the next element of the enclosing array.</summary>
    private static string ValuePath(Stack<(string Path, bool IsArray, int Next)> stack, ref string? pendingKey, int line, JsonLineMap map)
    {
        if (pendingKey is { } key)
        {
            pendingKey = null;
            return key;
        }
        if (stack.Count == 0) return "";
        var top = stack.Pop();
        var path = $"{top.Path}[{top.Next}]";
        stack.Push(top with { Next = top.Next + 1 });
        map._lines.TryAdd(path, line);
        return path;
    }

    private static string Join(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    /// <summary>Line of <paramref name="path"/> or of its nearest mapped ancestor (a missing key: its object); null if none.</summary>
    public int? LineOf(string path)
    {
        var p = path;
        while (p.Length > 0)
        {
            if (_lines.TryGetValue(p, out var line)) return line;
            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            if (cut <= 0) break;
            p = p[..cut];
        }
        return null;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    public static string Preview(string text, int max = 40)
    {
        var sb = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] + "…" : text) sb.Append(char.IsControl(c) ? '?' : c);
        return sb.ToString();
    }
}

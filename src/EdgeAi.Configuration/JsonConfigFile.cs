using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace EdgeAi.Configuration;

/// <summary>
/// Reads a JSON config file (comments and trailing commas allowed, snake_case keys) into a typed record and reports
/// every problem at once as <c>file:line: key.path: reason</c>. Three passes: the shape (unknown keys, wrong types,
/// missing keys, bad enum values and durations; <see cref="ConfigShapeChecker"/>), then deserialization of the
/// repaired tree, then the meaning (the caller's <c>validate</c>: ranges, ids, files). Errors that follow from a shape
/// error at the same key are not repeated. Both services read their config files through this.
/// </summary>
public static class JsonConfigFile
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The deserializer settings every config file is read with: snake_case keys and enum values, comments,
    /// trailing commas, unknown keys refused, required keys and nullability respected.</summary>
    public static JsonSerializerOptions SerializerOptions() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>
    /// Reads <paramref name="path"/> as a <typeparamref name="T"/>. <paramref name="prepare"/> may rewrite the checked
    /// tree before it is deserialized (e.g. inherited sections); <paramref name="validate"/> returns the meaning errors
    /// of the value. Errors name the file as <paramref name="display"/> (default: its full path).
    /// </summary>
    /// <returns>The value (null when the file could not be read, parsed or deserialized) and every error, in file order.</returns>
    public static (T? Value, IReadOnlyList<string> Errors) Read<T>(string path, JsonSerializerOptions options, Func<T, IEnumerable<ConfigError>> validate,
        Action<JsonObject>? prepare = null, string? display = null) where T : class
    {
        var full = Path.GetFullPath(path);
        var name = display ?? full;
        if (!File.Exists(full)) return (null, [$"{name}: config file not found"]);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, [$"{name}: cannot read: {ex.Message}"]);
        }
        var lines = JsonLineMap.Build(bytes, ReaderOptions);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? $":{l + 1}" : "";
            return (null, [$"{name}{line}: not valid JSON: {FirstSentence(ex.Message)}"]);
        }
        if (root is not JsonObject obj) return (null, [$"{name}:1: the top level must be a JSON object"]);

        var shape = new ConfigShapeChecker(options);
        shape.Check(obj, typeof(T));
        prepare?.Invoke(obj);
        T value;
        try
        {
            value = obj.Deserialize<T>(options)!;
        }
        catch (JsonException ex)
        {
            // The shape check should have caught it; report rather than crash.
            return (null, [.. shape.Errors.Select(e => e.Format(name, lines.LineOf(e.Path))), $"{name}: {ex.Path ?? "$"}: {FirstSentence(ex.Message)}"]);
        }
        var meaning = validate(value).Where(e => !shape.Errors.Any(s => s.Covers(e.Path)));
        var errors = shape.Errors.Concat(meaning)
            .Select(e => (Error: e, Line: lines.LineOf(e.Path)))
            .OrderBy(x => x.Line ?? 0)
            .Select(x => x.Error.Format(name, x.Line))
            .Distinct()
            .ToList();
        return (value, errors);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

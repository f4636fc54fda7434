using System.Text.Json;
using EdgeAi.Configuration;

namespace EdgeAi.Central.Configuration;

/// <summary>
/// Reads one JSON object of the config file, collecting errors (with the key path) instead of throwing, so that
/// every problem is reported at once. Keys not read by the time <see cref="ReportUnknownKeys"/> runs are errors.
/// </summary>
internal sealed class ConfigSection
{
    private readonly JsonElement _element;
    private readonly List<string> _errors;
    private readonly string _file;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<ConfigSection> _children = [];
    private readonly JsonLineMap? _lines;

    /// <param name="lines">Where each key is in the file, so errors say "file:line: key: reason"; null when unknown.</param>
    public ConfigSection(JsonElement element, string path, string file, List<string> errors, JsonLineMap? lines = null)
    {
        _element = element;
        Path = path;
        _file = file;
        _errors = errors;
        _lines = lines;
    }

    public string Path { get; }

    private string Key(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public void Error(string key, string reason) => _errors.Add(new ConfigError(Key(key), reason).Format(_file, _lines?.LineOf(Key(key))));

    private JsonElement? Get(string key, JsonValueKind kind, string expected)
    {
        _read.Add(key);
        if (!_element.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == kind || (kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False)) return value;
        Error(key, $"must be {expected}, got {value.ValueKind.ToString().ToLowerInvariant()}");
        return null;
    }

    public bool Has(string key) => _element.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    public string? String(string key, string? fallback = null, bool required = false)
    {
        var v = Get(key, JsonValueKind.String, "a string");
        if (v is null)
        {
            if (required && !Has(key)) Error(key, "is required");
            return fallback;
        }
        var s = v.Value.GetString()!;
        if (required && string.IsNullOrWhiteSpace(s)) Error(key, "must not be empty");
        return s;
    }

    public double Number(string key, double fallback, double min, double max)
    {
        var v = Get(key, JsonValueKind.Number, "a number");
        if (v is null) return fallback;
        var d = v.Value.GetDouble();
        if (d < min || d > max || double.IsNaN(d))
        {
            Error(key, $"must be between {min} and {max}, got {d}");
            return fallback;
        }
        return d;
    }

    public int Int(string key, int fallback, int min, int max)
    {
        var v = Get(key, JsonValueKind.Number, "an integer");
        if (v is null) return fallback;
        if (!v.Value.TryGetInt64(out var l))
        {
            Error(key, $"must be an integer, got {v.Value.GetRawText()}");
            return fallback;
        }
        if (l < min || l > max)
        {
            Error(key, $"must be between {min} and {max}, got {l}");
            return fallback;
        }
        return (int)l;
    }

    /// <summary>A duration written in seconds (key names end in <c>_s</c>).</summary>
    public TimeSpan Seconds(string key, TimeSpan fallback, double min, double max) =>
        TimeSpan.FromSeconds(Number(key, fallback.TotalSeconds, min, max));

    public bool Bool(string key, bool fallback)
    {
        var v = Get(key, JsonValueKind.True, "true or false");
        return v?.GetBoolean() ?? fallback;
    }

    public ConfigSection? Section(string key)
    {
        var v = Get(key, JsonValueKind.Object, "an object");
        if (v is null) return null;
        var child = new ConfigSection(v.Value, Key(key), _file, _errors, _lines);
        _children.Add(child);
        return child;
    }

    /// <summary>Every property of this object as a section (for maps such as scenario → parameters).</summary>
    public IEnumerable<(string Name, ConfigSection Section)> Entries()
    {
        foreach (var p in _element.EnumerateObject())
        {
            _read.Add(p.Name);
            if (p.Value.ValueKind != JsonValueKind.Object)
            {
                Error(p.Name, "must be an object");
                continue;
            }
            var child = new ConfigSection(p.Value, Key(p.Name), _file, _errors, _lines);
            _children.Add(child);
            yield return (p.Name, child);
        }
    }

    /// <summary>Every property of this object as a string (for maps such as scenario → policy); others are errors.</summary>
    public IEnumerable<(string Name, string Value)> StringEntries()
    {
        foreach (var p in _element.EnumerateObject())
        {
            _read.Add(p.Name);
            if (p.Value.ValueKind != JsonValueKind.String) Error(p.Name, "must be a string");
            else yield return (p.Name, p.Value.GetString()!);
        }
    }

    /// <summary>The objects of the array at <paramref name="key"/>, each as a section (<c>key[i]</c>); none when absent.</summary>
    public IEnumerable<ConfigSection> Array(string key)
    {
        var v = Get(key, JsonValueKind.Array, "an array");
        if (v is null) yield break;
        var i = 0;
        foreach (var item in v.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object) Error($"{key}[{i}]", "must be an object");
            else
            {
                var child = new ConfigSection(item, Key($"{key}[{i}]"), _file, _errors, _lines);
                _children.Add(child);
                yield return child;
            }
            i++;
        }
    }

    /// <summary>The strings of the array at <paramref name="key"/>; empty when absent.</summary>
    public List<string> Strings(string key)
    {
        var v = Get(key, JsonValueKind.Array, "an array of strings");
        var list = new List<string>();
        if (v is null) return list;
        var i = 0;
        foreach (var item in v.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) Error($"{key}[{i}]", "must be a string");
            else list.Add(item.GetString()!);
            i++;
        }
        return list;
    }

    /// <summary>The names of this object's properties (each then read with a typed getter).</summary>
    public List<string> Names() => _element.EnumerateObject().Select(p => p.Name).ToList();

    public void ReportUnknownKeys()
    {
        foreach (var p in _element.EnumerateObject())
        {
            if (!_read.Contains(p.Name)) Error(p.Name, "unknown key");
        }
        foreach (var c in _children) c.ReportUnknownKeys();
    }
}

namespace EdgeAi.Configuration;

/// <summary>One problem in the config file: the key path (snake_case, as written in the file) and the reason.</summary>
/// <param name="Path">e.g. <c>cameras[1].scenarios.zones[0].polygon</c>; "" for the whole file.</param>
public sealed record ConfigError(string Path, string Reason)
{
    /// <summary>True when <paramref name="other"/> is this path or under it (an error there follows from this one).</summary>
    public bool Covers(string other) =>
        other == Path || (other.StartsWith(Path, StringComparison.Ordinal) && other.Length > Path.Length && other[Path.Length] is '.' or '[');

    /// <summary>"file:line: path: reason" — the form editors and terminals make clickable.</summary>
    public string Format(string file, int? line) =>
        $"{file}{(line is { } l ? $":{l}" : "")}: {(Path.Length > 0 ? Path + ": " : "")}{Reason}";
}

/// <summary>The config file is unusable; <see cref="Errors"/> lists every problem as "file:line: key: reason".</summary>
public sealed class ConfigException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

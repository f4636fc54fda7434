namespace EdgeAi.Central.Configuration;

/// <summary>The configuration is invalid; <see cref="Errors"/> lists every problem as "file: key: reason".</summary>
internal sealed class ConfigException(IReadOnlyList<string> errors)
    : Exception("invalid configuration:\n  " + string.Join("\n  ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

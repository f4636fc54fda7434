using System.Text.Json.Serialization;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace EdgeAi.Observability.Logging;

/// <summary>How a service logs: level, console format, optional file. The same keys in both services' configs.</summary>
/// <param name="Level">Verbose, Debug, Information (default), Warning or Error (<see cref="LoggingLevel"/>).</param>
/// <param name="Json">One JSON object per line on stdout (journald keeps them as the MESSAGE field), in Serilog's compact
/// format (CLEF: <c>@t</c> time, <c>@m</c> rendered message, <c>@i</c> message template hash, <c>@l</c> level unless Information,
/// <c>@x</c> exception, then the properties by name); default plain text.</param>
/// <param name="File">Optional log file, rolled daily, 14 files kept; null = stdout only (journald).</param>
public sealed record LoggingOptions(LoggingLevel Level = LoggingLevel.Information, bool Json = false, string? File = null);

/// <summary>The least severe events a service logs (<c>logging.level</c> in the worker's file, <c>log_level</c> in
/// Central's). Written in the files as Serilog's level names, capitalised (<c>"Information"</c>), not snake_case.</summary>
public enum LoggingLevel
{
    [JsonStringEnumMemberName("Verbose")] Verbose,
    [JsonStringEnumMemberName("Debug")] Debug,
    [JsonStringEnumMemberName("Information")] Information,
    [JsonStringEnumMemberName("Warning")] Warning,
    [JsonStringEnumMemberName("Error")] Error,
}

/// <summary>
/// Builds the Serilog logger both services use, so their logs look the same to journald and to a file. JSON lines are
/// written by Serilog.Formatting.Compact's <see cref="RenderedCompactJsonFormatter"/> (the message rendered, so
/// <c>journalctl -o cat | grep</c> finds what the text format shows).
/// </summary>
public static class EdgeAiLogging
{
    private const string TextTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static LoggerConfiguration Configure(LoggingOptions options, string service)
    {
        var level = options.Level switch
        {
            LoggingLevel.Verbose => LogEventLevel.Verbose,
            LoggingLevel.Debug => LogEventLevel.Debug,
            LoggingLevel.Warning => LogEventLevel.Warning,
            LoggingLevel.Error => LogEventLevel.Error,
            _ => LogEventLevel.Information,
        };
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Service", service);
        config = options.Json
            ? config.WriteTo.Console(new RenderedCompactJsonFormatter())
            : config.WriteTo.Console(outputTemplate: TextTemplate);
        if (options.File is { Length: > 0 } file)
            config = config.WriteTo.File(new RenderedCompactJsonFormatter(), file, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14);
        return config;
    }
}

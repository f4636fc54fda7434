using Serilog.Core;
using Serilog.Events;

namespace EdgeAi.Central.Tests.Infrastructure;

/// <summary>Keeps every log event at Error or above and every rendered message (to check that secrets never appear).</summary>
internal sealed class ErrorLogSink : ILogEventSink
{
    private readonly List<string> _errors = [];
    private readonly List<string> _all = [];

    public IReadOnlyList<string> Errors { get { lock (_errors) return [.. _errors]; } }

    public string AllText { get { lock (_all) return string.Join('\n', _all); } }

    public void Emit(LogEvent logEvent)
    {
        var text = $"{logEvent.Level} {logEvent.RenderMessage()} {logEvent.Exception}";
        lock (_all) _all.Add(text);
        if (logEvent.Level >= LogEventLevel.Error) lock (_errors) _errors.Add(text);
    }
}

using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Outbox;

internal sealed partial class EventOutbox
{
    [LoggerMessage(EventId = 305, Level = LogLevel.Information,
        Message = "Outbox {Path} opened: {Events} events, {Evidence} evidence blobs, {Bytes} bytes pending; last sequences: {Sequences}")]
    private partial void LogOpened(string path, long events, long evidence, long bytes, string sequences);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning,
        Message = "Outbox overflow ({Reason}; budget {MaxBytes} bytes, max age {MaxAgeHours:0.#} h): shed {Evidence} evidence blobs and {Events} events; totals since start: {TotalEvidence} evidence, {TotalEvents} events")]
    private partial void LogShed(long evidence, long events, string reason, long maxBytes, double maxAgeHours, long totalEvidence, long totalEvents);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "Outbox {Path}: a batch of {Count} operations failed and was not stored")]
    private partial void LogBatchFailed(Exception ex, string path, int count);

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "Outbox {Path}: writer failed")]
    private partial void LogWriterFailed(Exception ex, string path);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "Outbox {Path} closed")]
    private partial void LogClosed(string path);
}

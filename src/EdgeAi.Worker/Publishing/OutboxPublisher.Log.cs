using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Publishing;

internal sealed partial class OutboxPublisher
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Outbox publisher for {DeviceId} started (window {Window})")]
    private partial void LogStarted(string deviceId, int window);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Outbox publisher for {DeviceId} stopped ({Acknowledged} events acknowledged)")]
    private partial void LogStopped(string deviceId, long acknowledged);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning,
        Message = "Broker connection lost with {InFlight} events in flight; resuming from the oldest unacknowledged event after reconnect")]
    private partial void LogConnectionLost(int inFlight);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning,
        Message = "No PUBACK for event sequence {Sequence} within {TimeoutSeconds:0.#} s ({InFlight} in flight); resending from the oldest unacknowledged event")]
    private partial void LogAckOverdue(long sequence, double timeoutSeconds, int inFlight);

    [LoggerMessage(EventId = 404, Level = LogLevel.Error,
        Message = "Broker refused event sequence {Sequence} ({EventId}): {Reason}; kept in the outbox and retried with backoff")]
    private partial void LogEventRefused(long sequence, Guid eventId, string reason);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "Broker refused evidence {EvidenceId} of event sequence {Sequence}: {Reason}; the event goes on without it")]
    private partial void LogEvidenceRefused(string evidenceId, long sequence, string reason);

    [LoggerMessage(EventId = 406, Level = LogLevel.Error, Message = "Outbox publishing failed; retrying with backoff")]
    private partial void LogSessionFailed(Exception ex);

    [LoggerMessage(EventId = 407, Level = LogLevel.Error, Message = "Outbox row {RowId} (sequence {Sequence}) does not parse; published as stored, without publish_time")]
    private partial void LogUnreadableRow(Exception ex, long rowId, long sequence);

    [LoggerMessage(EventId = 408, Level = LogLevel.Warning,
        Message = "No subscriber holds event sequence {Sequence} ({EventId}) yet (broker answered 0x10: Central not connected or not yet re-subscribed); kept in the outbox and retried with backoff")]
    private partial void LogNoSubscribers(long sequence, Guid eventId);
}

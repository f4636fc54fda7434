using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeAi.Central.Cases;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Incidents;
using EdgeAi.Central.Storage;
using EdgeAi.Models;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Consuming;

/// <summary>
/// The single reader of the <see cref="InboundQueue"/>: validates each message with the shared contract, stores
/// rejected ones in the dead-letter table with the reason, and hands valid events to <see cref="IncidentService"/>
/// in batches. A store failure is retried with backoff until it succeeds (the queue fills and pushes back on the
/// broker meanwhile); nothing is dropped. At shutdown it drains the queue before returning.
/// </summary>
internal sealed partial class MessageProcessor(
    InboundQueue queue,
    IncidentService incidents,
    CaseWorkflow workflow,
    CentralStore store,
    InboundSpool spool,
    CentralOptions options,
    CentralMetrics metrics,
    TimeProvider time,
    ILogger<MessageProcessor> logger) : BackgroundService
{
    private readonly ConsumerSettings _settings = options.Consumer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<InboundMessage>(_settings.BatchSize);
        try
        {
            // Reads until the queue is completed (at shutdown, after the MQTT connection closed), so it drains.
            while (await queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < _settings.BatchSize && queue.Reader.TryRead(out var m)) batch.Add(m);
                if (await ProcessWithRetryAsync(batch, stoppingToken).ConfigureAwait(false)) spool.Committed(batch[^1].Sequence);
            }
        }
        catch (Exception ex)
        {
            LogLoopFailed(ex);
            throw;
        }
        finally
        {
            LogStopped(queue.Count);
        }
    }

    /// <summary>True when the batch is stored; false when given up at shutdown (it stays in the spool for the next start).</summary>
    private async Task<bool> ProcessWithRetryAsync(List<InboundMessage> batch, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ProcessAsync(batch, CancellationToken.None).ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException or IOException)
            {
                LogStoreFailed(ex, batch.Count, attempt, delay.TotalSeconds);
                if (stoppingToken.IsCancellationRequested && attempt >= 3)
                {
                    LogGivenUp(batch.Count);
                    return false;
                }
                await Task.Delay(delay, time, CancellationToken.None).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    /// <summary>Processes one batch: events together (one transaction), the rest one by one.</summary>
    internal async Task ProcessAsync(IReadOnlyList<InboundMessage> batch, CancellationToken ct)
    {
        var events = new List<ReceivedEvent>();
        foreach (var item in batch)
        {
            var m = item.Message;
            if (!Topics.TryParse(m.Topic, out var deviceId, out var kind, out var rest))
            {
                await DeadLetterAsync(item, null, "topic", $"unexpected topic '{Clip(m.Topic)}'", ct).ConfigureAwait(false);
                continue;
            }
            switch (kind)
            {
                case "events" when rest is null:
                    if (ParseEvent(item, deviceId, out var received, out var reason)) events.Add(received!);
                    else await DeadLetterAsync(item, deviceId, "event", reason!, ct).ConfigureAwait(false);
                    break;
                case "evidence" when rest is not null:
                    await EvidenceAsync(item, deviceId, rest, ct).ConfigureAwait(false);
                    break;
                case "status" when rest is null:
                    await StatusAsync(item, deviceId, ct).ConfigureAwait(false);
                    break;
                case "health" when rest is null:
                    await HealthAsync(item, deviceId, ct).ConfigureAwait(false);
                    break;
                case "replies" when rest is null:
                    await ReplyAsync(item, deviceId, ct).ConfigureAwait(false);
                    break;
                default:
                    await DeadLetterAsync(item, deviceId, "topic", $"unexpected topic '{Clip(m.Topic)}'", ct).ConfigureAwait(false);
                    break;
            }
        }
        if (events.Count == 0) return;
        var result = await incidents.IngestAsync(events, ct).ConfigureAwait(false);
        foreach (var (evt, reason) in result.Rejected)
        {
            await DeadLetterAsync(new InboundMessage(new Interop.Mqtt.MqttMessage(Topics.Events(evt.Event.DeviceId), Encoding.UTF8.GetBytes(evt.Json), 1, false, null, null), evt.ReceivedAt, 0, evt.Key),
                evt.Event.DeviceId, "event", reason, ct).ConfigureAwait(false);
        }
    }

    private static bool ParseEvent(InboundMessage item, string topicDevice, out ReceivedEvent? received, out string? reason)
    {
        received = null;
        if (!EdgeEventParser.TryParse(item.Message.Payload, out var evt, out reason)) return false;
        if (evt.DeviceId != topicDevice)
        {
            reason = $"device_id '{Clip(evt.DeviceId)}' does not match the topic's device '{Clip(topicDevice)}'";
            return false;
        }
        received = new ReceivedEvent(evt, Encoding.UTF8.GetString(item.Message.Payload), item.ReceivedAt, item.Key);
        return true;
    }

    /// <summary>Ids usable as topic segments and URL path segments: 1–64 of [A-Za-z0-9._-], not only dots.</summary>
    internal static bool IsSafeId(string id) =>
        id.Length is > 0 and <= EdgeEventSchema.MaxIdLength && !id.AsSpan().ContainsAnyExcept(SafeIdChars) && id.Trim('.').Length > 0;

    private static readonly System.Buffers.SearchValues<char> SafeIdChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    private async Task EvidenceAsync(InboundMessage item, string deviceId, string evidenceId, CancellationToken ct)
    {
        var m = item.Message;
        string? reason = null;
        if (!IsSafeId(evidenceId)) reason = $"evidence id '{Clip(evidenceId)}' is not 1-64 of [A-Za-z0-9._-]";
        else if (m.Payload.Length == 0) reason = "evidence is empty";
        else if (m.Payload.Length > _settings.MaxEvidenceBytes) reason = $"evidence too large: {m.Payload.Length} bytes (max {_settings.MaxEvidenceBytes})";
        var contentType = m.ContentType ?? Sniff(m.Payload);
        if (reason is null && contentType is not ("image/jpeg" or "image/png")) reason = $"evidence content type '{Clip(contentType ?? "(none)")}' is not image/jpeg or image/png";
        if (reason is null && Sniff(m.Payload) != contentType) reason = $"evidence bytes are not {contentType}";
        if (reason is not null)
        {
            await DeadLetterAsync(item, deviceId, "evidence", reason, ct).ConfigureAwait(false);
            return;
        }
        string? eventId = m.CorrelationData is { } cd && UuidV7.TryFromBytes(cd, out var id) ? id.ToString() : null;
        var stored = await store.AddEvidenceAsync(new EvidenceRow
        {
            EvidenceId = evidenceId, DeviceId = deviceId, EventId = eventId, ContentType = contentType!, Bytes = m.Payload.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(m.Payload)), Data = m.Payload, ReceivedAt = UnixMs.From(item.ReceivedAt),
        }, ct).ConfigureAwait(false);
        if (stored) metrics.EvidenceSaved();
    }

    private static string? Sniff(byte[] b) =>
        b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.Length >= 8 && b[0] == 0x89 && b[1] == (byte)'P' && b[2] == (byte)'N' && b[3] == (byte)'G' ? "image/png"
        : null;

    private async Task StatusAsync(InboundMessage item, string deviceId, CancellationToken ct)
    {
        var status = Deserialize(item, EdgeAiJsonContext.Default.DeviceStatus, out var reason);
        if (status is not null && status.DeviceId != deviceId) reason = $"device_id '{Clip(status.DeviceId)}' does not match the topic's device";
        if (status is null || reason is not null)
        {
            await DeadLetterAsync(item, deviceId, "status", reason ?? "empty status", ct).ConfigureAwait(false);
            return;
        }
        await store.UpsertDeviceStatusAsync(deviceId, status.State == DeviceState.Online, Encoding.UTF8.GetString(item.Message.Payload), item.ReceivedAt, ct).ConfigureAwait(false);
    }

    private async Task HealthAsync(InboundMessage item, string deviceId, CancellationToken ct)
    {
        var health = Deserialize(item, EdgeAiJsonContext.Default.DeviceHealth, out var reason);
        if (health is not null && health.DeviceId != deviceId) reason = $"device_id '{Clip(health.DeviceId)}' does not match the topic's device";
        if (health is null || reason is not null)
        {
            await DeadLetterAsync(item, deviceId, "health", reason ?? "empty health", ct).ConfigureAwait(false);
            return;
        }
        await store.UpsertDeviceHealthAsync(deviceId, Encoding.UTF8.GetString(item.Message.Payload), item.ReceivedAt, ct).ConfigureAwait(false);
    }

    private async Task ReplyAsync(InboundMessage item, string deviceId, CancellationToken ct)
    {
        var reply = Deserialize(item, EdgeAiJsonContext.Default.CommandReply, out var reason);
        if (reply is not null && reply.DeviceId != deviceId) reason = $"device_id '{Clip(reply.DeviceId)}' does not match the topic's device";
        if (reply is null || reason is not null)
        {
            await DeadLetterAsync(item, deviceId, "reply", reason ?? "empty reply", ct).ConfigureAwait(false);
            return;
        }
        var outcome = await workflow.ApplyVerificationAsync(deviceId, reply, ct).ConfigureAwait(false);
        if (outcome is { } problem) await DeadLetterAsync(item, deviceId, "reply", problem, ct).ConfigureAwait(false);
    }

    private T? Deserialize<T>(InboundMessage item, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, out string? reason) where T : class
    {
        reason = null;
        var payload = item.Message.Payload;
        if (payload.Length > _settings.MaxJsonBytes)
        {
            reason = $"payload too large: {payload.Length} bytes (max {_settings.MaxJsonBytes})";
            return null;
        }
        try
        {
            var value = JsonSerializer.Deserialize(payload, type);
            if (value is null) reason = "payload is null";
            return value;
        }
        catch (JsonException ex)
        {
            reason = $"invalid JSON at {ex.Path ?? "$"}: {Clip(ex.Message)}";
            return null;
        }
    }

    private async Task DeadLetterAsync(InboundMessage item, string? deviceId, string reasonClass, string reason, CancellationToken ct)
    {
        var payload = item.Message.Payload;
        var keep = Math.Min(payload.Length, _settings.DeadLetterKeepBytes);
        await store.AddDeadLetterAsync(new DeadLetterRow
        {
            Topic = Clip(item.Message.Topic, 256), DeviceId = deviceId is null ? null : Clip(deviceId, 128), Reason = Clip(reason, 1024),
            Payload = payload.AsSpan(0, keep).ToArray(), PayloadBytes = payload.Length, ReceivedAt = UnixMs.From(item.ReceivedAt),
            MessageKey = item.Key == Guid.Empty ? null : item.Key.ToString(),
        }, ct).ConfigureAwait(false);
        metrics.DeadLettered(reasonClass);
        LogRejected(Clip(item.Message.Topic, 256), reason);
    }

    private static string Clip(string s, int max = 64) => s.Length <= max ? s : s[..max] + "…";

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Rejected message on {Topic}: {Reason}")]
    private partial void LogRejected(string topic, string reason);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Storing {Count} messages failed (attempt {Attempt}); retrying in {DelaySeconds:0.#} s")]
    private partial void LogStoreFailed(Exception ex, int count, int attempt, double delaySeconds);

    [LoggerMessage(EventId = 212, Level = LogLevel.Error, Message = "Message processing loop failed")]
    private partial void LogLoopFailed(Exception ex);

    [LoggerMessage(EventId = 213, Level = LogLevel.Information, Message = "Message processor stopped ({Left} messages left in the queue)")]
    private partial void LogStopped(int left);

    [LoggerMessage(EventId = 214, Level = LogLevel.Error, Message = "Shutting down with the store unavailable: {Count} received messages were not stored; they stay in the spool for the next start")]
    private partial void LogGivenUp(int count);
}

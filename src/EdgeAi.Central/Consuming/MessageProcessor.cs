using System.Security.Cryptography;
using System.Text.Json;
using System.Text;
using EdgeAi.Central.Cases;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Incidents;
using EdgeAi.Central.Storage;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly.Retry;
using Polly;

namespace EdgeAi.Central.Consuming;

/// <summary>
/// The single reader of the <see cref="InboundQueue"/>: validates each message with the shared contract, stores
/// rejected ones in the dead-letter table with the reason, and hands valid events to <see cref="IncidentService"/>
/// in batches. Only once a batch is committed are its messages acknowledged to the broker (PUBACK, in arrival order), so a
/// crash at any point leaves every unstored message with the broker, which redelivers it (duplicates are dropped by event
/// id). A store failure is retried with backoff (Polly) until it succeeds; meanwhile the broker stops sending once each
/// connection has its Receive Maximum of unacknowledged messages. Nothing is dropped. At shutdown it drains the queue
/// before returning.
/// </summary>
internal sealed partial class MessageProcessor(
    InboundQueue queue,
    IncidentService incidents,
    CaseWorkflow workflow,
    Evidence.EvidenceService evidence,
    Evidence.EvidenceArrivals arrivals,
    CentralStore store,
    CentralOptions options,
    CentralMetrics metrics,
    TimeProvider time,
    ILogger<MessageProcessor> logger) : BackgroundService
{
    private readonly ConsumerSettings _settings = options.Consumer;
    private readonly List<(DeadLetterRow Row, string ReasonClass)> _letters = [];
    private readonly RejectLogLimiter _rejectLog = new(options.Consumer.RejectLogPerMinute, time);
    private CancellationToken _stopping;
    private ResiliencePipeline? _storeRetry;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        _storeRetry = StoreRetry();
        var batch = new List<InboundMessage>(_settings.BatchSize);
        try
        {
            // Reads until the queue is completed (at shutdown, after the MQTT connections closed), so it drains.
            while (await queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < _settings.BatchSize && queue.TryTake(out var m)) batch.Add(m);
                // A batch given up (shutdown with the store down) is not acknowledged: the broker redelivers it after the restart.
                if (await ProcessWithRetryAsync(batch).ConfigureAwait(false)) await AcknowledgeAsync(batch).ConfigureAwait(false);
                else queue.Acknowledged(batch.Count(m => m.Message.Acknowledgement is not null));
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

    /// <summary>
    /// Sends the stored batch's PUBACKs, started in arrival order and awaited together: each connection writes its packets
    /// in the order they were started (MQTTnet's send lock is first come, first served), so its own order is kept.
    /// </summary>
    private async Task AcknowledgeAsync(List<InboundMessage> batch)
    {
        _acks.Clear();
        foreach (var item in batch)
        {
            if (item.Message.Acknowledgement is { } ack) _acks.Add(ack.SendAsync().AsTask());
        }
        // A false result: that connection ended, and the broker redelivers the message (a duplicate, dropped by id).
        await Task.WhenAll(_acks).ConfigureAwait(false);
        queue.Acknowledged(_acks.Count);
    }

    private readonly List<Task<bool>> _acks = [];

    /// <summary>
    /// Store failures (database down or locked, timeouts) retried with exponential backoff from 200 ms to 30 s, forever;
    /// once the service is stopping, given up after the third attempt so shutdown completes.
    /// </summary>
    private ResiliencePipeline StoreRetry() => new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is System.Data.Common.DbException or TimeoutException or InvalidOperationException or IOException
                && !(_stopping.IsCancellationRequested && args.AttemptNumber >= 2)),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = false,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(30),
            OnRetry = args =>
            {
                LogStoreFailed(args.Outcome.Exception!, _retrying, args.AttemptNumber + 1, args.RetryDelay.TotalSeconds);
                return default;
            },
        })
        .Build();

    private int _retrying;

    /// <summary>True when the batch is stored; false when given up at shutdown (not acknowledged: the broker keeps it for the next start).</summary>
    private async Task<bool> ProcessWithRetryAsync(List<InboundMessage> batch)
    {
        _retrying = batch.Count;
        try
        {
            await _storeRetry!.ExecuteAsync(static async (state, ct) => await state.Self.ProcessAsync(state.Batch, ct).ConfigureAwait(false),
                (Self: this, Batch: batch), CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (_stopping.IsCancellationRequested && ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException or IOException)
        {
            LogGivenUp(batch.Count);
            return false;
        }
    }

    /// <summary>
    /// Processes one batch: events together (one transaction), dead letters together (one transaction), the rest one
    /// by one. Safe to repeat after a failure: every write is idempotent (event id, evidence id, dead-letter key).
    /// </summary>
    internal async Task ProcessAsync(IReadOnlyList<InboundMessage> batch, CancellationToken ct)
    {
        _letters.Clear();
        var events = new List<ReceivedEvent>();
        foreach (var item in batch)
        {
            var m = item.Message;
            if (!Topics.TryParse(m.Topic, out var deviceId, out var kind, out var rest))
            {
                DeadLetter(item, null, "topic", $"unexpected topic '{Clip(m.Topic)}'");
                continue;
            }
            switch (kind)
            {
                case "events" when rest is null:
                    if (ParseEvent(item, deviceId, _settings.MaxJsonBytes, out var received, out var reason)) events.Add(received!);
                    else DeadLetter(item, deviceId, "event", reason!);
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
                    DeadLetter(item, deviceId, "topic", $"unexpected topic '{Clip(m.Topic)}'");
                    break;
            }
        }
        if (events.Count > 0)
        {
            var result = await incidents.IngestAsync(events, ct).ConfigureAwait(false);
            // attached, blurred clips come on later events of the episode, usually after the case was filed: the platform gets them too
            var clips = events.SelectMany(e => e.Event.Evidence)
                .Where(x => x.Kind == EvidenceKinds.Clip && x.Delivery == EvidenceDelivery.Attached && x.Blurred != false).Select(x => x.Id).Distinct().ToList();
            if (clips.Count > 0) await workflow.ShareClipsAsync(clips, ct).ConfigureAwait(false);
            foreach (var (evt, reason) in result.Rejected)
            {
                DeadLetter(new InboundMessage(new Messaging.MqttMessage(Topics.Events(evt.Event.DeviceId), Encoding.UTF8.GetBytes(evt.Json), 1, false, null, null), evt.ReceivedAt, evt.Key),
                    evt.Event.DeviceId, "event", reason);
            }
        }
        await FlushDeadLettersAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Stores the batch's dead letters in one transaction, then counts them and logs (rate-limited) why.</summary>
    private async Task FlushDeadLettersAsync(CancellationToken ct)
    {
        if (_letters.Count == 0) return;
        await store.AddDeadLettersAsync(_letters.Select(l => l.Row).ToList(), ct).ConfigureAwait(false);
        foreach (var (row, reasonClass) in _letters)
        {
            metrics.DeadLettered(reasonClass);
            switch (_rejectLog.Admit(reasonClass, out var suppressed))
            {
                case RejectLogLimiter.Decision.Log:
                    LogRejected(row.Topic, row.Reason);
                    break;
                case RejectLogLimiter.Decision.LogWithSummary:
                    LogRejectedAfterSuppressed(row.Topic, row.Reason, suppressed, reasonClass);
                    break;
            }
        }
        _letters.Clear();
    }

    private static bool ParseEvent(InboundMessage item, string topicDevice, int maxBytes, out ReceivedEvent? received, out string? reason)
    {
        received = null;
        if (item.Message.Payload.Length > maxBytes)
        {
            // Before any parsing: the cheapest possible rejection of an oversized payload.
            reason = $"payload too large: {item.Message.Payload.Length} bytes (max {maxBytes})";
            return false;
        }
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
        var contentType = m.ContentType ?? Sniff(m.Payload);
        var isClip = contentType == "video/mp4";
        var max = isClip ? _settings.MaxClipBytes : _settings.MaxEvidenceBytes;
        if (!IsSafeId(evidenceId)) reason = $"evidence id '{Clip(evidenceId)}' is not 1-64 of [A-Za-z0-9._-]";
        else if (m.Payload.Length == 0) reason = "evidence is empty";
        else if (m.Payload.Length > max) reason = $"{(isClip ? "clip" : "evidence")} too large: {m.Payload.Length} bytes (max {max})";
        if (reason is null && contentType is not ("image/jpeg" or "image/png" or "video/mp4")) reason = $"evidence content type '{Clip(contentType ?? "(none)")}' is not image/jpeg, image/png or video/mp4";
        if (reason is null && Sniff(m.Payload) != contentType) reason = $"evidence bytes are not {contentType}";
        if (reason is not null)
        {
            DeadLetter(item, deviceId, "evidence", reason);
            return;
        }
        // correlation data: the event's id (attached evidence) or the command's (an after-picture, a fetched blob)
        string? eventId = m.CorrelationData is { } cd && UuidV7.TryFromBytes(cd, out var id) ? id.ToString() : null;
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(m.Payload));
        if (eventId is not null && await store.GetEvidenceRequestAsync(eventId, ct).ConfigureAwait(false) is { } request)
        {
            // a fetched blob must be what the event referenced, from the gateway asked
            var meta = await store.GetEvidenceMetaAsync(evidenceId, ct).ConfigureAwait(false);
            if (request.EvidenceId != evidenceId || request.DeviceId != deviceId) reason = $"blob for fetch command {eventId} is '{Clip(evidenceId)}' from {Clip(deviceId)}, not the '{request.EvidenceId}' asked of {request.DeviceId}";
            else if (meta is not null && meta.Sha256 != sha256) reason = $"fetched blob's SHA-256 {sha256} is not the referenced {meta.Sha256}";
            if (reason is not null)
            {
                DeadLetter(item, deviceId, "evidence", reason);
                return;
            }
        }
        var stored = await store.AddEvidenceAsync(new EvidenceRow
        {
            EvidenceId = evidenceId, DeviceId = deviceId, EventId = eventId, ContentType = contentType!, Bytes = m.Payload.Length,
            Sha256 = sha256, Data = m.Payload, ReceivedAt = UnixMs.From(item.ReceivedAt),
        }, ct).ConfigureAwait(false);
        if (stored) metrics.EvidenceSaved();
        arrivals.Signal();
    }

    private static string? Sniff(byte[] b) =>
        b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.Length >= 8 && b[0] == 0x89 && b[1] == (byte)'P' && b[2] == (byte)'N' && b[3] == (byte)'G' ? "image/png"
        : b.Length >= 12 && b[4] == (byte)'f' && b[5] == (byte)'t' && b[6] == (byte)'y' && b[7] == (byte)'p' ? "video/mp4"   // ISO BMFF: size, then the ftyp box
        : null;

    private async Task StatusAsync(InboundMessage item, string deviceId, CancellationToken ct)
    {
        var status = Deserialize(item, EdgeAiJsonContext.Default.DeviceStatus, out var reason);
        if (status is not null && status.DeviceId != deviceId) reason = $"device_id '{Clip(status.DeviceId)}' does not match the topic's device";
        if (status is null || reason is not null)
        {
            DeadLetter(item, deviceId, "status", reason ?? "empty status");
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
            DeadLetter(item, deviceId, "health", reason ?? "empty health");
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
            DeadLetter(item, deviceId, "reply", reason ?? "empty reply");
            return;
        }
        if (await evidence.ApplyReplyAsync(deviceId, reply, ct).ConfigureAwait(false)) return;   // an answer to fetch_evidence
        var outcome = await workflow.ApplyVerificationAsync(deviceId, reply, ct).ConfigureAwait(false);
        if (outcome is { } problem) DeadLetter(item, deviceId, "reply", problem);
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

    /// <summary>Adds a rejected message to the batch's dead letters (stored by <see cref="FlushDeadLettersAsync"/>).</summary>
    private void DeadLetter(InboundMessage item, string? deviceId, string reasonClass, string reason)
    {
        var payload = item.Message.Payload;
        var keep = Math.Min(payload.Length, _settings.DeadLetterKeepBytes);
        _letters.Add((new DeadLetterRow
        {
            Topic = Clip(item.Message.Topic, 256), DeviceId = deviceId is null ? null : Clip(deviceId, 128), Reason = Clip(reason, 1024),
            Payload = payload.AsSpan(0, keep).ToArray(), PayloadBytes = payload.Length, ReceivedAt = UnixMs.From(item.ReceivedAt),
            MessageKey = item.Key == Guid.Empty ? null : item.Key.ToString(),
        }, reasonClass));
    }

    private static string Clip(string s, int max = 64) => s.Length <= max ? s : s[..max] + "…";

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Rejected message on {Topic}: {Reason}")]
    private partial void LogRejected(string topic, string reason);

    [LoggerMessage(EventId = 215, Level = LogLevel.Warning, Message = "Rejected message on {Topic}: {Reason} ({Suppressed} more '{ReasonClass}' rejections in the last minute were counted but not logged)")]
    private partial void LogRejectedAfterSuppressed(string topic, string reason, long suppressed, string reasonClass);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Storing {Count} messages failed (attempt {Attempt}); retrying in {DelaySeconds:0.#} s")]
    private partial void LogStoreFailed(Exception ex, int count, int attempt, double delaySeconds);

    [LoggerMessage(EventId = 212, Level = LogLevel.Error, Message = "Message processing loop failed")]
    private partial void LogLoopFailed(Exception ex);

    [LoggerMessage(EventId = 213, Level = LogLevel.Information, Message = "Message processor stopped ({Left} messages left in the queue)")]
    private partial void LogStopped(int left);

    [LoggerMessage(EventId = 214, Level = LogLevel.Error, Message = "Shutting down with the store unavailable: {Count} received messages were not stored; not acknowledged, the broker delivers them again at the next start")]
    private partial void LogGivenUp(int count);
}

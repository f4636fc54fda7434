using System.Text.Json;
using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Models.Events;
using EdgeAi.Worker.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace EdgeAi.Worker.Publishing;

/// <summary>
/// Moves events from the <see cref="EventOutbox"/> to the broker: for each event in row (= sequence) order, its evidence
/// blobs on <c>edgeai/v1/{device}/evidence/{id}</c> (content type from the blob, correlation data = the event id's 16
/// bytes) then the event JSON on <c>edgeai/v1/{device}/events</c>, QoS 1, with publish_time stamped at send.
/// </summary>
/// <remarks>
/// Up to <see cref="DeliveryOptions.InFlightWindow"/> events are in flight at once; one connection keeps them in order.
/// A row is deleted only after its event's PUBACK. When the connection drops (or a PUBACK is overdue, or the broker refuses
/// an event) the window is abandoned and publishing resumes from the oldest unacknowledged row once connected again, so the
/// only duplicates are QoS 1 redeliveries of events in flight at that moment, which consumers drop by event_id.
/// A refused event (reason code ≥ 0x80, e.g. not authorized) is never dropped: it is retried with backoff and logged.
/// So is an event the broker acknowledged with 0x10 "no matching subscribers": nobody holds it (after a broker restart,
/// mosquitto may not restore Central's shared subscription until Central reconnects), so it stays in the outbox.
/// A refused evidence blob is counted and logged, and its event goes on. Not thread-safe: one <see cref="RunAsync"/> at a time.
/// </remarks>
internal sealed partial class OutboxPublisher
{
    private readonly EventOutbox _outbox;
    private readonly MqttClient _client;
    private readonly DeliveryOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<SessionEnd> _retry;
    private CancellationTokenSource? _connection;
    private long _acknowledged;
    private long _published;
    private long _evidenceRefused;
    private long _resumes;

    public OutboxPublisher(EventOutbox outbox, MqttClient client, DeliveryOptions options, ILogger<OutboxPublisher>? logger = null, TimeProvider? time = null)
    {
        _outbox = outbox;
        _client = client;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _client.StateChanged += OnStateChanged;
        _retry = CreateRetry();
    }

    /// <summary>Events acknowledged by the broker and deleted from the outbox since start.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Event publishes handed to the MQTT client since start (resends included).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Evidence blobs the broker refused (their events were delivered).</summary>
    public long EvidenceRefused => Interlocked.Read(ref _evidenceRefused);

    /// <summary>Times publishing restarted from the oldest unacknowledged row (reconnects, overdue PUBACKs, refusals).</summary>
    public long Resumes => Interlocked.Read(ref _resumes);

    /// <summary>
    /// Called on the publishing loop for each event whose PUBACK (and its evidence's) has been taken in, before the row is
    /// deleted; for latency measurement (benchmarks). Must be quick and must not throw.
    /// </summary>
    public Action<OutboxEntry>? EventDelivered { get; set; }

    /// <summary>Publishes until <paramref name="ct"/> is cancelled; survives broker outages and storage errors.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        LogStarted(_options.DeviceId, _options.InFlightWindow);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // One execution lasts until a session ends for a reason that needs no wait (disconnect, overdue PUBACK);
                // refusals, 0x10 and failures are retried inside it with exponential backoff, reset by the next execution.
                await _retry.ExecuteAsync(static (self, token) => self.RunSessionAsync(token), this, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            LogStopped(_options.DeviceId, Acknowledged);
        }
    }

    /// <summary>Sessions ended by a refusal, "no matching subscribers" or a failure are retried after RetryMinDelay, doubling up to RetryMaxDelay.</summary>
    private ResiliencePipeline<SessionEnd> CreateRetry() => new ResiliencePipelineBuilder<SessionEnd> { TimeProvider = _time }
        .AddRetry(new RetryStrategyOptions<SessionEnd>
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is SessionEnd.Refused or SessionEnd.NoSubscribers or SessionEnd.Failed),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = false,
            Delay = _options.RetryMinDelay,
            MaxDelay = _options.RetryMaxDelay,
        })
        .Build();

    /// <summary>Waits for the connection, then publishes over it until it ends; one cancellation source per session.</summary>
    private async ValueTask<SessionEnd> RunSessionAsync(CancellationToken ct)
    {
        await _client.WaitConnectedAsync(ct).ConfigureAwait(false);
        var session = new CancellationTokenSource();   // never disposed: the client's loop may still cancel it
        Volatile.Write(ref _connection, session);
        SessionEnd end;
        using (ct.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), session))
        {
            if (_client.State != MqttConnectionState.Connected) session.Cancel();   // lost before we were listening
            try
            {
                end = await PublishSessionAsync(session.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OperationCanceledException)
            {
                LogSessionFailed(ex);
                end = SessionEnd.Failed;
            }
        }
        ct.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _resumes);
        return end;
    }

    private async Task<SessionEnd> PublishSessionAsync(CancellationToken session)
    {
        var window = new Queue<InFlight>(_options.InFlightWindow);
        var acked = new List<long>(_options.InFlightWindow);
        Task deleting = Task.CompletedTask;   // the previous acknowledgement's delete, overlapped with publishing
        long after = 0;   // highest row id handed to the client in this session: resume from the oldest unacknowledged row
        try
        {
            while (true)
            {
                while (window.Count < _options.InFlightWindow)
                {
                    var committed = _outbox.LastRowId;
                    var wanted = _options.InFlightWindow - window.Count;
                    var batch = await _outbox.PeekBatchAsync(after, wanted, session).ConfigureAwait(false);
                    foreach (var entry in batch)
                    {
                        window.Enqueue(Send(entry));
                        after = entry.RowId;
                    }
                    if (batch.Count < wanted)
                    {
                        // Rows up to `committed` that we did not get are gone (acknowledged or shed): wait for newer ones only.
                        after = Math.Max(after, committed);
                        break;
                    }
                }

                if (window.Count == 0)
                {
                    await _outbox.WaitForRowsAfterAsync(after, session).ConfigureAwait(false);
                    continue;
                }

                var head = window.Peek();
                try
                {
                    await head.Completion.WaitAsync(_options.AckTimeout, _time, session).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    LogAckOverdue(head.Entry.Sequence, _options.AckTimeout.TotalSeconds, window.Count);
                    return SessionEnd.AckOverdue;
                }
                catch (Exception) when (head.Completion.IsFaulted)
                {
                    // examined below
                }

                while (window.TryPeek(out var done) && done.Completion.IsCompleted)
                {
                    if (Delivered(done) is { } notDelivered) return notDelivered;   // stays at the head, so nothing after it is acknowledged
                    window.Dequeue();
                    acked.Add(done.Entry.RowId);
                    EventDelivered?.Invoke(done.Entry);
                }
                // One delete transaction (an fsync) at a time, running while the window refills.
                await deleting.ConfigureAwait(false);
                deleting = FlushAsync(acked);
            }
        }
        catch (OperationCanceledException) when (session.IsCancellationRequested)
        {
            if (_client.State != MqttConnectionState.Connected) LogConnectionLost(window.Count);
            return SessionEnd.Disconnected;
        }
        finally
        {
            // PUBACKs already received are real: record those at the head of the window, in order, however the session ended.
            foreach (var done in window)
            {
                if (!done.EventAck.IsCompletedSuccessfully || !done.EventAck.Result.IsDelivered) break;
                acked.Add(done.Entry.RowId);
            }
            await deleting.ConfigureAwait(false);
            await FlushAsync(acked).ConfigureAwait(false);
        }
    }

    /// <summary>Null when the event's PUBACK says it was delivered, else why not (logged). Evidence refusals do not stop the event.</summary>
    private SessionEnd? Delivered(InFlight f)
    {
        var evt = f.EventAck;
        if (evt.IsCompletedSuccessfully && evt.Result.ReasonCode == PublishResult.NoMatchingSubscribers)
        {
            LogNoSubscribers(f.Entry.Sequence, f.Entry.EventId);
            return SessionEnd.NoSubscribers;
        }
        if (evt.Exception?.InnerException is MqttException { Code: MqttException.ConnectionLost or MqttException.NotConnected })
        {
            return SessionEnd.Disconnected;   // not a refusal: resume from this event once connected again
        }
        if (!evt.IsCompletedSuccessfully || !evt.Result.IsSuccess)
        {
            LogEventRefused(f.Entry.Sequence, f.Entry.EventId, Describe(evt));
            return SessionEnd.Refused;
        }
        for (var i = 0; i < f.EvidenceAcks.Length; i++)
        {
            var ack = f.EvidenceAcks[i];
            if (ack.IsCompletedSuccessfully && ack.Result.IsSuccess) continue;
            Interlocked.Increment(ref _evidenceRefused);
            LogEvidenceRefused(f.Entry.Evidence[i].EvidenceId, f.Entry.Sequence, Describe(ack));
        }
        return null;
    }

    private static string Describe(Task<PublishResult> ack) => ack.IsCompletedSuccessfully
        ? $"0x{ack.Result.ReasonCode:x2} {ack.Result.Reason}"
        : ack.Exception?.InnerException?.Message ?? "cancelled";

    /// <summary>Deletes the acknowledged rows; <paramref name="acked"/> is copied and cleared at once, so it can be refilled meanwhile.</summary>
    private Task FlushAsync(List<long> acked)
    {
        if (acked.Count == 0) return Task.CompletedTask;
        var ids = acked.ToArray();
        acked.Clear();
        return Delete(ids);

        async Task Delete(long[] rows)
        {
            await _outbox.AcknowledgeAsync(rows, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Add(ref _acknowledged, rows.Length);
        }
    }

    private InFlight Send(OutboxEntry entry)
    {
        var correlation = UuidV7.ToBytes(entry.EventId);
        var evidence = new Task<PublishResult>[entry.Evidence.Count];
        for (var i = 0; i < evidence.Length; i++)
        {
            var blob = entry.Evidence[i];
            evidence[i] = Publish(Topics.Evidence(entry.DeviceId, blob.EvidenceId), blob.Data, blob.ContentType, correlation);
        }
        var evt = Publish(Topics.Events(entry.DeviceId), Stamp(entry), "application/json", default);
        Interlocked.Increment(ref _published);
        return new InFlight(entry, evidence, evt);
    }

    private Task<PublishResult> Publish(string topic, ReadOnlySpan<byte> payload, string contentType, ReadOnlySpan<byte> correlation)
    {
        try
        {
            return _client.PublishAsync(topic, payload, qos: 1, retain: false, contentType, correlation);
        }
        catch (Exception ex) when (ex is MqttException or ObjectDisposedException)
        {
            return Task.FromException<PublishResult>(ex);
        }
    }

    /// <summary>
    /// The stored JSON with publish_time set now. The outbox stores compact JSON objects without publish_time, so the property
    /// is appended before the closing brace (no re-serialisation); anything else is re-serialised, or sent as stored if it
    /// does not parse (Central will say why).
    /// </summary>
    private byte[] Stamp(OutboxEntry entry)
    {
        var stored = entry.Payload;
        var now = _time.GetUtcNow();
        if (stored.Length > 2 && stored[0] == (byte)'{' && stored[^1] == (byte)'}' && stored.AsSpan().IndexOf("\"publish_time\""u8) < 0)
        {
            Span<byte> suffix = stackalloc byte[64];
            var n = 0;
            ",\"publish_time\":\""u8.CopyTo(suffix);
            n += 17;
            now.UtcDateTime.TryFormat(suffix[n..], out var written, "O", System.Globalization.CultureInfo.InvariantCulture);
            n += written;
            "\"}"u8.CopyTo(suffix[n..]);
            n += 2;
            var stamped = new byte[stored.Length - 1 + n];
            stored.AsSpan(0, stored.Length - 1).CopyTo(stamped);
            suffix[..n].CopyTo(stamped.AsSpan(stored.Length - 1));
            return stamped;
        }
        try
        {
            var evt = JsonSerializer.Deserialize(stored, EdgeAiJsonContext.Default.EdgeEvent);
            if (evt is not null) return JsonSerializer.SerializeToUtf8Bytes(evt with { PublishTime = now }, EdgeAiJsonContext.Default.EdgeEvent);
        }
        catch (JsonException ex)
        {
            LogUnreadableRow(ex, entry.RowId, entry.Sequence);
        }
        return stored;
    }

    private void OnStateChanged(MqttConnectionState state, string? reason)
    {
        // The client's supervising loop: must not block. CancelAsync runs the session's continuations on the thread pool.
        if (state != MqttConnectionState.Connected) _ = Volatile.Read(ref _connection)?.CancelAsync();
    }

    private enum SessionEnd
    {
        Disconnected,
        AckOverdue,
        Refused,
        NoSubscribers,
        Failed,
    }

    /// <summary>One event and its evidence handed to the client; <see cref="Completion"/> ends when every PUBACK (or failure) is in.</summary>
    private sealed class InFlight
    {
        public InFlight(OutboxEntry entry, Task<PublishResult>[] evidenceAcks, Task<PublishResult> eventAck)
        {
            Entry = entry;
            EvidenceAcks = evidenceAcks;
            EventAck = eventAck;
            Completion = evidenceAcks.Length == 0 ? eventAck : Task.WhenAll([.. evidenceAcks, eventAck]);
        }

        public OutboxEntry Entry { get; }
        public Task<PublishResult>[] EvidenceAcks { get; }
        public Task<PublishResult> EventAck { get; }
        public Task Completion { get; }
    }
}

using System.Text.Json;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Consuming;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Models.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Cases;

/// <summary>
/// Delivers outbox items: files cases, sends notifications to the platform and verification commands to devices.
/// Items are leased (several instances share the table; a crashed owner's lease expires and the item is sent
/// again — the Idempotency-Key makes that harmless). Failures are retried with exponential backoff and jitter;
/// after <see cref="RetrySettings.MaxAttempts"/> attempts, past <see cref="RetrySettings.MaxAge"/>, or on a
/// permanent error the item is parked dead with its last error (a dead filing makes the case <c>dead</c>).
/// </summary>
internal sealed partial class OutboxDispatcher(
    CentralStore store,
    IPlatformAdapter platform,
    FilingBuilder filings,
    CentralMqtt mqtt,
    CentralOptions options,
    OutboxSignal signal,
    CentralMetrics metrics,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int ClaimBatch = 16;
    private readonly PlatformSettings _settings = options.Platform;

    /// <summary>An item is leased for this long; a lease outliving its owner makes the item due again.</summary>
    public TimeSpan Lease => _settings.RequestTimeout * 2 + TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(options.InstanceId, _settings.Kind, _settings.Url.GetLeftPart(UriPartial.Path));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var now = time.GetUtcNow();
                    var items = await store.ClaimOutboxAsync(options.InstanceId, now, now + Lease, ClaimBatch, stoppingToken).ConfigureAwait(false);
                    if (items.Count > 0)
                    {
                        await Task.WhenAll(items.Select(i => HandleAsync(i, stoppingToken))).ConfigureAwait(false);
                        continue;
                    }
                    var wait = _settings.OutboxPollInterval;
                    if (await store.NextOutboxDueAsync(stoppingToken).ConfigureAwait(false) is { } due)
                    {
                        var until = due - time.GetUtcNow();
                        if (until < wait) wait = until < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : until;
                    }
                    await signal.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogLoopError(ex);
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            LogStopped();
        }
    }

    private async Task HandleAsync(OutboxRow item, CancellationToken ct)
    {
        PlatformResult result;
        try
        {
            result = item.Kind switch
            {
                OutboxKinds.File => await FileAsync(item, ct).ConfigureAwait(false),
                OutboxKinds.Notify => await NotifyAsync(item, ct).ConfigureAwait(false),
                OutboxKinds.Verify => await VerifyAsync(item, ct).ConfigureAwait(false),
                _ => PlatformResult.Permanent($"unknown outbox kind '{item.Kind}'"),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            result = PlatformResult.Transient($"{ex.GetType().Name}: {ex.Message}");
        }

        var now = time.GetUtcNow();
        if (result.Ok)
        {
            if (item.Kind == OutboxKinds.File)
            {
                var id = result.PlatformCaseId!;
                var done = await store.CompleteOutboxAsync(item, options.InstanceId, row =>
                    row.State is CaseStates.Detected or CaseStates.Dead
                        ? new CaseUpdate(CaseStates.Filed, "platform", $"filed as {id}") { PlatformCaseId = id }
                        : row.PlatformCaseId is null ? new CaseUpdate(row.State, "platform", $"filing acknowledged as {id}") { KeepState = true, PlatformCaseId = id } : null,
                    now, CancellationToken.None).ConfigureAwait(false);
                if (done)
                {
                    metrics.CaseFiled();
                    LogFiled(item.CaseId, id, item.Attempts + 1);
                }
            }
            else
            {
                await store.CompleteOutboxAsync(item, options.InstanceId, null, now, CancellationToken.None).ConfigureAwait(false);
            }
            return;
        }

        metrics.OutboxFailed();
        var attempts = item.Attempts + 1;
        var age = now - UnixMs.ToTime(item.CreatedAt);
        if (!result.Retryable || attempts >= _settings.Retry.MaxAttempts || age >= _settings.Retry.MaxAge)
        {
            await store.ParkOutboxAsync(item, result.Error!, item.Kind == OutboxKinds.File ? CaseStates.Dead : null, now, CancellationToken.None).ConfigureAwait(false);
            LogParked(item.Kind, item.CaseId, attempts, result.Error!);
            return;
        }
        var delay = Backoff.Delay(_settings.Retry, attempts);
        await store.RetryOutboxAsync(item, result.Error!, now + delay, now, CancellationToken.None).ConfigureAwait(false);
        LogRetry(item.Kind, item.CaseId, attempts, result.Error!, delay.TotalSeconds);
    }

    private async Task<PlatformResult> FileAsync(OutboxRow item, CancellationToken ct)
    {
        var filing = await filings.BuildAsync(item.CaseId, ct).ConfigureAwait(false);
        if (filing is null) return PlatformResult.Permanent($"case {item.CaseId} or its incident no longer exists");
        return await platform.FileAsync(filing, ct).ConfigureAwait(false);
    }

    private async Task<PlatformResult> NotifyAsync(OutboxRow item, CancellationToken ct)
    {
        var c = await store.GetCaseAsync(item.CaseId, ct).ConfigureAwait(false);
        if (c is null) return PlatformResult.Permanent($"case {item.CaseId} no longer exists");
        if (c.PlatformCaseId is null)
            return c.State == CaseStates.Dead ? PlatformResult.Permanent("the case was never filed") : PlatformResult.Transient("the case is not filed yet");
        var n = JsonSerializer.Deserialize<CaseNotification>(item.Payload ?? "null", PlatformJson.Options);
        if (n is null) return PlatformResult.Permanent("empty notification");
        return await platform.NotifyAsync(n with { PlatformCaseId = c.PlatformCaseId }, ct).ConfigureAwait(false);
    }

    private async Task<PlatformResult> VerifyAsync(OutboxRow item, CancellationToken ct)
    {
        var command = JsonSerializer.Deserialize(item.Payload ?? "null", EdgeAiJsonContext.Default.DeviceCommand);
        if (command is null) return PlatformResult.Permanent("empty command");
        var row = await store.GetCommandAsync(command.CommandId.ToString(), ct).ConfigureAwait(false);
        if (row is null) return PlatformResult.Permanent($"command {command.CommandId} not found");
        if (!mqtt.IsConnected) return PlatformResult.Transient("MQTT not connected");
        var payload = JsonSerializer.SerializeToUtf8Bytes(command, EdgeAiJsonContext.Default.DeviceCommand);
        PublishResult ack;
        try
        {
            ack = await mqtt.Client.PublishAsync(Topics.Commands(row.DeviceId), payload, qos: 1, contentType: "application/json")
                .WaitAsync(_settings.RequestTimeout, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttException or TimeoutException or ObjectDisposedException)
        {
            return PlatformResult.Transient($"publish to {Topics.Commands(row.DeviceId)}: {ex.Message}");
        }
        if (!ack.IsSuccess) return PlatformResult.Transient($"broker refused the command: {ack.Reason}");
        await store.MarkCommandSentAsync(row.CommandId, time.GetUtcNow(), ct).ConfigureAwait(false);
        LogCommandSent(row.CommandId, row.DeviceId, row.CameraId, row.CaseId);
        return PlatformResult.Success();
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Outbox dispatcher {Instance} started: {Kind} platform at {Url}")]
    private partial void LogStarted(string instance, PlatformKind kind, string url);

    [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Case {CaseId} filed as {PlatformCaseId} (attempt {Attempt})")]
    private partial void LogFiled(string caseId, string platformCaseId, long attempt);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Outbox {Kind} for case {CaseId} failed (attempt {Attempt}): {Error}; retrying in {DelaySeconds:0.#} s")]
    private partial void LogRetry(string kind, string caseId, long attempt, string error, double delaySeconds);

    [LoggerMessage(EventId = 603, Level = LogLevel.Error, Message = "Outbox {Kind} for case {CaseId} parked dead after {Attempts} attempts: {Error}")]
    private partial void LogParked(string kind, string caseId, long attempts, string error);

    [LoggerMessage(EventId = 604, Level = LogLevel.Error, Message = "Outbox loop failed; continuing")]
    private partial void LogLoopError(Exception ex);

    [LoggerMessage(EventId = 605, Level = LogLevel.Information, Message = "Outbox dispatcher stopped")]
    private partial void LogStopped();

    [LoggerMessage(EventId = 606, Level = LogLevel.Information, Message = "Verification command {CommandId} sent to {DeviceId}/{CameraId} for case {CaseId}")]
    private partial void LogCommandSent(string commandId, string deviceId, string cameraId, string caseId);
}

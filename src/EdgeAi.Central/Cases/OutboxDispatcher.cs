using System.Collections.Concurrent;
using System.Text.Json;
using EdgeAi.Central.Broker;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using EdgeAi.Messaging;
using EdgeAi.Models.Events;
using EdgeAi.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;

namespace EdgeAi.Central.Cases;

/// <summary>
/// Delivers outbox items: files cases, sends notifications to the platform and verification commands to devices.
/// Items are leased (several instances share the table; a crashed owner's lease expires and the item is sent
/// again — the Idempotency-Key makes that harmless). Each leased item runs on its own task (at most
/// <see cref="MaxInFlight"/>) through the <see cref="OutboxRetry"/> Polly pipeline: a transient failure is recorded,
/// the lease kept until the next attempt, and retried after exponential backoff with jitter; after
/// <see cref="RetrySettings.MaxAttempts"/> attempts, past <see cref="RetrySettings.MaxAge"/>, or on a permanent error
/// the item is parked dead with its last error (a dead filing makes the case <c>dead</c>).
/// </summary>
internal sealed partial class OutboxDispatcher : BackgroundService
{
    private const int ClaimBatch = 16;

    /// <summary>Items delivered or waiting for their next attempt at once by this instance.</summary>
    public const int MaxInFlight = 64;

    private readonly CentralStore store;
    private readonly IPlatformAdapter platform;
    private readonly FilingBuilder filings;
    private readonly CentralMqtt mqtt;
    private readonly CentralOptions options;
    private readonly OutboxSignal signal;
    private readonly CentralMetrics metrics;
    private readonly TimeProvider time;
    private readonly ILogger<OutboxDispatcher> logger;
    private readonly PlatformSettings _settings;
    private readonly ResiliencePipeline<PlatformResult> _retry;
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();

    public OutboxDispatcher(CentralStore store, IPlatformAdapter platform, FilingBuilder filings, CentralMqtt mqtt, CentralOptions options,
        OutboxSignal signal, CentralMetrics metrics, TimeProvider time, ILogger<OutboxDispatcher> logger)
    {
        this.store = store;
        this.platform = platform;
        this.filings = filings;
        this.mqtt = mqtt;
        this.options = options;
        this.signal = signal;
        this.metrics = metrics;
        this.time = time;
        this.logger = logger;
        _settings = options.Platform;
        _retry = OutboxRetry.Create(_settings.Retry, time, RecordRetryAsync);
    }

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
                    var free = MaxInFlight - _inFlight.Count;
                    if (free > 0)
                    {
                        var now = time.GetUtcNow();
                        var items = await store.ClaimOutboxAsync(options.InstanceId, now, now + Lease, Math.Min(ClaimBatch, free), stoppingToken).ConfigureAwait(false);
                        foreach (var item in items) Start(item, stoppingToken);
                        if (items.Count > 0) continue;
                    }
                    var wait = _settings.OutboxPollInterval;
                    if (free > 0 && await store.NextOutboxDueAsync(stoppingToken).ConfigureAwait(false) is { } due)
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
            try
            {
                await Task.WhenAll(_inFlight.Values).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // items waiting for a retry keep their lease and next attempt time in the table
            }
            LogStopped();
        }
    }

    private void Start(OutboxRow item, CancellationToken ct)
    {
        var task = Task.Run(() => HandleAsync(item, ct), CancellationToken.None);
        _inFlight[item.Id] = task;
        task.ContinueWith(_ =>
        {
            _inFlight.TryRemove(item.Id, out var _);
            signal.Wake();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task HandleAsync(OutboxRow item, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(OutboxRetry.Item, item);
        PlatformResult result;
        try
        {
            result = await _retry.ExecuteAsync(static (ctx, state) => new ValueTask<PlatformResult>(state.Self.AttemptAsync(state.Item, ctx.CancellationToken)),
                context, (Self: this, Item: item)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        var now = time.GetUtcNow();
        if (result.Ok)
        {
            if (item.Kind == OutboxKind.File)
            {
                var id = result.PlatformCaseId!;
                var done = await store.CompleteOutboxAsync(item, options.InstanceId, row =>
                    CaseStates.CanMove(row.State, CaseState.Filed)   // detected, or dead (a late acknowledgement)
                        ? new CaseUpdate(CaseState.Filed, "platform", $"filed as {id}") { PlatformCaseId = id }
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
        await store.ParkOutboxAsync(item, result.Error!, item.Kind == OutboxKind.File ? CaseState.Dead : null, now, CancellationToken.None).ConfigureAwait(false);
        LogParked(item.KindText, item.CaseId, item.Attempts + 1, result.Error!);
    }

    /// <summary>One delivery attempt; faults become transient results (the pipeline decides on retries).</summary>
    private async Task<PlatformResult> AttemptAsync(OutboxRow item, CancellationToken ct)
    {
        try
        {
            return item.Kind switch
            {
                OutboxKind.File => await FileAsync(item, ct).ConfigureAwait(false),
                OutboxKind.Notify => await NotifyAsync(item, ct).ConfigureAwait(false),
                OutboxKind.Verify => await VerifyAsync(item, ct).ConfigureAwait(false),
                _ => PlatformResult.Permanent($"unknown outbox kind '{item.KindText}'"),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return PlatformResult.Transient($"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Records a failed attempt before the pipeline's delay: the next attempt's time, with the lease kept until then plus a lease.</summary>
    private async ValueTask RecordRetryAsync(OutboxRow item, PlatformResult result, TimeSpan delay)
    {
        metrics.OutboxFailed();
        var now = time.GetUtcNow();
        await store.RetryOutboxAsync(item, result.Error!, now + delay, now + delay + Lease, now, CancellationToken.None).ConfigureAwait(false);
        item.Attempts++;
        LogRetry(item.KindText, item.CaseId, item.Attempts, result.Error!, delay.TotalSeconds);
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
            return c.State == CaseState.Dead ? PlatformResult.Permanent("the case was never filed") : PlatformResult.Transient("the case is not filed yet");
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
        var sent = await mqtt.PublishCommandAsync(row.DeviceId, command, _settings.RequestTimeout, time, ct).ConfigureAwait(false);
        if (sent.Failure is { } failure) return PlatformResult.Transient($"publish to {Topics.Commands(row.DeviceId)}: {failure}");
        if (sent.Refused is { } refused) return PlatformResult.Transient($"broker refused the command: {refused}");
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

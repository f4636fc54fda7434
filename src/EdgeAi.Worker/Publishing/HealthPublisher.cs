using System.Text.Json;
using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Worker.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Worker.Publishing;

/// <summary>
/// Publishes a <see cref="DeviceHealth"/> snapshot from a provider delegate every <see cref="DeliveryOptions.HealthInterval"/>
/// on <c>edgeai/v1/{device}/health</c> (QoS 0, retained: a dashboard that subscribes later sees the last one). While
/// disconnected, snapshots are skipped, not queued. The outbox depth is filled in when the provider leaves it null.
/// </summary>
internal sealed partial class HealthPublisher(
    MqttClient client,
    DeliveryOptions options,
    Func<DeviceHealth> provider,
    EventOutbox? outbox = null,
    ILogger<HealthPublisher>? logger = null,
    TimeProvider? time = null)
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _published;

    /// <summary>Snapshots handed to the client since start.</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Publishes until <paramref name="ct"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.HealthInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                PublishOnce();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Takes one snapshot and publishes it when connected; false when skipped.</summary>
    public bool PublishOnce()
    {
        if (client.State != MqttConnectionState.Connected) return false;
        try
        {
            var health = provider();
            if (health.Outbox is null && outbox is not null) health = health with { Outbox = outbox.Depth.ToHealth(_time.GetUtcNow()) };
            var payload = JsonSerializer.SerializeToUtf8Bytes(health, EdgeAiJsonContext.Default.DeviceHealth);
            // QoS 0 completes at once; it fails only when the connection dropped meanwhile (then this snapshot is skipped).
            var sent = client.PublishAsync(Topics.Health(options.DeviceId), payload, qos: 0, retain: true, contentType: "application/json");
            if (sent.IsFaulted)
            {
                _ = sent.Exception;   // observed
                return false;
            }
            Interlocked.Increment(ref _published);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogHealthFailed(ex);
            return false;
        }
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Warning, Message = "Health snapshot not published")]
    private partial void LogHealthFailed(Exception ex);
}

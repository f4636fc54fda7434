using EdgeAi.Central.Broker;
using EdgeAi.Central.Configuration;
using EdgeAi.Messaging;
using EdgeAi.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Consuming;

/// <summary>
/// Subscribes to every gateway's topics and hands each message to the <see cref="InboundQueue"/>. Events,
/// evidence, health and replies use an MQTT 5 shared subscription (<c>$share/{group}/...</c>), so Central
/// instances in one group split the load; status is subscribed by every instance, because a shared subscription
/// does not receive retained messages. Every connection acknowledges manually: <see cref="MessageProcessor"/> sends a
/// message's PUBACK once it is stored. On stop, the connections are closed first, then the queue completed so the
/// processor drains it (what it stores then is not acknowledged, and comes again, as a duplicate, after the restart).
/// </summary>
internal sealed partial class MqttConsumer(CentralMqtt mqtt, InboundQueue queue, EvidenceLane evidence, CentralOptions options, ILogger<MqttConsumer> logger) : BackgroundService
{
    /// <summary>Taken by every consumer connection: the broker deals each message to one member of the share group.</summary>
    public IReadOnlyList<string> SharedFilters { get; } =
    [
        $"$share/{options.Mqtt.ShareGroup}/{Topics.Root}/+/events",
        $"$share/{options.Mqtt.ShareGroup}/{Topics.Root}/+/health",
        $"$share/{options.Mqtt.ShareGroup}/{Topics.Root}/+/replies",
    ];

    /// <summary>Taken by the evidence connection alone (shared too, so instances split the blobs).</summary>
    public string EvidenceFilter { get; } = $"$share/{options.Mqtt.ShareGroup}/{Topics.Root}/+/evidence/+";

    /// <summary>Taken by the first connection only (retained status messages are not delivered to shared subscriptions).</summary>
    public string StatusFilter { get; } = $"{Topics.Root}/+/status";

    public IReadOnlyList<string> Filters => [.. SharedFilters, EvidenceFilter, StatusFilter];

    /// <summary>True once every subscription was granted.</summary>
    public bool Subscribed { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        foreach (var client in mqtt.Consumers)
        {
            client.MessageReceived += OnMessage;
            client.Start();
        }
        mqtt.Evidence.MessageReceived += OnEvidence;
        mqtt.Evidence.Start();
        try
        {
            foreach (var client in mqtt.Consumers)
                foreach (var f in SharedFilters) await client.SubscribeAsync(f, qos: 1, stoppingToken).ConfigureAwait(false);
            await mqtt.Evidence.SubscribeAsync(EvidenceFilter, qos: 1, stoppingToken).ConfigureAwait(false);
            await mqtt.Client.SubscribeAsync(StatusFilter, qos: 1, stoppingToken).ConfigureAwait(false);
            Subscribed = true;
            LogSubscribed(string.Join(", ", Filters));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (MqttException ex)
        {
            LogSubscribeFailed(ex, ex.Message);
            throw;
        }
    }

    private void OnMessage(MqttMessage message)
    {
        if (!queue.Post(message)) LogLostAtShutdown(message.Topic);
    }

    private void OnEvidence(MqttMessage message)
    {
        if (!evidence.Queue.Post(message)) LogLostAtShutdown(message.Topic);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await mqtt.DisposeAsync().ConfigureAwait(false);
        queue.Complete();
        evidence.Queue.Complete();
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Subscribed to {Filters}")]
    private partial void LogSubscribed(string filters);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "Subscription refused: {Reason}")]
    private partial void LogSubscribeFailed(Exception ex, string reason);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "Message on {Topic} arrived after the queue was closed at shutdown; it is not stored")]
    private partial void LogLostAtShutdown(string topic);
}

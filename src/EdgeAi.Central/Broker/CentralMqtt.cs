using System.Text.Json;
using EdgeAi.Central.Configuration;
using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Broker;

/// <summary>
/// Central's MQTT connections (user "central", persistent sessions so the broker keeps the instance's share of the
/// backlog while it is away): <see cref="Client"/> publishes verification commands and takes the status topics;
/// it and <c>consumer.connections − 1</c> more (client ids <c>…-c2</c>, <c>…-c3</c>, …) take the shared subscriptions.
/// Messages are acknowledged manually, once stored, with <c>consumer.receive_maximum</c> unacknowledged per connection.
/// Evidence blobs (pictures, clips up to 16 MiB) come on a connection of their own, <see cref="Evidence"/> (<c>…-ev</c>,
/// <c>consumer.evidence_receive_maximum</c> in flight), into a queue and processor of their own: storing a clip never
/// holds up an event, and PUBACKs stay in order per connection.
/// </summary>
internal sealed class CentralMqtt : IAsyncDisposable
{
    public CentralMqtt(CentralOptions options, ILoggerFactory loggers, TimeProvider time)
    {
        var id = new string(("central-" + options.InstanceId).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        if (id.Length > 60) id = id[..60];
        var window = (ushort)options.Consumer.ReceiveMaximum;
        Client = Connect(options.Mqtt, id, window, loggers, time);
        Consumers = [Client, .. Enumerable.Range(2, Math.Max(0, options.Consumer.Connections - 1)).Select(i => Connect(options.Mqtt, $"{id}-c{i}", window, loggers, time))];
        Evidence = Connect(options.Mqtt, $"{id}-ev", (ushort)options.Consumer.EvidenceReceiveMaximum, loggers, time);
        All = [.. Consumers, Evidence];
    }

    private static MqttClient Connect(MqttSettings m, string clientId, ushort receiveMaximum, ILoggerFactory loggers, TimeProvider time) =>
        new(new MqttClientOptions
        {
            Host = m.Host,
            Port = m.Port,
            ClientId = clientId,
            Username = m.Username,
            Password = m.Password,
            Tls = m.TlsCaFile is { } ca ? new MqttTlsOptions(ca, m.TlsCertFile, m.TlsKeyFile) : null,
            KeepAlive = m.KeepAlive,
            CleanStart = false,
            AcknowledgeManually = true,
            ReceiveMaximum = receiveMaximum,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(500),
            ReconnectMaxDelay = TimeSpan.FromSeconds(30),
        }, loggers.CreateLogger<MqttClient>(), time);

    public MqttClient Client { get; }

    /// <summary>The connections that take the shared subscriptions, <see cref="Client"/> first.</summary>
    public IReadOnlyList<MqttClient> Consumers { get; }

    /// <summary>The connection that takes the evidence topics (its own lane: <see cref="EvidenceLane"/>).</summary>
    public MqttClient Evidence { get; }

    /// <summary>Every connection: the consumers, then the evidence connection.</summary>
    public IReadOnlyList<MqttClient> All { get; }

    /// <summary>Every connection is up.</summary>
    public bool IsConnected => All.All(c => c.State == MqttConnectionState.Connected);

    /// <summary>The first connection that is not up, if any (for /readyz).</summary>
    public MqttClient? Disconnected => All.FirstOrDefault(c => c.State != MqttConnectionState.Connected);

    /// <summary>
    /// Publishes <paramref name="command"/> to the gateway's command topic on <see cref="Client"/> (QoS 1) and waits up to
    /// <paramref name="timeout"/> for the broker's PUBACK: sent, refused by the broker (its reason), or not published (why).
    /// </summary>
    public async Task<CommandPublish> PublishCommandAsync(string deviceId, DeviceCommand command, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(command, EdgeAiJsonContext.Default.DeviceCommand);
        try
        {
            var ack = await Client.PublishAsync(Topics.Commands(deviceId), payload, qos: 1, contentType: "application/json")
                .WaitAsync(timeout, time, ct).ConfigureAwait(false);
            return ack.IsSuccess ? new CommandPublish(true, null, null) : new CommandPublish(false, ack.Reason, null);
        }
        catch (Exception ex) when (ex is MqttException or TimeoutException or ObjectDisposedException)
        {
            return new CommandPublish(false, null, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in All) await c.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>How publishing a device command ended: <see cref="Sent"/> (the broker acknowledged it), or the broker's
/// <see cref="Refused"/> reason, or the <see cref="Failure"/> that kept it from being published (not connected, timeout).</summary>
internal readonly record struct CommandPublish(bool Sent, string? Refused, string? Failure);

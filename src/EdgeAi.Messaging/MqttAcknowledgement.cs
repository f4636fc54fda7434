using Microsoft.Extensions.Logging;
using Net = MQTTnet;

namespace EdgeAi.Messaging;

/// <summary>
/// The PUBACK of one received QoS 1 message, sent by the receiver when it has made the message durable
/// (<see cref="MqttClientOptions.AcknowledgeManually"/>). Until then the broker counts it against the connection's
/// Receive Maximum and redelivers it to the session after a reconnect.
/// </summary>
/// <remarks>
/// Thread-safe; acknowledges at most once. An acknowledgement from a connection that has ended is not sent: the broker
/// redelivers that message on the new connection (the receiver drops the duplicate by its id), and a packet identifier of
/// the old connection could name another message on the new one. MQTT 5 wants QoS 1 PUBACKs in the order the messages
/// arrived: acknowledge in arrival order per connection.
/// </remarks>
public sealed class MqttAcknowledgement
{
    private readonly Net.MqttApplicationMessageReceivedEventArgs _args;
    private readonly CancellationToken _connection;
    private int _sent;

    internal MqttAcknowledgement(Net.MqttApplicationMessageReceivedEventArgs args, CancellationToken connection)
    {
        _args = args;
        _connection = connection;
    }

    /// <summary>
    /// Sends the PUBACK. True when it was handed to the connection; false when that connection has ended (or it was
    /// sent already), in which case the broker redelivers the message.
    /// </summary>
    public async ValueTask<bool> SendAsync()
    {
        if (_connection.IsCancellationRequested || Interlocked.Exchange(ref _sent, 1) != 0) return false;
        try
        {
            await _args.AcknowledgeAsync(_connection).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is Net.Exceptions.MqttCommunicationException or Net.Exceptions.MqttClientNotConnectedException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }
}

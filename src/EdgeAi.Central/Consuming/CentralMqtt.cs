using EdgeAi.Central.Configuration;
using EdgeAi.Interop.Mqtt;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Consuming;

/// <summary>
/// Central's one MQTT connection (user "central", persistent session so the broker keeps its share of the
/// backlog while it is away). Used by the consumer and to publish verification commands.
/// </summary>
internal sealed class CentralMqtt : IAsyncDisposable
{
    public CentralMqtt(CentralOptions options, ILoggerFactory loggers, TimeProvider time)
    {
        var m = options.Mqtt;
        var id = new string(("central-" + options.InstanceId).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        Client = new MqttClient(new MqttClientOptions
        {
            Host = m.Host,
            Port = m.Port,
            ClientId = id.Length > 64 ? id[..64] : id,
            Username = m.Username,
            Password = m.Password,
            Tls = m.TlsCaFile is { } ca ? new MqttTlsOptions(ca, m.TlsCertFile, m.TlsKeyFile) : null,
            KeepAlive = m.KeepAlive,
            CleanStart = false,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(500),
            ReconnectMaxDelay = TimeSpan.FromSeconds(30),
        }, loggers.CreateLogger<MqttClient>(), time);
    }

    public MqttClient Client { get; }

    public bool IsConnected => Client.State == MqttConnectionState.Connected;

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}

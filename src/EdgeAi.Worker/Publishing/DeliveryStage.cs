using EdgeAi.Messaging;
using EdgeAi.Models.Devices;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Hosting;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Recording;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Publishing;

/// <summary>
/// MQTT delivery (<see cref="DeliveryService"/>: outbox publisher, health topic, Central's commands) as a stage: it
/// starts once the outbox is open and stops after the pipeline has drained, before the outbox closes. Its loops end
/// when the host begins to stop (as the pipeline's do); what is left stays in the outbox for the next start.
/// </summary>
internal sealed class DeliveryStage(WorkerConfig config, WorkerState state, OutboxStage outbox, ZoneVerifier verifier, ClipStage clips,
    IHostApplicationLifetime lifetime, ILoggerFactory loggers, TimeProvider time) : WorkerStage
{
    private DeliveryService? _delivery;

    protected override async Task StartStageAsync(CancellationToken ct)
    {
        var mqtt = new MqttClientOptions
        {
            Host = config.Mqtt.Host,
            Port = config.Mqtt.Port,
            ClientId = $"edgeai-{config.DeviceId}",
            Username = config.Mqtt.Username ?? config.DeviceId,
            Password = config.Mqtt.Password,
            Tls = config.Mqtt.Tls is { } t ? new MqttTlsOptions(t.CaFile, t.CertFile, t.KeyFile) : null,
        };
        _delivery = new DeliveryService(
            new DeliveryOptions { DeviceId = config.DeviceId, Mqtt = mqtt, HealthInterval = config.HealthInterval }, outbox.Outbox, loggers,
            time, healthProvider: state.Health,
            commandHandler: (command, token) => command.Type == DeviceCommandTypes.FetchEvidence ? clips.Service.FetchAsync(command, token) : verifier.HandleAsync(command, token));
        state.DeliveryStarted(_delivery.Client);
        await _delivery.StartAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
    }

    protected override async Task StopStageAsync()
    {
        if (Interlocked.Exchange(ref _delivery, null) is { } delivery) await delivery.DisposeAsync().ConfigureAwait(false);
    }
}

using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Models.Devices;
using EdgeAi.Worker.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Worker.Publishing;

/// <summary>
/// The worker's MQTT side: one connection (persistent session, last will = retained offline status) carrying the
/// <see cref="OutboxPublisher"/>, the <see cref="HealthPublisher"/>, the retained online status on every connect and, when a
/// handler is given, the <see cref="CommandListener"/>. A hosted service; tests drive it with StartAsync/StopAsync alone.
/// The outbox is not owned: the pipeline writes into it and its owner disposes it after this service stopped.
/// </summary>
internal sealed partial class DeliveryService : BackgroundService, IAsyncDisposable
{
    private readonly DeliveryOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CommandListener? _commands;
    private int _stopped;

    public DeliveryService(
        DeliveryOptions options,
        EventOutbox outbox,
        ILoggerFactory? loggers = null,
        TimeProvider? time = null,
        Func<DeviceHealth>? healthProvider = null,
        DeviceCommandHandler? commandHandler = null)
    {
        options.Validate();
        loggers ??= NullLoggerFactory.Instance;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = loggers.CreateLogger<DeliveryService>();
        var started = _time.GetUtcNow();
        Client = new MqttClient(options.Mqtt with { Will = DeviceStatusMessages.Will(options.DeviceId, options.Version) },
            loggers.CreateLogger<MqttClient>(), _time);
        Client.StateChanged += OnStateChanged;
        Publisher = new OutboxPublisher(outbox, Client, options, loggers.CreateLogger<OutboxPublisher>(), _time);
        Health = new HealthPublisher(Client, options,
            healthProvider ?? (() => new DeviceHealth(options.DeviceId, _time.GetUtcNow(), (_time.GetUtcNow() - started).TotalSeconds, [], null, options.Version)),
            outbox, loggers.CreateLogger<HealthPublisher>(), _time);
        if (commandHandler is not null)
            _commands = new CommandListener(Client, options, commandHandler, loggers.CreateLogger<CommandListener>(), _time);
    }

    public MqttClient Client { get; }

    public OutboxPublisher Publisher { get; }

    public HealthPublisher Health { get; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Client.Start();
        var tasks = new List<Task> { Publisher.RunAsync(stoppingToken), Health.RunAsync(stoppingToken) };
        if (_commands is not null) tasks.Add(_commands.SubscribeAsync(stoppingToken));
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Stops publishing, announces a retained "offline" (reason shutdown) if connected, and disconnects cleanly.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_commands is not null) await _commands.DisposeAsync().ConfigureAwait(false);
        if (Client.State == MqttConnectionState.Connected)
        {
            try
            {
                await Client.PublishAsync(Topics.Status(_options.DeviceId), DeviceStatusMessages.Shutdown(_options.DeviceId, _options.Version, _time.GetUtcNow()),
                    qos: 1, retain: true, contentType: "application/json").WaitAsync(TimeSpan.FromSeconds(5), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or MqttException)
            {
                LogStatusFailed(ex.Message);
            }
        }
        await Client.DisposeAsync().ConfigureAwait(false);
    }

    private void OnStateChanged(MqttConnectionState state, string? reason)
    {
        if (state != MqttConnectionState.Connected) return;
        // Network thread: publish from the pool. Retained, so Central and dashboards see it whenever they subscribe.
        _ = Task.Run(async () =>
        {
            try
            {
                var ack = await Client.PublishAsync(Topics.Status(_options.DeviceId), DeviceStatusMessages.Online(_options.DeviceId, _options.Version, _time.GetUtcNow()),
                    qos: 1, retain: true, contentType: "application/json").ConfigureAwait(false);
                if (!ack.IsSuccess) LogStatusFailed($"0x{ack.ReasonCode:x2} {ack.Reason}");
            }
            catch (Exception ex) when (ex is MqttException or ObjectDisposedException)
            {
                LogStatusFailed(ex.Message);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        Dispose();
    }

    [LoggerMessage(EventId = 460, Level = LogLevel.Warning, Message = "Status not published: {Reason}")]
    private partial void LogStatusFailed(string reason);
}

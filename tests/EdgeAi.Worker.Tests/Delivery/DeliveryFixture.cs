using Microsoft.Extensions.Logging;
using EdgeAi.Models.Devices;
using EdgeAi.Testing;
using EdgeAi.Worker.Cli;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Publishing;

namespace EdgeAi.Worker.Tests.Delivery;

/// <summary>A worker's delivery side against a real broker: outbox in a temp folder, <see cref="DeliveryService"/> as edge-01.</summary>
internal sealed class DeliveryFixture : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = TestPaths.NewTempDir("delivery");

    private DeliveryFixture(MosquittoBroker broker, string deviceId, CapturingLoggerProvider logs, long? outboxMaxBytes)
    {
        Broker = broker;
        DeviceId = deviceId;
        Logs = logs;
        Outbox = EventOutbox.Open(new OutboxOptions { Path = Path.Combine(_dir, "outbox.db"), MaxBytes = outboxMaxBytes ?? 1L << 30 },
            logs.CreateFactory().CreateLogger<EventOutbox>());
        Events = new SyntheticEvents(deviceId, evidenceBytes: 2000);
    }

    public MosquittoBroker Broker { get; }

    public string DeviceId { get; }

    public CapturingLoggerProvider Logs { get; }

    public EventOutbox Outbox { get; }

    public SyntheticEvents Events { get; }

    public DeliveryService Service { get; private set; } = null!;

    public static async Task<DeliveryFixture> StartAsync(MosquittoBroker broker, string deviceId = "edge-01", Func<DeliveryOptions, DeliveryOptions>? configure = null,
        Func<DeviceHealth>? health = null, DeviceCommandHandler? commands = null, long? outboxMaxBytes = null)
    {
        var fixture = new DeliveryFixture(broker, deviceId, new CapturingLoggerProvider(), outboxMaxBytes);
        var options = new DeliveryOptions
        {
            DeviceId = deviceId,
            Mqtt = broker.ClientOptions(deviceId, $"edgeai-{deviceId}"),
            HealthInterval = TimeSpan.FromSeconds(1),
        };
        fixture.Service = new DeliveryService(configure?.Invoke(options) ?? options, fixture.Outbox, fixture.Logs.CreateFactory(), null, health, commands);
        await fixture.Service.StartAsync(CancellationToken.None);
        return fixture;
    }

    /// <summary>Enqueues <paramref name="count"/> synthetic events (with evidence on four of five).</summary>
    public async Task EnqueueAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (evt, evidence) = Events.Next();
            await Outbox.EnqueueAsync(evt, evidence);
        }
    }

    public async Task WaitDrainedAsync()
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (Outbox.Depth.Events > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"outbox still holds {Outbox.Depth.Events} events:\n{string.Join("\n", Logs.Lines.TakeLast(20))}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for <paramref name="condition"/> on what <paramref name="consumer"/> received; on timeout the message says
    /// where each side stands (connections, outbox, the worker's log and the broker's).</summary>
    public async Task WaitForAsync(EventConsumer consumer, Func<EventConsumer, bool> condition, string what)
    {
        try
        {
            await consumer.WaitForAsync(condition, Timeout, what);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n" +
                $"consumer: {consumer.Client.State}, {consumer.Client.ConnectCount} connections, last error {consumer.Client.LastError ?? "none"}\n" +
                $"worker: {Service.Client.State}, {Service.Client.ConnectCount} connections, last error {Service.Client.LastError ?? "none"}; " +
                $"outbox {Outbox.Depth.Events} events; {Service.Publisher.Published} published, {Service.Publisher.Acknowledged} acknowledged\n" +
                $"worker log:\n{string.Join("\n", Logs.Lines.TakeLast(40))}\nbroker log:\n{Broker.Log}", ex);
        }
    }

    /// <summary>Error-level lines logged so far (a healthy run has none).</summary>
    public IReadOnlyList<string> Errors => Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Outbox.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

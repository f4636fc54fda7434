using System.Text.Json;
using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Testing;
using EdgeAi.Worker.Publishing;

namespace EdgeAi.Worker.Tests.Delivery;

/// <summary>The publisher loop against a real mosquitto (auth and ACL on).</summary>
public sealed class OutboxPublisherTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = DeliveryFixture.Timeout;
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartNewAsync("edge-01", "edge-02");

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task Run_QueuedEvents_PublishedInOrderWithEvidenceThenDeleted()
    {
        await using var consumer = await EventConsumer.StartAsync(_broker);
        await using var worker = await DeliveryFixture.StartAsync(_broker);

        await worker.EnqueueAsync(300);
        await consumer.WaitForDistinctAsync(300, Timeout);
        await worker.WaitDrainedAsync();

        var (distinct, _) = consumer.AssertCompleteInOrder(300);
        Assert.Equal(300, distinct);
        Assert.Equal(0, worker.Outbox.Depth.EvidenceBlobs);
        Assert.Empty(worker.Errors);

        // Evidence: its own topic, before its event, MQTT 5 content type, correlation data = the event id's bytes.
        var evt = consumer.Arrivals.First(e => e.Evidence.Count > 0);
        var blob = consumer.Other.Single(m => m.Topic == Topics.Evidence("edge-01", evt.Evidence[0].Id));
        Assert.Equal("image/jpeg", blob.ContentType);
        Assert.True(UuidV7.TryFromBytes(blob.CorrelationData, out var correlated));
        Assert.Equal(evt.EventId, correlated);
        Assert.Equal(evt.Evidence[0].Bytes, blob.Payload.Length);
        Assert.Equal(evt.Evidence[0].Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(blob.Payload)));
        Assert.All(consumer.Arrivals, e => Assert.NotNull(e.PublishTime));
        Assert.All(consumer.Arrivals, e => Assert.True(e.PublishTime >= e.DetectionTime));
    }

    [Fact]
    public async Task Run_BrokerDownAtStart_EventsWaitInOutboxThenDelivered()
    {
        await using var consumer = await EventConsumer.StartAsync(_broker);
        await _broker.StopAsync();
        await using var worker = await DeliveryFixture.StartAsync(_broker);
        await worker.EnqueueAsync(20);

        await Task.Delay(300);
        Assert.Equal(20, worker.Outbox.Depth.Events);

        await _broker.StartAsync();
        await worker.WaitForAsync(consumer, c => c.Distinct >= 20, "20 distinct events");
        await worker.WaitDrainedAsync();
        consumer.AssertCompleteInOrder(20);
    }

    [Fact]
    public async Task Connect_PublishesRetainedOnline_StopPublishesRetainedOffline()
    {
        await using (var worker = await DeliveryFixture.StartAsync(_broker))
        {
            await using var live = await EventConsumer.StartAsync(_broker, Topics.Status("edge-01"));
            await live.WaitForAsync(c => c.Other.Any(), Timeout, "online status");
            // A subscriber arriving later gets it from the broker's retained store.
            await using var later = await EventConsumer.StartAsync(_broker, Topics.Status("edge-01"));
            await later.WaitForAsync(c => c.Other.Any(), Timeout, "retained online status");
            var online = JsonSerializer.Deserialize(later.Other[^1].Payload, EdgeAiJsonContext.Default.DeviceStatus)!;
            Assert.Equal(DeviceState.Online, online.State);
            Assert.True(later.Other[^1].Retain);
        }

        await using var late = await EventConsumer.StartAsync(_broker, Topics.Status("edge-01"));
        await late.WaitForAsync(c => c.Other.Any(), Timeout, "retained status after stop");
        var offline = JsonSerializer.Deserialize(late.Other[^1].Payload, EdgeAiJsonContext.Default.DeviceStatus)!;
        Assert.Equal(DeviceState.Offline, offline.State);
        Assert.Equal("shutdown", offline.Reason);
        Assert.True(late.Other[^1].Retain);
    }

    [Fact]
    public async Task Health_ProviderSnapshot_PublishedPeriodicallyWithOutboxDepth()
    {
        await using var consumer = await EventConsumer.StartAsync(_broker, Topics.Health("edge-01"));
        var camera = new CameraHealth("cam-1", "streaming", 25, 1, 1000, 40, 3, 0, 0.04, 0, 30, 80, "CPUExecutionProvider", []);
        await using var worker = await DeliveryFixture.StartAsync(_broker,
            health: () => new DeviceHealth("edge-01", DateTimeOffset.UtcNow, 1, [camera]));

        await consumer.WaitForAsync(c => c.Other.Count >= 2, Timeout, "two health snapshots");

        var health = JsonSerializer.Deserialize(consumer.Other[^1].Payload, EdgeAiJsonContext.Default.DeviceHealth)!;
        Assert.Equal("cam-1", Assert.Single(health.Cameras).CameraId);
        Assert.NotNull(health.Outbox);
        Assert.Equal(0, health.Outbox.Events);
    }

    [Fact]
    public async Task Commands_VerifyRequest_HandledOnceAndReplied()
    {
        var handled = 0;
        await using var worker = await DeliveryFixture.StartAsync(_broker, commands: (cmd, _) =>
        {
            Interlocked.Increment(ref handled);
            return Task.FromResult(new CommandOutcome(CommandResult.StillPresent, $"zone {cmd.ZoneId} still crowded",
                [Outbox.EvidenceBlob.Create("verify-1", new byte[] { 0xFF, 0xD8, 0xFF })]));
        });
        await using var central = await EventConsumer.StartAsync(_broker, Topics.Root + "/edge-01/#");
        await worker.Service.Client.WaitConnectedAsync().WaitAsync(Timeout);
        await WaitFor(() => worker.Logs.Lines.Any(l => l.Contains("Subscribed to edgeai/v1/edge-01/commands", StringComparison.Ordinal)), "command subscription");

        var command = new DeviceCommand(UuidV7.New(), DeviceCommandTypes.Verify, "cam-1", "plaza-north", global::EdgeAi.Models.Events.Scenarios.Crowding, null, DateTimeOffset.UtcNow);
        var json = JsonSerializer.SerializeToUtf8Bytes(command, EdgeAiJsonContext.Default.DeviceCommand);
        await central.Client.PublishAsync(Topics.Commands("edge-01"), json).WaitAsync(Timeout);
        await central.Client.PublishAsync(Topics.Commands("edge-01"), json).WaitAsync(Timeout);   // a redelivery

        await central.WaitForAsync(c => c.Other.Any(m => m.Topic == Topics.Replies("edge-01")), Timeout, "reply");
        var reply = JsonSerializer.Deserialize(central.Other.First(m => m.Topic == Topics.Replies("edge-01")).Payload, EdgeAiJsonContext.Default.CommandReply)!;
        Assert.Equal(command.CommandId, reply.CommandId);
        Assert.Equal(CommandResult.StillPresent, reply.Result);
        Assert.Equal("verify-1", Assert.Single(reply.Evidence).Id);
        var evidence = central.Other.Single(m => m.Topic == Topics.Evidence("edge-01", "verify-1"));
        Assert.Equal(UuidV7.ToBytes(command.CommandId), evidence.CorrelationData);
        await Task.Delay(300);
        Assert.Equal(1, handled);
    }

    [Fact]
    public async Task Run_BrokerRefusesEvent_KeptInOutboxRetriedAndLogged()
    {
        // An event for edge-02 in edge-01's outbox: the ACL refuses it (0x87). It must not be dropped.
        await using var worker = await DeliveryFixture.StartAsync(_broker, configure: o => o with { RetryMinDelay = TimeSpan.FromMilliseconds(200) });
        var foreign = new global::EdgeAi.Worker.Cli.SyntheticEvents("edge-02").Next().Event;
        await worker.Outbox.EnqueueAsync(foreign, []);

        await WaitFor(() => worker.Logs.Lines.Count(l => l.Contains("Broker refused event sequence 1", StringComparison.Ordinal)) >= 2, "refusal retried");

        Assert.Equal(1, worker.Outbox.Depth.Events);
        Assert.Contains(worker.Logs.Lines, l => l.StartsWith("Error OutboxPublisher: Broker refused event sequence 1", StringComparison.Ordinal) && l.Contains("Not authorized", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_ConnectionCutMidStream_ResumesFromOldestUnacknowledged()
    {
        await using var consumer = await EventConsumer.StartAsync(_broker);
        await using var worker = await DeliveryFixture.StartAsync(_broker);
        await worker.EnqueueAsync(200);
        await consumer.WaitForDistinctAsync(50, Timeout);

        worker.Service.Client.SimulateNetworkFault();
        await worker.EnqueueAsync(200);
        await consumer.WaitForDistinctAsync(400, Timeout);
        await worker.WaitDrainedAsync();

        consumer.AssertCompleteInOrder(400);
        Assert.True(worker.Service.Publisher.Resumes >= 1);
    }

    private static Task WaitFor(Func<bool> condition, string what) => Eventually.UntilAsync(condition, Timeout, () => what);
}

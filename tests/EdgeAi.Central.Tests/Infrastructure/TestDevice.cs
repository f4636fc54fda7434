using System.Collections.Concurrent;
using System.Text.Json;
using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Testing;

namespace EdgeAi.Central.Tests.Infrastructure;

/// <summary>
/// Plays an edge worker on MQTT, logged in as the device: publishes events and evidence under its own prefix,
/// and answers verification commands with <see cref="Answer"/> (the real worker implements this side later).
/// </summary>
internal sealed class TestDevice : IAsyncDisposable
{
    private readonly MqttClient _client;
    private long _sequence;

    private TestDevice(MqttClient client, string id)
    {
        _client = client;
        Id = id;
        _client.MessageReceived += OnMessage;
    }

    public string Id { get; }

    /// <summary>What to answer to verify commands. Default cleared.</summary>
    public CommandResult Answer { get; set; } = CommandResult.Cleared;

    public ConcurrentQueue<DeviceCommand> Commands { get; } = new();

    /// <summary>Commands received but left unanswered, as a device that was busy or lost the reply would. Default 0.</summary>
    public int IgnoreFirst { get; set; }

    public static async Task<TestDevice> ConnectAsync(MosquittoBroker broker, string deviceId)
    {
        var client = new MqttClient(broker.ClientOptions(deviceId));
        var device = new TestDevice(client, deviceId);
        client.Start();
        await client.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await client.SubscribeAsync(Topics.Commands(deviceId)).WaitAsync(TimeSpan.FromSeconds(30));
        return device;
    }

    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public async Task PublishAsync(EdgeEvent e)
    {
        var r = await _client.PublishAsync(Topics.Events(Id), TestEvents.Json(e), contentType: "application/json").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(r.IsSuccess, r.Reason);
    }

    public async Task PublishRawAsync(string topic, byte[] payload, string? contentType = null, byte[]? correlation = null)
    {
        var r = await _client.PublishAsync(topic, payload, contentType: contentType, correlationData: correlation).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(r.IsSuccess, r.Reason);
    }

    private void OnMessage(MqttMessage m)
    {
        var cmd = JsonSerializer.Deserialize(m.Payload, EdgeAiJsonContext.Default.DeviceCommand);
        if (cmd is null) return;
        Commands.Enqueue(cmd);
        if (Commands.Count <= IgnoreFirst) return;
        var reply = new CommandReply(cmd.CommandId, Id, Answer, [], Answer == CommandResult.Cleared ? "zone is clear" : "object still there", DateTimeOffset.UtcNow);
        // Not on the network thread's critical path: publish from the pool.
        _ = Task.Run(() => _client.PublishAsync(Topics.Replies(Id), JsonSerializer.SerializeToUtf8Bytes(reply, EdgeAiJsonContext.Default.CommandReply)));
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}

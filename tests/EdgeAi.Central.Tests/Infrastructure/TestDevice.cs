using System.Collections.Concurrent;
using System.Text.Json;
using EdgeAi.Messaging;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Models;
using EdgeAi.Testing;

namespace EdgeAi.Central.Tests.Infrastructure;

/// <summary>
/// Plays an edge worker on MQTT, logged in as the device: publishes events and evidence under its own prefix,
/// answers verification commands with <see cref="Answer"/> (with an after-picture when <see cref="AfterPicture"/> is set), and
/// fetch_evidence commands from <see cref="OnDevice"/> (blob on the evidence topic, correlation data = command id, then the
/// reply) or with an error when the blob is not there.
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

    /// <summary>Blobs kept on the gateway (evidence id → bytes, content type), sent when Central fetches them.</summary>
    public ConcurrentDictionary<string, (byte[] Data, string ContentType)> OnDevice { get; } = new();

    /// <summary>When set, verify replies carry this picture (published on the evidence topic first). Default none.</summary>
    public byte[]? AfterPicture { get; set; }

    /// <summary>Detail of the verify reply; default a fixed text per answer.</summary>
    public string? AnswerDetail { get; set; }

    /// <summary>After-pictures sent, in order.</summary>
    public ConcurrentQueue<EvidenceRef> AfterSent { get; } = new();

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
        // Not on the network thread's critical path: publish from the pool.
        _ = Task.Run(() => cmd.Type == DeviceCommandTypes.FetchEvidence ? FetchAsync(cmd) : VerifyAsync(cmd));
    }

    private async Task VerifyAsync(DeviceCommand cmd)
    {
        var evidence = new List<EvidenceRef>();
        if (AfterPicture is { } jpeg)
        {
            var after = new EvidenceRef("after-" + cmd.CommandId.ToString("N")[..16], Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(jpeg)), jpeg.Length, "image/jpeg", EvidenceKinds.After)
            { Width = 1920, Height = 1080, Blurred = true };
            await _client.PublishAsync(Topics.Evidence(Id, after.Id), jpeg, contentType: "image/jpeg", correlationData: UuidV7.ToBytes(cmd.CommandId));
            evidence.Add(after);
            AfterSent.Enqueue(after);
        }
        var detail = AnswerDetail ?? Answer switch
        {
            CommandResult.Cleared => "zone is clear",
            CommandResult.Unverifiable => "camera frozen",
            _ => "object still there",
        };
        var reply = new CommandReply(cmd.CommandId, Id, Answer, evidence, detail, DateTimeOffset.UtcNow);
        await _client.PublishAsync(Topics.Replies(Id), JsonSerializer.SerializeToUtf8Bytes(reply, EdgeAiJsonContext.Default.CommandReply));
    }

    /// <summary>Fetch answers sent (evidence ids), in order.</summary>
    public ConcurrentQueue<string> Fetched { get; } = new();

    private async Task FetchAsync(DeviceCommand cmd)
    {
        CommandReply reply;
        if (cmd.EvidenceId is { } id && OnDevice.TryGetValue(id, out var blob))
        {
            await _client.PublishAsync(Topics.Evidence(Id, id), blob.Data, contentType: blob.ContentType, correlationData: UuidV7.ToBytes(cmd.CommandId));
            var sent = new EvidenceRef(id, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(blob.Data)), blob.Data.Length, blob.ContentType, EvidenceKinds.Clip)
            { Blurred = false, Delivery = EvidenceDelivery.OnDevice };
            reply = new CommandReply(cmd.CommandId, Id, CommandResult.Cleared, [sent], null, DateTimeOffset.UtcNow);
            Fetched.Enqueue(id);
        }
        else
        {
            reply = new CommandReply(cmd.CommandId, Id, CommandResult.Error, [], $"evidence '{cmd.EvidenceId}' is no longer on this gateway (recording ring overwrote it)", DateTimeOffset.UtcNow);
        }
        await _client.PublishAsync(Topics.Replies(Id), JsonSerializer.SerializeToUtf8Bytes(reply, EdgeAiJsonContext.Default.CommandReply));
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}

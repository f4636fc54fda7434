using System.Collections.Concurrent;
using System.Text;
using EdgeAi.Messaging;
using EdgeAi.Testing;

namespace EdgeAi.Messaging.Tests;

/// <summary>Round trips through a real mosquitto started from the repo's config (auth + ACL on).</summary>
public sealed class MqttClientTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);   // generous: CI is a loaded 2-core machine
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartNewAsync("edge-01", "edge-02");

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    private async Task<(MqttClient Client, BlockingCollection<MqttMessage> Inbox)> ConnectAsync(string user, params string[] filters)
    {
        var client = new MqttClient(_broker.ClientOptions(user));
        var inbox = new BlockingCollection<MqttMessage>();
        client.MessageReceived += inbox.Add;
        client.Start();
        await client.WaitConnectedAsync().WaitAsync(Timeout);
        foreach (var f in filters) await client.SubscribeAsync(f).WaitAsync(Timeout);
        return (client, inbox);
    }

    [Fact]
    public async Task PublishAsync_OwnTopic_DeliveredWithPropertiesAndAcknowledged()
    {
        var (central, inbox) = await ConnectAsync("central", "edgeai/v1/+/events");
        var (device, _) = await ConnectAsync("edge-01");
        await using var centralLifetime = central;
        await using var deviceLifetime = device;

        var payload = Encoding.UTF8.GetBytes("{\"hello\":\"世界\"}");
        var result = await device.PublishAsync("edgeai/v1/edge-01/events", payload, qos: 1,
            contentType: "application/json", correlationData: [1, 2, 3]).WaitAsync(Timeout);

        Assert.True(result.IsSuccess, result.Reason);
        Assert.True(inbox.TryTake(out var msg, Timeout), "message not delivered");
        Assert.Equal("edgeai/v1/edge-01/events", msg.Topic);
        Assert.Equal(payload, msg.Payload);
        Assert.Equal(1, msg.Qos);
        Assert.Equal("application/json", msg.ContentType);
        Assert.Equal(new byte[] { 1, 2, 3 }, msg.CorrelationData);
    }

    [Fact]
    public async Task PublishAsync_ManyQos1Messages_AllAcknowledgedAndDeliveredInOrder()
    {
        var (central, inbox) = await ConnectAsync("central", "edgeai/v1/edge-01/#");
        var (device, _) = await ConnectAsync("edge-01");
        await using var centralLifetime = central;
        await using var deviceLifetime = device;

        var acks = Enumerable.Range(0, 500)
            .Select(i => device.PublishAsync("edgeai/v1/edge-01/events", BitConverter.GetBytes(i)))
            .ToArray();
        var results = await Task.WhenAll(acks).WaitAsync(Timeout);

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Reason));
        for (var i = 0; i < 500; i++)
        {
            Assert.True(inbox.TryTake(out var msg, Timeout), $"message {i} missing");
            Assert.Equal(i, BitConverter.ToInt32(msg.Payload));
        }
        Assert.Equal(0, device.PendingAcks);
    }

    [Fact]
    public async Task PublishAsync_IntoAnotherDevicesTopic_RefusedByBroker()
    {
        var (central, inbox) = await ConnectAsync("central", "edgeai/v1/#");
        var (device, _) = await ConnectAsync("edge-01");
        await using var centralLifetime = central;
        await using var deviceLifetime = device;

        var forged = await device.PublishAsync("edgeai/v1/edge-02/events", "forged"u8).WaitAsync(Timeout);
        var own = await device.PublishAsync("edgeai/v1/edge-01/events", "own"u8).WaitAsync(Timeout);

        // mosquitto answers a denied MQTT 5 publish with reason 0x87 "Not authorized" and does not route it.
        Assert.False(forged.IsSuccess, $"forged publish acknowledged as {forged.ReasonCode} {forged.Reason}");
        Assert.Equal(0x87, forged.ReasonCode);
        Assert.True(own.IsSuccess);
        Assert.True(inbox.TryTake(out var msg, Timeout));
        Assert.Equal("edgeai/v1/edge-01/events", msg.Topic);
        Assert.False(inbox.TryTake(out _, TimeSpan.FromMilliseconds(300)), "forged message was delivered");
    }

    [Fact]
    public async Task Start_WrongPassword_NeverConnectsAndSaysWhy()
    {
        var options = _broker.ClientOptions("edge-01") with { Password = "wrong" };
        await using var client = new MqttClient(options);
        client.Start();

        await WaitFor(() => client.LastError is not null, "a refused attempt");
        await Task.Delay(500);   // more attempts: none may succeed

        Assert.NotEqual(MqttConnectionState.Connected, client.State);
        Assert.Equal(0, client.ConnectCount);
        Assert.Equal("connection refused: Not authorized", client.LastError);
    }

    [Fact]
    public async Task Subscribe_BrokerRestarted_ReconnectsAndResubscribes()
    {
        var (central, inbox) = await ConnectAsync("central", "edgeai/v1/+/status");
        var (device, _) = await ConnectAsync("edge-01");
        await using var centralLifetime = central;
        await using var deviceLifetime = device;

        await _broker.StopAsync();
        await WaitFor(() => central.State != MqttConnectionState.Connected, "central noticed the outage");
        await _broker.StartAsync();
        await central.WaitConnectedAsync().WaitAsync(Timeout);
        await device.WaitConnectedAsync().WaitAsync(Timeout);
        await Task.Delay(200); // the re-subscribe is sent right after CONNACK

        var r = await device.PublishAsync("edgeai/v1/edge-01/status", "online"u8).WaitAsync(Timeout);
        Assert.True(r.IsSuccess);
        Assert.True(inbox.TryTake(out var msg, Timeout), "no message after reconnect");
        Assert.Equal("online", Encoding.UTF8.GetString(msg.Payload));
        Assert.True(central.ConnectCount >= 2);
    }

    [Fact]
    public async Task Will_ConnectionLostWithoutDisconnect_BrokerPublishesRetainedOffline()
    {
        var options = _broker.ClientOptions("edge-02") with
        {
            Will = new MqttWill("edgeai/v1/edge-02/status", "offline"u8.ToArray(), Retain: true),
            ReconnectMinDelay = TimeSpan.FromSeconds(3),
            ReconnectMaxDelay = TimeSpan.FromSeconds(3),
        };
        await using var device = new MqttClient(options);
        device.Start();
        await device.WaitConnectedAsync().WaitAsync(Timeout);
        await device.PublishAsync("edgeai/v1/edge-02/status", "online"u8, retain: true).WaitAsync(Timeout);

        device.SimulateNetworkFault();
        await WaitFor(() => device.State != MqttConnectionState.Connected, "device noticed the fault");

        // A subscriber arriving later sees the retained will, not the stale "online".
        var (central, inbox) = await ConnectAsync("central", "edgeai/v1/edge-02/status");
        await using var centralLifetime = central;
        Assert.True(inbox.TryTake(out var msg, Timeout), "no retained status");
        Assert.Equal("offline", Encoding.UTF8.GetString(msg.Payload));
        Assert.True(msg.Retain);
    }

    [Fact]
    public async Task AcknowledgeManually_UnacknowledgedMessages_HeldByTheBrokerWithinReceiveMaximum()
    {
        var (device, _) = await ConnectAsync("edge-01");
        await using var deviceLifetime = device;
        await using var central = new MqttClient(_broker.ClientOptions("central") with { AcknowledgeManually = true, ReceiveMaximum = 5 });
        var inbox = new BlockingCollection<MqttMessage>();
        central.MessageReceived += inbox.Add;
        central.Start();
        await central.WaitConnectedAsync().WaitAsync(Timeout);
        await central.SubscribeAsync("edgeai/v1/edge-01/events").WaitAsync(Timeout);

        var acks = Enumerable.Range(0, 12).Select(i => device.PublishAsync("edgeai/v1/edge-01/events", BitConverter.GetBytes(i))).ToArray();
        await Task.WhenAll(acks).WaitAsync(Timeout);

        // Five unacknowledged messages fill the connection's Receive Maximum: the broker sends no sixth.
        var first = Take(inbox, 5);
        Assert.False(inbox.TryTake(out var extra, TimeSpan.FromMilliseconds(500)), $"message {(extra is null ? -1 : BitConverter.ToInt32(extra.Payload))} sent beyond Receive Maximum");
        Assert.All(first, m => Assert.NotNull(m.Acknowledgement));
        Assert.Equal([0, 1, 2, 3, 4], first.Select(m => BitConverter.ToInt32(m.Payload)));

        foreach (var m in first) Assert.True(await m.Acknowledgement!.SendAsync());
        var next = Take(inbox, 5);
        Assert.Equal([5, 6, 7, 8, 9], next.Select(m => BitConverter.ToInt32(m.Payload)));
        Assert.False(await first[0].Acknowledgement!.SendAsync());   // at most once
    }

    [Fact]
    public async Task AcknowledgeManually_ConnectionLostBeforeAck_BrokerRedeliversToTheSession()
    {
        var (device, _) = await ConnectAsync("edge-01");
        await using var deviceLifetime = device;
        var options = _broker.ClientOptions("central", "central-resume") with { AcknowledgeManually = true, ReconnectMinDelay = TimeSpan.FromMilliseconds(200) };
        var inbox = new BlockingCollection<MqttMessage>();
        await using (var central = new MqttClient(options))
        {
            central.MessageReceived += inbox.Add;
            central.Start();
            await central.WaitConnectedAsync().WaitAsync(Timeout);
            await central.SubscribeAsync("edgeai/v1/edge-01/events").WaitAsync(Timeout);
            for (var i = 0; i < 3; i++) await device.PublishAsync("edgeai/v1/edge-01/events", BitConverter.GetBytes(i)).WaitAsync(Timeout);
            var got = Take(inbox, 3);
            Assert.True(await got[0].Acknowledgement!.SendAsync());   // only the first one is "stored"
        }

        // A new process with the same client id resumes the session: the two unacknowledged messages come again.
        await using var again = new MqttClient(options);
        var redelivered = new BlockingCollection<MqttMessage>();
        again.MessageReceived += redelivered.Add;
        again.Start();
        var second = Take(redelivered, 2);
        Assert.Equal([1, 2], second.Select(m => BitConverter.ToInt32(m.Payload)));
        Assert.False(redelivered.TryTake(out _, TimeSpan.FromMilliseconds(300)), "the acknowledged message came again");
    }

    private static List<MqttMessage> Take(BlockingCollection<MqttMessage> inbox, int n)
    {
        var list = new List<MqttMessage>();
        for (var i = 0; i < n; i++)
        {
            Assert.True(inbox.TryTake(out var m, Timeout), $"only {i} of {n} messages arrived");
            list.Add(m);
        }
        return list;
    }

    private static Task WaitFor(Func<bool> condition, string what) => Eventually.UntilAsync(condition, Timeout, () => what);
}

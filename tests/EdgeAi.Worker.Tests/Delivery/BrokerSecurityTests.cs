using EdgeAi.Messaging;
using EdgeAi.Models;
using EdgeAi.Testing;

namespace EdgeAi.Worker.Tests.Delivery;

/// <summary>The shipped broker configs (config/mosquitto/) enforce per-device identity: what a device may not do, it cannot.</summary>
public sealed class BrokerSecurityTests
{
    private static readonly TimeSpan Timeout = DeliveryFixture.Timeout;

    [Fact]
    public async Task Publish_DeviceAIntoDeviceBTopic_RefusedAndNotDelivered()
    {
        await using var broker = await MosquittoBroker.StartNewAsync("edge-01", "edge-02");
        await AssertForgedPublishRefusedAsync(broker);
    }

    [Fact]
    public async Task Connect_WrongPassword_RefusedAndLogSaysWhyInOneLine()
    {
        await using var broker = await MosquittoBroker.StartNewAsync("edge-01");
        await using var worker = await DeliveryFixture.StartAsync(broker,
            configure: o => o with { Mqtt = o.Mqtt with { Password = "not-the-password" } });

        var line = await WaitForLogAsync(worker.Logs, "MQTT connect to");

        Assert.Equal(0, worker.Service.Client.ConnectCount);
        Assert.Equal("connection refused: Not authorized", worker.Service.Client.LastError);
        Assert.StartsWith($"Warning MqttClient: MQTT connect to mqtt://edge-01@127.0.0.1:{broker.Port} as edgeai-edge-01 failed: connection refused: Not authorized; retrying in", line);
        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain("not-the-password", string.Join("\n", worker.Logs.Lines));
    }

    [Fact]
    public async Task Connect_BrokerDown_LogSaysConnectionRefused()
    {
        await using var broker = await MosquittoBroker.StartNewAsync("edge-01");
        await broker.StopAsync();
        await using var worker = await DeliveryFixture.StartAsync(broker);

        var line = await WaitForLogAsync(worker.Logs, "MQTT connect to");

        Assert.Contains("failed: Connection refused; retrying in", line);
    }

    [Fact]
    public async Task Tls_ClientCertificateAndCa_ConnectsAndDelivers()
    {
        await using var broker = await MosquittoBroker.StartNewTlsAsync("edge-01", "edge-02");
        await using var consumer = await EventConsumer.StartAsync(broker);
        await using var worker = await DeliveryFixture.StartAsync(broker);

        await worker.EnqueueAsync(20);
        await consumer.WaitForDistinctAsync(20, Timeout);

        consumer.AssertCompleteInOrder(20);
        Assert.Contains(worker.Logs.Lines, l => l.StartsWith("Information MqttClient: MQTT connected: mqtts://edge-01@127.0.0.1:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tls_ForgedPublishIntoAnotherDevicesTopic_Refused()
    {
        await using var broker = await MosquittoBroker.StartNewTlsAsync("edge-01", "edge-02");
        await AssertForgedPublishRefusedAsync(broker);
    }

    [Fact]
    public async Task Tls_PlaintextConnectionToTlsPort_Refused()
    {
        await using var broker = await MosquittoBroker.StartNewTlsAsync("edge-01");
        var options = broker.ClientOptions("edge-01") with { Tls = null, Password = "anything" };

        var error = await AssertNeverConnectsAsync(options);

        Assert.Contains("connection closed by the broker before CONNACK", error);
    }

    [Fact]
    public async Task Tls_WithoutClientCertificate_Refused()
    {
        await using var broker = await MosquittoBroker.StartNewTlsAsync("edge-01");
        var options = broker.ClientOptions("edge-01") with { Tls = new MqttTlsOptions(broker.CaFile) };

        await AssertNeverConnectsAsync(options);
    }

    [Fact]
    public async Task Tls_CertificateFromAnotherCa_Refused()
    {
        await using var broker = await MosquittoBroker.StartNewTlsAsync("edge-01");
        var options = broker.ClientOptions("edge-01") with
        {
            Tls = new MqttTlsOptions(broker.CaFile, Path.Combine(broker.CertDir, "rogue.crt"), Path.Combine(broker.CertDir, "rogue.key")),
        };

        await AssertNeverConnectsAsync(options);
    }

    [Fact]
    public async Task Tls_ServerNotSignedByTrustedCa_ClientRefusesAndSaysWhy()
    {
        await using var broker = await MosquittoBroker.StartNewTlsAsync("edge-01");
        var options = broker.ClientOptions("edge-01") with
        {
            Tls = new MqttTlsOptions(Path.Combine(broker.CertDir, "rogue-ca.crt"), broker.CertFile("edge-01"), broker.KeyFile("edge-01")),
        };

        var error = await AssertNeverConnectsAsync(options);

        Assert.Contains("certificate verify failed", error);
    }

    private static async Task AssertForgedPublishRefusedAsync(MosquittoBroker broker)
    {
        await using var consumer = await EventConsumer.StartAsync(broker, "edgeai/v1/#");
        await using var device = new MqttClient(broker.ClientOptions("edge-01"));
        device.Start();
        await device.WaitConnectedAsync().WaitAsync(Timeout);

        var forged = await device.PublishAsync(Topics.Events("edge-02"), "{\"forged\":true}"u8).WaitAsync(Timeout);
        var own = await device.PublishAsync(Topics.Health("edge-01"), "{}"u8).WaitAsync(Timeout);

        Assert.Equal(0x87, forged.ReasonCode);   // MQTT 5 "Not authorized": the broker refused and did not route it
        Assert.True(own.IsSuccess, own.Reason);
        await consumer.WaitForAsync(c => c.Other.Any(m => m.Topic == Topics.Health("edge-01")), Timeout, "own publish");
        Assert.Empty(consumer.Arrivals);
        Assert.Empty(consumer.Rejected);
        Assert.DoesNotContain(consumer.Other, m => m.Topic.StartsWith("edgeai/v1/edge-02/", StringComparison.Ordinal));
    }

    /// <summary>Gives the client several attempts; asserts none reached CONNACK and returns the reason it gives.</summary>
    private static async Task<string> AssertNeverConnectsAsync(MqttClientOptions options)
    {
        await using var client = new MqttClient(options with { ReconnectMinDelay = TimeSpan.FromMilliseconds(100), ReconnectMaxDelay = TimeSpan.FromMilliseconds(200) });
        client.Start();
        var deadline = DateTime.UtcNow + Timeout;
        while (client.LastError is null && DateTime.UtcNow < deadline) await Task.Delay(25);
        await Task.Delay(1000);   // more attempts: none may succeed

        Assert.Equal(0, client.ConnectCount);
        Assert.NotEqual(MqttConnectionState.Connected, client.State);
        Assert.NotNull(client.LastError);
        return client.LastError;
    }

    private static async Task<string> WaitForLogAsync(CapturingLoggerProvider logs, string text)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var line = logs.Lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null) return line;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"no log line with '{text}':\n{string.Join("\n", logs.Lines)}");
            await Task.Delay(25);
        }
    }
}

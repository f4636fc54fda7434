using EdgeAi.Interop.Mqtt;
using EdgeAi.Testing;

namespace EdgeAi.Interop.Tests;

/// <summary>The broker connection does not leak into child processes (the worker starts one ffmpeg per camera).</summary>
[Collection("forks")]
public sealed class MqttClientSocketTests
{
    [Fact]
    public async Task Connect_Socket_IsCloseOnExec()
    {
        await using var broker = await MosquittoBroker.StartNewAsync("edge-01");
        await using var client = new MqttClient(broker.ClientOptions("edge-01"));
        client.Start();
        await client.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var fd = client.SocketDescriptor;
        var flags = File.ReadLines($"/proc/self/fdinfo/{fd}").Single(l => l.StartsWith("flags:", StringComparison.Ordinal));

        // O_CLOEXEC is 02000000 (octal) in the flags field of fdinfo.
        Assert.True((Convert.ToInt64(flags["flags:".Length..].Trim(), 8) & 0x80000) != 0, $"fd {fd} {flags}");
    }
}

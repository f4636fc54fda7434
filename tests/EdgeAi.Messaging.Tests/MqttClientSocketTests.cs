using System.Diagnostics;
using EdgeAi.Messaging;
using EdgeAi.Testing;

namespace EdgeAi.Messaging.Tests;

/// <summary>The broker connection does not leak into child processes (the worker starts one ffmpeg per camera).</summary>
public sealed class MqttClientSocketTests
{
    [Fact]
    public async Task Connect_ChildProcess_InheritsNoSocket()
    {
        await using var broker = await MosquittoBroker.StartNewAsync("edge-01");
        await using var client = new MqttClient(broker.ClientOptions("edge-01"));
        client.Start();
        await client.WaitConnectedAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // The child lists its own open descriptors: a socket among them would be one it inherited from us.
        var psi = new ProcessStartInfo("/bin/sh", ["-c", "for f in /proc/$$/fd/*; do readlink \"$f\"; done"]) { RedirectStandardOutput = true };
        using var child = Process.Start(psi)!;
        var fds = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();

        Assert.Equal(MqttConnectionState.Connected, client.State);
        Assert.DoesNotContain("socket:", fds);
    }
}

using System.Net.Sockets;
using System.Net;
using EdgeAi.Configuration;
using EdgeAi.Testing;
using EdgeAi.Worker.Tests.Cli;

namespace EdgeAi.Worker.Tests.Hosting;

/// <summary>The real <c>edgeai run</c> process and its host: what happens when the host cannot start.</summary>
public sealed class WorkerHostTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("host");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_HttpListenAddressInUse_ExitsWithConfigErrorNamingIt()
    {
        using var taken = new TcpListener(IPAddress.Loopback, FreePort.Get());
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var config = Path.Combine(_dir, "edgeai.json");
        File.WriteAllText(config, $$"""
            {
              "device_id": "edge-host",
              "outbox": { "path": "outbox.db" },
              "evidence": { "directory": "evidence" },
              "http": { "listen": "127.0.0.1:{{port}}" },
              "models": [ { "id": "demo", "manifest": "{{TestPaths.InRepo("models", "demo", "edgeai-demo.manifest.json")}}", "threads": 1 } ]
            }
            """);

        var (code, _, stderr) = await EdgeAiCli.RunAsync(["run", "--config", config]);

        Assert.Equal(78, code);
        Assert.Contains($"edgeai: http.listen 127.0.0.1:{port}:", stderr);
    }
}

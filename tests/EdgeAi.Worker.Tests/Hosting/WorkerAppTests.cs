using EdgeAi.Testing;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Hosting;
using EdgeAi.Worker.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeAi.Worker.Tests.Hosting;

/// <summary>The worker's host in-process (no camera, no broker, no HTTP): its stages start in order and stop in reverse.</summary>
public sealed class WorkerAppTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("worker-app");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task StartStop_NoCameras_StagesFillTheStateInOrderAndTheOutboxClosesLast()
    {
        var config = new WorkerConfig
        {
            DeviceId = "edge-app",
            Mqtt = new MqttConfig(Port: FreePort.Get()),   // nothing listens: delivery keeps retrying, which is no reason not to start
            Outbox = new OutboxConfig(Path.Combine(_dir, "outbox.db")),
            Evidence = new EvidenceStoreOptions { Directory = Path.Combine(_dir, "evidence") },
            Models = [new ModelConfig("tiny", TestPaths.InRepo("tests", "data", "tiny_detector.manifest.json"), Threads: 1)],
            Http = new HttpConfig(Enabled: false),
        };
        using var log = new Serilog.LoggerConfiguration().CreateLogger();
        using var host = WorkerApp.Build(config, Path.Combine(_dir, "edgeai.json"), log);
        var state = host.Services.GetRequiredService<WorkerState>();
        Assert.Equal(["models not loaded yet", "outbox not open yet", "pipeline not started yet"], state.NotReadyReasons());

        await host.StartAsync();

        Assert.Empty(state.NotReadyReasons());   // no camera configured: ready once models, outbox and pipeline are up
        Assert.Equal("cpu", state.Models!["tiny"]);
        Assert.NotNull(state.Mqtt);
        Assert.StartsWith("0/0 cameras streaming, outbox 0, mqtt ", state.StatusLine());
        Assert.Same(state.Outbox, host.Services.GetRequiredService<OutboxStage>().Outbox);
        Assert.Same(host.Services.GetRequiredService<EdgeAi.Worker.Quality.QualityBoard>(), state.Quality);   // health reads the board the analytics write

        await host.StopAsync();

        Assert.Null(state.Pipeline);
        Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<OutboxStage>().Outbox);   // closed
    }
}

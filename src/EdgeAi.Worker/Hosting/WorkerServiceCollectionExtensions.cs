using EdgeAi.Observability.Systemd;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Publishing;
using EdgeAi.Worker.Quality;
using EdgeAi.Worker.Recording;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace EdgeAi.Worker.Hosting;

/// <summary>
/// Service registration, one method per feature. The stages (<see cref="WorkerStage"/>) start in registration order
/// once the HTTP server listens — models, outbox, clips, delivery, pipeline — and stop in reverse: the pipeline drains
/// into the outbox, delivery disconnects, held clip events are written, the outbox closes; then the HTTP server and the
/// watchdog stop.
/// </summary>
internal static class WorkerServiceCollectionExtensions
{
    /// <summary>The validated config, the clock, Serilog, the shared state and /metrics.</summary>
    public static IServiceCollection AddWorkerCore(this IServiceCollection services, WorkerConfig config, string configPath, Serilog.ILogger log, TimeProvider time)
    {
        services.AddSerilog(log, dispose: false);
        services.AddSingleton(config);
        services.AddSingleton(new WorkerConfigSource(configPath));
        services.AddSingleton(time);
        services.AddSingleton(sp => new WorkerState(config, sp.GetRequiredService<TimeProvider>(), sp.GetService<QualityBoard>()));
        services.AddSingleton<WorkerMetrics>();
        return services;
    }

    /// <summary>Logs where the status page listens, once it does (the endpoints are mapped by <see cref="WorkerHttpServer"/>).</summary>
    public static IServiceCollection AddWorkerHttp(this IServiceCollection services, WorkerConfig config)
    {
        if (config.Http.Enabled) services.AddStage<HttpListening>();
        else services.AddSingleton<HttpListening>();
        return services;
    }

    /// <summary>The detectors, loaded once at start.</summary>
    public static IServiceCollection AddWorkerInference(this IServiceCollection services) =>
        services.AddStage<ModelStage>();

    /// <summary>The durable outbox the analytics write into and delivery reads from.</summary>
    public static IServiceCollection AddWorkerOutbox(this IServiceCollection services)
    {
        services.AddStage<OutboxStage>();
        services.AddSingleton<IEventSink, OutboxStageSink>();
        return services;
    }

    /// <summary>Event clips cut from the cameras' rolling recordings (cameras with <c>record: true</c>) and <c>fetch_evidence</c>.</summary>
    public static IServiceCollection AddWorkerClips(this IServiceCollection services) =>
        services.AddStage<ClipStage>();

    /// <summary>The per-camera analytics chain: quality check, tracker, zone rules, evidence; and the rules' verifier.</summary>
    public static IServiceCollection AddWorkerAnalytics(this IServiceCollection services, WorkerConfig config)
    {
        services.AddSingleton(sp => new EvidenceStore(config.Evidence, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new QualityBoard(sp.GetRequiredService<TimeProvider>()));
        // Answers Central's "verify" commands from the cameras' own rules, with an after-photo; unverifiable when the picture cannot tell.
        services.AddSingleton(sp => new ZoneVerifier(sp.GetRequiredService<QualityBoard>(), time: sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new CameraAnalyticsFactory(config, sp.GetRequiredService<ModelStage>().Detectors, sp.GetRequiredService<EvidenceStore>(),
            sp.GetRequiredService<IEventSink>(), sp.GetRequiredService<ZoneVerifier>(), sp.GetRequiredService<QualityBoard>(), sp.GetRequiredService<ClipStage>(), sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    /// <summary>MQTT delivery: the outbox publisher, the health topic and Central's commands.</summary>
    public static IServiceCollection AddWorkerDelivery(this IServiceCollection services) =>
        services.AddStage<DeliveryStage>();

    /// <summary>The camera pipeline and hot reload; the last stage to start and the first to stop. Its cameras are live
    /// (<see cref="LiveFrameSourceFactory"/>) on the worker's clock, recording into the clip stage's rings.</summary>
    public static IServiceCollection AddWorkerPipeline(this IServiceCollection services)
    {
        // The clip service exists once its stage has started (before the pipeline's): asked at each camera start.
        services.AddSingleton<IFrameSourceFactory>(sp => new LiveFrameSourceFactory(sp.GetRequiredService<TimeProvider>(),
            camera => sp.GetRequiredService<ClipStage>().Service.RingFor(camera)));
        return services.AddStage<PipelineStage>();
    }

    /// <summary>A stage: one instance, resolvable by its type and started by the host.</summary>
    private static IServiceCollection AddStage<T>(this IServiceCollection services) where T : WorkerStage
    {
        services.AddSingleton<T>();
        services.AddHostedService(sp => sp.GetRequiredService<T>());
        return services;
    }

    /// <summary>systemd: READY=1/STOPPING=1 from the package's lifetime (which also turns SIGTERM into a stop); WATCHDOG=1 and STATUS= while <see cref="WorkerProgress"/> sees progress.</summary>
    public static IServiceCollection AddWorkerSystemd(this IServiceCollection services) => services.AddEdgeAiSystemd<WorkerProgress>();
}

/// <summary>Knows, and logs, that the HTTP server listens: the first stage, so before the models load.</summary>
internal sealed class HttpListening(WorkerConfig config, ILoggerFactory loggers) : WorkerStage
{
    private volatile bool _listening;

    /// <summary>Whether the server came up (an I/O error before that is Kestrel's bind failing).</summary>
    public bool Listening => _listening;

    protected override Task StartStageAsync(CancellationToken ct)
    {
        _listening = true;
        loggers.CreateLogger("EdgeAi.Worker").LogInformation("Status page and /metrics on {Url}", config.Http.Url);
        return Task.CompletedTask;
    }

    protected override Task StopStageAsync() => Task.CompletedTask;
}

using System.Threading.Channels;
using System.CommandLine;
using System.Runtime.InteropServices;
using EdgeAi.Messaging;
using EdgeAi.Interop.Native;
using EdgeAi.Models.Events;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Publishing;
using EdgeAi.Worker.Tracking;
using EdgeAi.Worker.Quality;
using Microsoft.Extensions.Logging;
using Serilog;
using EdgeAi.Observability.Logging;
using EdgeAi.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeAi.Worker.Cli;

/// <summary>
/// <c>edgeai run --config FILE</c>: the gateway service. Loads and validates the config (refusing to start with
/// every error listed), loads the models, opens the outbox, starts MQTT delivery and the camera pipeline, and
/// on SIGTERM/Ctrl-C drains the pipeline (open episodes are ended into the outbox) before disconnecting.
/// </summary>
internal static class RunCommand
{
    public const int ExitConfig = 78;   // EX_CONFIG

    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Worker config file (JSON)", Required = true };
        var jsonLogs = new Option<bool>("--log-json") { Description = "Structured JSON logs on stdout (for journald)" };
        var command = new Command("run", "Run the gateway: cameras in, scenario events out over MQTT.") { config, jsonLogs };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(config)!, parse.GetValue(jsonLogs), ct));
        return command;
    }

    private static async Task<int> RunAsync(string configPath, bool jsonLogs, CancellationToken ct)
    {
        WorkerConfig cfg;
        try
        {
            NativeLibraries.RequireOpenCv();
            cfg = WorkerConfigLoader.Load(configPath);
        }
        catch (ConfigException ex)
        {
            foreach (var e in ex.Errors) Console.Error.WriteLine(e);
            Console.Error.WriteLine($"edgeai: {ex.Errors.Count} config error(s); not starting");
            return ExitConfig;
        }
        catch (NativeLibraryMissingException ex)
        {
            Console.Error.WriteLine($"edgeai: {ex.Message}");
            return ExitConfig;
        }

        var logging = jsonLogs ? cfg.Logging with { Json = true } : cfg.Logging;
        using var serilogLogger = EdgeAiLogging.Configure(logging, "edgeai-worker").Enrich.WithProperty("DeviceId", cfg.DeviceId).CreateLogger();
        using var loggers = LoggerFactory.Create(b => b.AddSerilog(serilogLogger));
        var log = loggers.CreateLogger("EdgeAi.Worker");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var state = new WorkerState(cfg);
        var metrics = new WorkerMetrics(state);
        // One host: HTTP endpoints, systemd (READY=1/STOPPING=1; its lifetime turns SIGTERM into a stop), watchdog.
        var gate = new StartupGate();
        using var host = WorkerHost.Build(state, metrics, serilogLogger, gate);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var onStopping = lifetime.ApplicationStopping.Register(stop.Cancel);   // SIGTERM (or SIGINT) through the host's lifetime
        using var onStop = stop.Token.Register(lifetime.StopApplication);            // Ctrl-C through the command line: STOPPING=1 too
        var hostStart = host.StartAsync(CancellationToken.None);
        var listening = false;
        var detectors = new Dictionary<string, OnnxDetector>();
        try
        {
            // Up before the models load, so /healthz answers and /readyz says what is still missing.
            await Task.WhenAny(gate.Listening, hostStart);
            if (hostStart.IsFaulted) await hostStart;   // start failed, e.g. http.listen in use
            listening = true;
            if (cfg.Http.Enabled) log.LogInformation("Status page and /metrics on {Url}", cfg.Http.Url);
            foreach (var m in cfg.Models)
            {
                var manifest = ModelManifestLoader.Load(m.Manifest);
                detectors[m.Id] = new OnnxDetector(manifest, new InferenceOptions { ExecutionProvider = m.ExecutionProvider, GpuDeviceId = m.GpuDeviceId, Threads = m.Threads, BatchSize = m.BatchSize, SpinWait = m.SpinWait },
                    loggers.CreateLogger<OnnxDetector>());
            }
            state.Models = detectors.ToDictionary(d => d.Key, d => d.Value.ExecutionProvider);
            await using var outbox = EventOutbox.Open(new OutboxOptions { Path = cfg.Outbox.Path, MaxBytes = cfg.Outbox.MaxBytes, MaxAge = TimeSpan.FromHours(cfg.Outbox.MaxAgeHours) },
                loggers.CreateLogger<EventOutbox>());
            state.Outbox = outbox;
            var store = new EvidenceStore(cfg.Evidence);
            var sink = new OutboxSink(outbox);
            var first = cfg.Models[0];
            var quality = new QualityBoard();
            var verifier = new ZoneVerifier(quality);   // answers Central's "verify" commands from the cameras' own rules, with an after-photo
            state.Quality = quality;
            var pipeline = new WorkerPipeline(cfg.Cameras, detectors,
                camera =>
                {
                    var d = detectors[camera.Model ?? first.Id];
                    var model = new ModelInfo(d.Manifest.Name, d.Manifest.Version, d.Manifest.Sha256);
                    var scenarios = verifier.Register(camera.Id,
                        new ScenarioAnalytics(cfg.DeviceId, camera, camera.Scenarios, model, store, null, sink, TrackerOptions.ForModel(d.Manifest.Thresholds),
                            loggers.CreateLogger<ScenarioAnalytics>()));
                    return new QualityCheckingAnalytics(camera.Id, scenarios, camera.Quality ?? cfg.Quality, quality, loggers.CreateLogger<QualityCheckingAnalytics>());
                },
                new IngestOptions { FullResolutionRoot = cfg.Evidence.FullResolution ? FullResolutionFrames.DefaultRoot() : null },
                new InferenceOptions { BatchWait = TimeSpan.FromMilliseconds(first.BatchWaitMs) }, loggers,
                classMaps: cfg.Models.Where(m => m.ClassMap is not null).ToDictionary(m => m.Id, m => m.ClassMap!));
            foreach (var h in pipeline.Health.Values) metrics.Attach(h);

            var mqtt = new MqttClientOptions
            {
                Host = cfg.Mqtt.Host,
                Port = cfg.Mqtt.Port,
                ClientId = $"edgeai-{cfg.DeviceId}",
                Username = cfg.Mqtt.Username ?? cfg.DeviceId,
                Password = cfg.Mqtt.Password,
                Tls = cfg.Mqtt.Tls is { } t ? new MqttTlsOptions(t.CaFile, t.CertFile, t.KeyFile) : null,
            };
            await using var delivery = new DeliveryService(
                new DeliveryOptions { DeviceId = cfg.DeviceId, Mqtt = mqtt, HealthInterval = TimeSpan.FromSeconds(cfg.HealthIntervalS) }, outbox, loggers,
                healthProvider: state.Health, commandHandler: verifier.HandleAsync);
            state.Mqtt = delivery.Client;
            await delivery.StartAsync(stop.Token);
            state.Pipeline = pipeline;
            log.LogInformation("EdgeAi worker {DeviceId} running: {Cameras} cameras, models {Models}", cfg.DeviceId, cfg.Cameras.Count, string.Join(",", detectors.Keys));
            var running = pipeline.RunAsync(stop.Token);
            pipeline.CameraAdded += metrics.Attach;
            // Hot reload (`systemctl reload` sends SIGHUP): cameras, zones and rules; other sections apply at the next restart.
            var reloads = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
            using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => { c.Cancel = true; reloads.Writer.TryWrite(true); });
            var reloading = ReloadLoopAsync(configPath, cfg, detectors.Keys.ToHashSet(), pipeline, reloads.Reader, log, stop.Token);
            gate.Open();   // the host finishes starting: READY=1
            await running;
            await reloading;
            await delivery.StopAsync(CancellationToken.None);
            log.LogInformation("EdgeAi worker stopped; outbox depth {Depth}", outbox.Depth);
            return 0;
        }
        catch (ModelManifestException ex)
        {
            Console.Error.WriteLine($"edgeai: {ex.Message}");
            return ExitConfig;
        }
        catch (IOException ex) when (!listening && cfg.Http.Enabled)
        {
            // Kestrel could not bind (address in use, no such interface).
            Console.Error.WriteLine($"edgeai: http.listen {cfg.Http.Listen}: {ex.Message}");
            return ExitConfig;
        }
        finally
        {
            state.Pipeline = null;
            gate.Abandon();
            await hostStart.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await host.StopAsync(CancellationToken.None);   // STOPPING=1 if no signal said so yet
            foreach (var d in detectors.Values) d.Dispose();
        }
    }

    /// <summary>
    /// Applies the config file again on each SIGHUP. An invalid file is refused with every error logged and the running
    /// cameras stay as they are; a valid one changes only the cameras that differ (<see cref="WorkerPipeline.ApplyAsync"/>).
    /// </summary>
    private static async Task ReloadLoopAsync(string path, WorkerConfig running, IReadOnlySet<string> models, WorkerPipeline pipeline,
        ChannelReader<bool> requests, Microsoft.Extensions.Logging.ILogger log, CancellationToken ct)
    {
        try
        {
            await foreach (var _ in requests.ReadAllAsync(ct).ConfigureAwait(false))
            {
                WorkerConfig next;
                try
                {
                    next = WorkerConfigLoader.Load(path);
                }
                catch (ConfigException ex)
                {
                    log.LogError("Reload refused, still running the previous cameras: {Count} config error(s)\n{Errors}", ex.Errors.Count, string.Join("\n", ex.Errors));
                    continue;
                }
                var unknown = next.Cameras.Where(c => c.Model is { } m && !models.Contains(m)).Select(c => $"{c.Id} uses model '{c.Model}'").ToList();
                if (unknown.Count > 0)
                {
                    log.LogError("Reload refused: models are loaded at start only ({Unknown}); restart the service to add a model", string.Join(", ", unknown));
                    continue;
                }
                var restartOnly = SectionsChangedOutsideCameras(running, next);
                if (restartOnly.Count > 0) log.LogWarning("Reload: {Sections} changed; that applies at the next restart", string.Join(", ", restartOnly));
                try
                {
                    await pipeline.ApplyAsync(next.Cameras, ct).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    log.LogWarning("Reload not applied: {Reason}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Top-level sections (other than cameras) whose content differs between two configs.</summary>
    private static List<string> SectionsChangedOutsideCameras(WorkerConfig a, WorkerConfig b)
    {
        static string Json(object? o) => System.Text.Json.JsonSerializer.Serialize(o);
        var sections = new (string Name, Func<WorkerConfig, object?> Get)[]
        {
            ("device_id", c => c.DeviceId), ("mqtt", c => c.Mqtt with { Password = null }), ("outbox", c => c.Outbox), ("evidence", c => c.Evidence),
            ("models", c => c.Models), ("http", c => c.Http), ("logging", c => c.Logging), ("health_interval_s", c => c.HealthIntervalS), ("quality", c => c.Quality),
        };
        return [.. sections.Where(s => Json(s.Get(a)) != Json(s.Get(b))).Select(s => s.Name)];
    }
}

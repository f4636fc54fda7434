using System.CommandLine;
using System.Runtime.InteropServices;
using EdgeAi.Interop.Mqtt;
using EdgeAi.Interop.Native;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Evidence;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Outbox;
using EdgeAi.Worker.Pipeline;
using EdgeAi.Worker.Publishing;
using EdgeAi.Worker.Quality;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Formatting.Json;

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
        var serilog = new LoggerConfiguration().MinimumLevel.Information().Enrich.FromLogContext();
        serilog = jsonLogs ? serilog.WriteTo.Console(new JsonFormatter(renderMessage: true)) : serilog.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}");
        using var serilogLogger = serilog.CreateLogger();
        using var loggers = LoggerFactory.Create(b => b.AddSerilog(serilogLogger));
        var log = loggers.CreateLogger("EdgeAi.Worker");

        WorkerConfig cfg;
        try
        {
            NativeLibraries.RequireMosquitto();
            NativeLibraries.RequireTurboJpeg();
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

        var started = DateTimeOffset.UtcNow;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

        var detectors = new Dictionary<string, OnnxDetector>();
        try
        {
            foreach (var m in cfg.Models)
            {
                var manifest = ModelManifestLoader.Load(m.Manifest);
                detectors[m.Id] = new OnnxDetector(manifest, new InferenceOptions { ExecutionProvider = m.ExecutionProvider, Threads = m.Threads, BatchSize = m.BatchSize },
                    loggers.CreateLogger<OnnxDetector>());
            }
            await using var outbox = EventOutbox.Open(new OutboxOptions { Path = cfg.Outbox.Path, MaxBytes = cfg.Outbox.MaxBytes, MaxAge = TimeSpan.FromHours(cfg.Outbox.MaxAgeHours) },
                loggers.CreateLogger<EventOutbox>());
            var store = new EvidenceStore(cfg.Evidence);
            var sink = new OutboxSink(outbox);
            var first = cfg.Models[0];
            var quality = new QualityBoard();
            var pipeline = new WorkerPipeline(cfg.Cameras, detectors,
                camera =>
                {
                    var d = detectors[camera.Model ?? first.Id];
                    var model = new ModelInfo(d.Manifest.Name, d.Manifest.Version, d.Manifest.Sha256);
                    var scenarios = new ScenarioAnalytics(cfg.DeviceId, camera, camera.Scenarios, model, store, null, sink);
                    return new QualityCheckingAnalytics(camera.Id, scenarios, camera.Quality ?? cfg.Quality, quality, loggers.CreateLogger<QualityCheckingAnalytics>());
                },
                new IngestOptions(), new InferenceOptions { BatchWait = TimeSpan.FromMilliseconds(first.BatchWaitMs) }, loggers);

            var mqtt = new MqttClientOptions
            {
                Host = cfg.Mqtt.Host,
                Port = cfg.Mqtt.Port,
                ClientId = $"edgeai-{cfg.DeviceId}",
                Username = cfg.Mqtt.Username ?? cfg.DeviceId,
                Password = cfg.Mqtt.Password,
                Tls = cfg.Mqtt.Tls is { } t ? new MqttTlsOptions(t.CaFile, t.CertFile, t.KeyFile) : null,
            };
            await using var delivery = new DeliveryService(new DeliveryOptions { DeviceId = cfg.DeviceId, Mqtt = mqtt }, outbox, loggers,
                healthProvider: () => HealthOf(cfg.DeviceId, pipeline, quality, started, outbox));
            await delivery.StartAsync(stop.Token);
            log.LogInformation("EdgeAi worker {DeviceId} running: {Cameras} cameras, models {Models}", cfg.DeviceId, cfg.Cameras.Count, string.Join(",", detectors.Keys));
            await pipeline.RunAsync(stop.Token);
            await delivery.StopAsync(CancellationToken.None);
            log.LogInformation("EdgeAi worker stopped; outbox depth {Depth}", outbox.Depth);
            return 0;
        }
        catch (ModelManifestException ex)
        {
            Console.Error.WriteLine($"edgeai: {ex.Message}");
            return ExitConfig;
        }
        finally
        {
            foreach (var d in detectors.Values) d.Dispose();
        }
    }

    /// <remarks>fps_in / fps_analysed are not measured yet and are reported as 0 (see issue 7).</remarks>
    private static DeviceHealth HealthOf(string deviceId, WorkerPipeline pipeline, QualityBoard quality, DateTimeOffset started, EventOutbox outbox)
    {
        var cameras = pipeline.Health.Values.Select(h => (s: h.Snapshot(), q: quality.Get(h.CameraId))).Select(x => new EdgeAi.Models.Devices.CameraHealth(
            x.s.CameraId, x.s.State.ToString().ToLowerInvariant(), 0, 0, x.s.FramesIn, x.s.FramesAnalysed, x.s.Dropped, x.s.Reconnects,
            x.s.LastFrameAgeSeconds, x.s.DecodeErrors, x.s.InferenceP50Ms, x.s.InferenceP99Ms, x.s.ExecutionProvider,
            x.q?.Flags ?? [], x.s.LastError, x.q?.Measurements)).ToList();
        var now = DateTimeOffset.UtcNow;
        return new DeviceHealth(deviceId, now, (now - started).TotalSeconds, cameras, outbox.Depth.ToHealth(now),
            typeof(RunCommand).Assembly.GetName().Version?.ToString());
    }
}

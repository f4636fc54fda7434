using System.CommandLine;
using EdgeAi.Configuration;
using EdgeAi.Interop.Native;
using EdgeAi.Observability.Logging;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Hosting;
using EdgeAi.Worker.Inference;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeAi.Worker.Cli;

/// <summary>
/// <c>edgeai run --config FILE</c>: the gateway service. Loads and validates the config (refusing to start with
/// every error listed), then runs the worker's host (<see cref="WorkerApp"/>): it loads the models, opens the outbox,
/// starts MQTT delivery and the camera pipeline, and on SIGTERM/Ctrl-C drains the pipeline (open episodes are ended
/// into the outbox) before disconnecting. Exit codes: 0 after a clean stop, 78 (EX_CONFIG) for a config, model or
/// http.listen error.
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
        using var log = EdgeAiLogging.Configure(logging, "edgeai-worker").Enrich.WithProperty("DeviceId", cfg.DeviceId).CreateLogger();
        using var host = WorkerApp.Build(cfg, configPath, log);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var onCancel = ct.Register(lifetime.StopApplication);   // Ctrl-C through the command line; SIGTERM comes through the host's lifetime
        try
        {
            await host.StartAsync(CancellationToken.None);
        }
        catch (ModelManifestException ex)
        {
            Console.Error.WriteLine($"edgeai: {ex.Message}");
            await host.StopAsync(CancellationToken.None);
            return ExitConfig;
        }
        catch (IOException ex) when (cfg.Http.Enabled && !host.Services.GetRequiredService<HttpListening>().Listening)
        {
            // Kestrel could not bind (address in use, no such interface).
            Console.Error.WriteLine($"edgeai: http.listen {cfg.Http.Listen}: {ex.Message}");
            await host.StopAsync(CancellationToken.None);
            return ExitConfig;
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopped while starting: the host stops below.
        }
        await host.WaitForShutdownAsync(CancellationToken.None);   // stops the host (STOPPING=1, the stages in reverse) once asked to
        return 0;
    }
}

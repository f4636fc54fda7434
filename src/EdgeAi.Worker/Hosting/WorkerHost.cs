using EdgeAi.Observability.Systemd;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace EdgeAi.Worker.Hosting;

/// <summary>
/// The worker's one Generic Host: the local HTTP server (<see cref="WorkerHttpServer"/>, when <c>http.enabled</c>),
/// systemd integration (READY=1 and STOPPING=1 from Microsoft.Extensions.Hosting.Systemd's lifetime, which also turns
/// SIGTERM into a stop; WATCHDOG=1 and STATUS= from <see cref="SystemdWatchdog"/> while <see cref="WorkerProgress"/>
/// sees progress) and Serilog for the framework's own logs. The models, outbox, delivery and pipeline are still
/// started by hand in <c>edgeai run</c> (moving them onto this host is issue 14); until then <see cref="StartupGate"/>
/// holds the host's "started" event, and with it READY=1, until the worker is running.
/// </summary>
internal static class WorkerHost
{
    public static IHost Build(WorkerState state, WorkerMetrics metrics, Serilog.ILogger log, StartupGate gate)
    {
        if (!state.Config.Http.Enabled)
        {
            var plain = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
            AddWorkerServices(plain.Services, state, log, gate);
            return plain.Build();
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(state.Config.Http.Url);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024);
        builder.Logging.ClearProviders();
        AddWorkerServices(builder.Services, state, log, gate);
        var app = builder.Build();
        WorkerHttpServer.Map(app, state, metrics);
        return app;
    }

    private static void AddWorkerServices(IServiceCollection services, WorkerState state, Serilog.ILogger log, StartupGate gate)
    {
        services.AddSerilog(log, dispose: false);
        services.AddSingleton(state);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IHostedService>(gate);
        services.AddEdgeAiSystemd<WorkerProgress>();
    }
}

/// <summary>
/// Holds the host's start after every hosted service has started (the HTTP server listens, the watchdog runs) until
/// <see cref="Open"/>: the host's ApplicationStarted, and so systemd's READY=1, then means "models loaded, outbox open,
/// delivery and cameras started", as before. Goes away when the worker's stages become hosted services (issue 14).
/// </summary>
internal sealed class StartupGate : IHostedLifecycleService
{
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _running = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once every hosted service has started (the HTTP server listens); the host is still starting.</summary>
    public Task Listening => _listening.Task;

    /// <summary>The worker runs: let the host finish starting (READY=1).</summary>
    public void Open() => _running.TrySetResult();

    /// <summary>The worker did not get to run (start-up failed or was stopped): the host's start ends cancelled.</summary>
    public void Abandon() => _running.TrySetCanceled();

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _listening.TrySetResult();
        return _running.Task.WaitAsync(cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

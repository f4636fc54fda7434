using EdgeAi.Worker.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Hosting;

/// <summary>
/// Builds the worker's one Generic Host from a validated config: the stages (models, outbox, delivery, pipeline), the
/// local HTTP endpoints on Kestrel when <c>http.enabled</c> (<see cref="WorkerHttpServer"/>), systemd notify and
/// watchdog, Serilog. Without HTTP it is a plain host with the same services.
/// </summary>
internal static class WorkerApp
{
    public static IHost Build(WorkerConfig config, string configPath, Serilog.ILogger log, TimeProvider? time = null)
    {
        if (!config.Http.Enabled)
        {
            var plain = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
            AddWorker(plain.Services, config, configPath, log, time);
            return plain.Build();
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(config.Http.Url);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024);
        builder.Logging.ClearProviders();
        AddWorker(builder.Services, config, configPath, log, time);
        var app = builder.Build();
        WorkerHttpServer.Map(app, app.Services.GetRequiredService<WorkerState>(), app.Services.GetRequiredService<WorkerMetrics>());
        return app;
    }

    private static void AddWorker(IServiceCollection services, WorkerConfig config, string configPath, Serilog.ILogger log, TimeProvider? time) =>
        services
            .AddWorkerCore(config, configPath, log, time ?? TimeProvider.System)
            .AddWorkerHttp(config)
            .AddWorkerInference()
            .AddWorkerOutbox()
            .AddWorkerClips()
            .AddWorkerAnalytics(config)
            .AddWorkerDelivery()
            .AddWorkerPipeline()
            .AddWorkerSystemd();
}

using EdgeAi.Central.Api;
using EdgeAi.Central.Broker;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Observability.Logging;
using EdgeAi.Observability.Metrics;
using EdgeAi.Observability.Systemd;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace EdgeAi.Central.Hosting;

/// <summary>Builds the Central web application from validated options (used by Program and by in-process tests).</summary>
internal static class CentralApp
{
    public static WebApplication Build(CentralOptions options, TimeProvider? time = null, Action<LoggerConfiguration>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Api.Listen);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.Api.MaxRequestBytes);
        builder.Host.ConfigureHostOptions(h => h.ShutdownTimeout = TimeSpan.FromSeconds(20));

        // Same set-up as the worker (EdgeAi.Observability): text or JSON on stdout for journald, optional file.
        var log = EdgeAiLogging.Configure(new LoggingOptions(options.LogLevel, options.LogJson, options.LogFile), "edgeai-central")
            .Enrich.WithProperty("Instance", options.InstanceId);
        logging?.Invoke(log);
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(log.CreateLogger(), dispose: true);

        var clock = time ?? TimeProvider.System;
        builder.Services
            .AddCentralStorage(options, clock)
            .AddCentralIncidents()
            .AddCentralCases(options)
            .AddCentralConsumer()
            .AddCentralApi()
            .AddCentralDashboard();
        // systemd: READY=1/STOPPING=1 from the package's lifetime; WATCHDOG=1 and STATUS= while CentralProgress sees progress.
        builder.Services.AddSingleton<CentralProgress>();
        builder.Services.AddSingleton<IServiceProgress>(sp => sp.GetRequiredService<CentralProgress>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CentralProgress>());
        builder.Services.AddEdgeAiSystemd<CentralProgress>();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapHealth();
        var metrics = app.Services.GetRequiredService<CentralMetrics>();
        var store = app.Services.GetRequiredService<Storage.CentralStore>();
        var mqtt = app.Services.GetRequiredService<Broker.CentralMqtt>();
        metrics.MqttConnected = () => mqtt.IsConnected;
        metrics.Registry.AddBeforeCollectCallback(async ct => metrics.SetCounts(await store.CountAsync(ct)));
        app.MapPrometheusMetrics(metrics.Registry).AllowAnonymous();
        app.MapPlatformCallback();
        app.MapCentralApi();
        app.MapEvidenceApi();
        app.MapCaseLoopApi();
        app.MapCockpitApi();
        app.MapDashboard();
        return app;
    }
}

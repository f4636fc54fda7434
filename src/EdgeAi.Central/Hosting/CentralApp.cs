using EdgeAi.Central.Api;
using EdgeAi.Central.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

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

        var log = new LoggerConfiguration()
            .MinimumLevel.Is(Enum.Parse<LogEventLevel>(options.LogLevel))
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Instance", options.InstanceId)
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        logging?.Invoke(log);
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(log.CreateLogger(), dispose: true);

        var clock = time ?? TimeProvider.System;
        builder.Services
            .AddCentralStorage(options, clock)
            .AddCentralIncidents()
            .AddCentralCases(options)
            .AddCentralConsumer()
            .AddCentralApi()
            .AddCentralDashboard();

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapHealth();
        app.MapPlatformCallback();
        app.MapCentralApi();
        app.MapDashboard();
        return app;
    }
}

using EdgeAi.Central.Api;
using EdgeAi.Central.Broker;
using EdgeAi.Central.Cases;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Consuming;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Incidents;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Hosting;

/// <summary>Service registration, one method per feature. Hosted services start in registration order and stop in reverse.</summary>
internal static class CentralServiceCollectionExtensions
{
    /// <summary>Options, clock, metrics and the store (migrated by the first hosted service).</summary>
    public static IServiceCollection AddCentralStorage(this IServiceCollection services, CentralOptions options, TimeProvider time)
    {
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton<CentralMetrics>();
        services.AddSingleton(sp => new CentralStore(CentralStore.CreateDialect(options.Database), sp.GetRequiredService<ILogger<CentralStore>>(), time));
        services.AddSingleton<DatabaseMigrationService>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrationService>());
        services.AddHostedService<RetentionService>();
        return services;
    }

    /// <summary>Correlation of events into incidents and the idle closer.</summary>
    public static IServiceCollection AddCentralIncidents(this IServiceCollection services)
    {
        services.AddSingleton<CaseOpener>();
        services.AddSingleton<IncidentService>();
        services.AddSingleton<IIncidentReopener>(sp => sp.GetRequiredService<IncidentService>());
        services.AddHostedService<IncidentCloser>();
        return services;
    }

    /// <summary>Case workflow, the outbox dispatcher, the platform adapter and status polling.</summary>
    public static IServiceCollection AddCentralCases(this IServiceCollection services, CentralOptions options)
    {
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<MediaLinks>();
        services.AddSingleton<Evidence.AccessPolicy>();
        services.AddSingleton<Evidence.EvidenceArrivals>();
        services.AddSingleton<Evidence.EvidenceService>();
        services.AddSingleton<FilingBuilder>();
        services.AddSingleton<CaseWorkflow>();
        services.AddSingleton<CaseReview>();
        services.AddSingleton<CaseSupervision>();
        services.AddSingleton<IPlatformAdapter>(sp => options.Platform.Kind == PlatformKind.Open311
            ? new Open311PlatformAdapter(options.Platform)
            : new WebhookPlatformAdapter(options.Platform, sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<OutboxDispatcher>();
        services.AddHostedService<PlatformStatusPoller>();
        services.AddHostedService<VerificationWatchdog>();
        services.AddHostedService<CaseLoopService>();
        services.AddSingleton<CameraFaultMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<CameraFaultMonitor>());
        return services;
    }

    /// <summary>The MQTT consumer. Registered last so that it stops first: the connection closes, then the queue drains.</summary>
    public static IServiceCollection AddCentralConsumer(this IServiceCollection services)
    {
        services.AddSingleton<InboundQueue>();
        services.AddSingleton<EvidenceLane>();
        services.AddSingleton<CentralMqtt>();
        services.AddHostedService<MessageProcessor>();
        // the evidence lane's own processor: the same code, reading the evidence queue (AddSingleton, as AddHostedService
        // would drop a second registration of the same type)
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => ActivatorUtilities.CreateInstance<MessageProcessor>(sp, sp.GetRequiredService<EvidenceLane>().Queue));
        services.AddSingleton<MqttConsumer>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttConsumer>());
        return services;
    }

    /// <summary>Bearer-token authentication, JSON in snake_case and the OpenAPI document.</summary>
    public static IServiceCollection AddCentralApi(this IServiceCollection services)
    {
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorization();
        services.ConfigureHttpJsonOptions(o => PlatformJson.Configure(o.SerializerOptions));
        services.AddOpenApi("v1", o => o.AddDocumentTransformer(new OpenApiBearerTransformer()));
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace EdgeAi.Observability.Systemd;

public static class SystemdServiceCollectionExtensions
{
    /// <summary>
    /// systemd integration (Type=notify) from Microsoft.Extensions.Hosting.Systemd: its <see cref="SystemdLifetime"/>
    /// sends READY=1 when the host has started and STOPPING=1 when it begins to stop (and stops the host on SIGTERM);
    /// <see cref="SystemdWatchdog"/> sends WATCHDOG=1 and STATUS= lines while <typeparamref name="TProgress"/> says the
    /// service makes progress.
    /// </summary>
    /// <remarks>
    /// The package's own <c>AddSystemd()</c> turns on only when the parent process is systemd. sd_notify(3) needs no more
    /// than <c>$NOTIFY_SOCKET</c>, so that is enough here too: the tests bind a socket and start the service as their child.
    /// </remarks>
    public static IServiceCollection AddEdgeAiSystemd<TProgress>(this IServiceCollection services) where TProgress : class, IServiceProgress
    {
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();   // disabled (every call a no-op) without $NOTIFY_SOCKET
        if (SystemdHelpers.IsSystemdService() || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
        services.TryAddSingleton<IServiceProgress, TProgress>();
        services.AddHostedService<SystemdWatchdog>();
        return services;
    }
}

using EdgeAi.Central.Consuming;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Storage;
using EdgeAi.Observability.Systemd;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Hosting;

/// <summary>
/// Tells systemd how Central is doing (Type=notify): READY=1 once the host has started (migrations done, API
/// listening), then WATCHDOG=1 at half of WatchdogSec= and STATUS= lines such as "central: consuming, 3 cases open",
/// and STOPPING=1 on shutdown. Does nothing when not started by systemd.
/// </summary>
internal sealed partial class SystemdStatusService(SystemdNotifier notifier, IHostApplicationLifetime lifetime, CentralStore store,
    CentralMqtt mqtt, CentralMetrics metrics, ILogger<SystemdStatusService> logger) : BackgroundService
{
    private string _status = "central: starting";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.Enabled) return;
        using var stopping = lifetime.ApplicationStopping.Register(notifier.Stopping);
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        await RefreshAsync(stoppingToken).ConfigureAwait(false);
        notifier.Ready(_status);
        LogReady(notifier.WatchdogInterval?.TotalSeconds);
        var pings = notifier.RunAsync(() => _status, TimeSpan.FromSeconds(5), stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false)) await RefreshAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await pings.ConfigureAwait(false);
    }

    /// <summary>Counts cases in the store off the watchdog path: a slow database delays the status line, never the ping.</summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        try
        {
            var counts = await store.CountAsync(ct).ConfigureAwait(false);
            metrics.SetCounts(counts);
            var open = counts.CasesByState.Where(kv => Cases.CaseStates.Active.Contains(kv.Key) || kv.Key == Cases.CaseStates.Detected).Sum(kv => kv.Value);
            _status = $"central: {(mqtt.IsConnected ? "consuming" : "broker disconnected")}, {open} cases open";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _status = $"central: database unavailable ({ex.GetType().Name})";
        }
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Notified systemd: ready (watchdog {WatchdogSeconds} s)")]
    private partial void LogReady(double? watchdogSeconds);
}

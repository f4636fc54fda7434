using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Observability.Systemd;

/// <summary>
/// The service's side of systemd's watchdog: every half <c>WatchdogSec=</c> (sd_watchdog_enabled(3) advice) it asks
/// <see cref="IServiceProgress"/> and sends <c>WATCHDOG=1</c> with the <c>STATUS=</c> line only while the service makes
/// progress; a stalled service sends its status alone, so systemd restarts it once the stall outlasts
/// <c>WatchdogSec=</c>. Without a watchdog it still sends the status line every <see cref="StatusPeriod"/>.
/// READY=1 and STOPPING=1 are not sent here: they come from the package's <see cref="SystemdLifetime"/>.
/// Does nothing when not started by systemd (no <c>$NOTIFY_SOCKET</c>).
/// </summary>
public sealed partial class SystemdWatchdog(ISystemdNotifier notifier, IServiceProgress progress, ILogger<SystemdWatchdog> logger) : BackgroundService
{
    /// <summary>How often the status line is sent when no watchdog is configured (or its half-interval is longer).</summary>
    public static readonly TimeSpan StatusPeriod = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>WatchdogSec=</c> as systemd passes it (<c>$WATCHDOG_USEC</c>, for this process when <c>$WATCHDOG_PID</c> is
    /// unset or names it); null when no watchdog is configured.
    /// </summary>
    public static TimeSpan? WatchdogInterval(Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var pid = env("WATCHDOG_PID");
        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture)) return null;
        return long.TryParse(env("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec) : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled) return;
        var watchdog = WatchdogInterval();
        var period = watchdog is { } w && w / 2 < StatusPeriod ? w / 2 : StatusPeriod;
        LogStarted(watchdog?.TotalSeconds, period.TotalSeconds);
        string? stalled = null;
        using var timer = new PeriodicTimer(period);
        try
        {
            do
            {
                var p = progress.Check();
                if (p.Stalled is not null && stalled is null) LogStalled(p.Stalled);
                else if (p.Stalled is null && stalled is not null) LogResumed(stalled);
                stalled = p.Stalled;
                Send(p.Stalled is null && watchdog is not null ? $"WATCHDOG=1\nSTATUS={p.Status}"
                    : p.Stalled is null ? $"STATUS={p.Status}" : $"STATUS={p.Status} (stalled: {p.Stalled})");
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Send(string state)
    {
        try
        {
            notifier.Notify(new ServiceState(state));
        }
        catch (SocketException ex)
        {
            // Advisory: the service must not die because systemd's socket went away.
            LogSendFailed(ex.SocketErrorCode);
        }
    }

    [LoggerMessage(EventId = 950, Level = LogLevel.Information, Message = "systemd notifications on: watchdog {WatchdogSeconds} s, status every {PeriodSeconds} s")]
    private partial void LogStarted(double? watchdogSeconds, double periodSeconds);

    [LoggerMessage(EventId = 951, Level = LogLevel.Error, Message = "No progress ({Reason}): systemd watchdog pings withheld, so systemd restarts the service if this lasts")]
    private partial void LogStalled(string reason);

    [LoggerMessage(EventId = 952, Level = LogLevel.Warning, Message = "Progress again after a stall ({Reason}): systemd watchdog pings resumed")]
    private partial void LogResumed(string reason);

    [LoggerMessage(EventId = 953, Level = LogLevel.Warning, Message = "sd_notify failed: {Error}")]
    private partial void LogSendFailed(SocketError error);
}

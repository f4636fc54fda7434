using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Incidents;

/// <summary>Closes idle incidents once a minute.</summary>
internal sealed partial class IncidentCloser(IncidentService incidents, TimeProvider time, ILogger<IncidentCloser> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timer = new PeriodicTimer(Interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var n = await incidents.CloseIdleAsync(stoppingToken).ConfigureAwait(false);
                    if (n > 0) LogClosed(n);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Closed {Count} idle incidents")]
    private partial void LogClosed(int count);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Closing idle incidents failed; will retry")]
    private partial void LogFailed(Exception ex);
}

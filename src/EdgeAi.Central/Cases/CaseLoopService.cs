using EdgeAi.Central.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Cases;

/// <summary>
/// The case loop's clock: applies the review timeout to held cases and escalates overdue ones, every
/// <see cref="ReviewSettings.CheckInterval"/> (or the supervision interval, whichever is shorter). Several instances may
/// run it: each change is a conditional update under the case's lock, so a case is changed once.
/// </summary>
internal sealed partial class CaseLoopService(CaseReview review, CaseSupervision supervision, CentralOptions options, TimeProvider time, ILogger<CaseLoopService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Review.CheckInterval < options.Supervision.CheckInterval ? options.Review.CheckInterval : options.Supervision.CheckInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await review.ApplyTimeoutsAsync(stoppingToken).ConfigureAwait(false);
                    await supervision.EscalateOverdueAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogFailed(ex);
                }
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            LogStopped();
        }
    }

    [LoggerMessage(EventId = 530, Level = LogLevel.Error, Message = "Case loop check failed; continuing")]
    private partial void LogFailed(Exception ex);

    [LoggerMessage(EventId = 531, Level = LogLevel.Information, Message = "Case loop service stopped")]
    private partial void LogStopped();
}

using EdgeAi.Central.Configuration;
using EdgeAi.Central.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Storage;

/// <summary>
/// Enforces <see cref="RetentionSettings"/> every <see cref="RetentionSettings.Interval"/> (and once at start): deletes
/// evidence and dead letters past their age or beyond their size limit, oldest first; counted and logged. With several
/// instances each prunes; the deletes are idempotent.
/// </summary>
internal sealed partial class RetentionService(
    CentralStore store,
    CentralOptions options,
    CentralMetrics metrics,
    TimeProvider time,
    ILogger<RetentionService> logger) : BackgroundService
{
    private readonly RetentionSettings _settings = options.Retention;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            using var timer = new PeriodicTimer(_settings.Interval, time);
            do
            {
                try
                {
                    await EnforceOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Applies the limits now; returns (evidence blobs — pictures and clips —, dead letters) deleted.</summary>
    internal async Task<(long Evidence, long DeadLetters)> EnforceOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var evidence = await store.PruneEvidenceAsync(now - _settings.EvidenceMaxAge, _settings.EvidenceMaxBytes, ct).ConfigureAwait(false)
            + await store.PruneEvidenceAsync(now - _settings.ClipMaxAge, _settings.ClipMaxBytes, ct, clips: true).ConfigureAwait(false);
        var letters = await store.PruneDeadLettersAsync(now - _settings.DeadLetterMaxAge, _settings.DeadLetterMaxRows, ct).ConfigureAwait(false);
        if (evidence + letters > 0)
        {
            metrics.Pruned(evidence, letters);
            LogPruned(evidence, letters);
        }
        return (evidence, letters);
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Retention: deleted {Evidence} evidence blobs (pictures and clips) and {DeadLetters} dead letters past their limits")]
    private partial void LogPruned(long evidence, long deadLetters);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Enforcing retention limits failed; will retry")]
    private partial void LogFailed(Exception ex);
}

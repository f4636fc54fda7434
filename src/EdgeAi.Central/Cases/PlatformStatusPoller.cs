using EdgeAi.Central.Configuration;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Cases;

/// <summary>Asks the platform for the state of active cases every <see cref="PlatformSettings.PollInterval"/> (off when zero).</summary>
internal sealed partial class PlatformStatusPoller(
    CentralStore store,
    IPlatformAdapter platform,
    CaseWorkflow workflow,
    CentralOptions options,
    TimeProvider time,
    ILogger<PlatformStatusPoller> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Platform.PollInterval;
        if (interval <= TimeSpan.Zero) return;
        try
        {
            using var timer = new PeriodicTimer(interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await PollOnceAsync(stoppingToken).ConfigureAwait(false);
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

    internal async Task<int> PollOnceAsync(CancellationToken ct)
    {
        var changed = 0;
        foreach (var c in await store.ListCasesInStatesAsync(CaseStates.Active, 500, ct).ConfigureAwait(false))
        {
            if (c.PlatformCaseId is null) continue;
            var status = await platform.GetStatusAsync(c.PlatformCaseId, ct).ConfigureAwait(false);
            if (status is null) continue;
            if (status.PlatformCaseId is { } id && id != c.PlatformCaseId)
            {
                var previous = c.PlatformCaseId;
                await store.UpdateCaseAsync(c.CaseId, row => row.PlatformCaseId == previous
                    ? new CaseUpdate(row.State, "platform-poll", $"platform id {previous} resolved to {id}") { KeepState = true, PlatformCaseId = id }
                    : null, time.GetUtcNow(), ct).ConfigureAwait(false);
                changed++;
            }
            if (status.State == c.State || !CaseStates.FromPlatform.Contains(status.State)) continue;
            if (await workflow.ApplyPlatformStatusAsync(c.CaseId, status.State, status.Note, "platform-poll", ct).ConfigureAwait(false) == StatusOutcome.Applied) changed++;
        }
        return changed;
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Warning, Message = "Polling the platform for case states failed; will retry")]
    private partial void LogFailed(Exception ex);
}

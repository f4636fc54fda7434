using EdgeAi.Central.Configuration;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Cases;

/// <summary>
/// Follows verification commands that got no reply: after <see cref="VerificationSettings.ReplyTimeout"/> the same
/// command (same id) is sent again, up to <see cref="VerificationSettings.MaxAttempts"/> sends; then it is marked
/// <c>timeout</c> and the case stays <c>resolved</c> with a timeline entry saying a person must check. A device that
/// was offline gets the command later anyway (QoS 1, persistent session); the resend covers a lost or ignored one.
/// Safe with several instances: each step is a conditional update under the case's lock.
/// </summary>
internal sealed partial class VerificationWatchdog(
    CentralStore store,
    CentralOptions options,
    OutboxSignal signal,
    CentralMetrics metrics,
    TimeProvider time,
    ILogger<VerificationWatchdog> logger) : BackgroundService
{
    private readonly VerificationSettings _settings = options.Verification;

    /// <summary>How often unanswered commands are looked at: a quarter of the reply timeout, between 0.1 s and 30 s.</summary>
    public TimeSpan Interval => TimeSpan.FromTicks(Math.Clamp(_settings.ReplyTimeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_settings.Enabled) return;
        try
        {
            using var timer = new PeriodicTimer(Interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await CheckOnceAsync(stoppingToken).ConfigureAwait(false);
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

    /// <summary>Resends or gives up on every command overdue now; returns how many it acted on.</summary>
    internal async Task<int> CheckOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var acted = 0;
        foreach (var command in await store.ListUnansweredCommandsAsync(now - _settings.ReplyTimeout, 200, ct).ConfigureAwait(false))
        {
            if (command.Attempts < _settings.MaxAttempts)
            {
                if (!await store.ResendCommandAsync(command, now, ct).ConfigureAwait(false)) continue;
                metrics.VerificationResent();
                LogResent(command.CommandId, command.DeviceId, command.CameraId, command.CaseId, command.Attempts + 1, _settings.MaxAttempts);
                signal.Wake();
            }
            else
            {
                var detail = $"no reply from {command.DeviceId}/{command.CameraId} after {command.Attempts} requests, {_settings.ReplyTimeout.TotalSeconds:0.#} s each";
                var taken = await store.CompleteCommandAsync(command, VerificationResult.Timeout, detail,
                    row => new CaseUpdate(row.State, "verification", $"verification timed out: {detail}; a person must check the case") { KeepState = true },
                    now, ct).ConfigureAwait(false);
                if (!taken) continue;
                metrics.VerificationTimedOut();
                LogTimedOut(command.CommandId, command.CaseId, detail);
            }
            acted++;
        }
        return acted;
    }

    [LoggerMessage(EventId = 620, Level = LogLevel.Warning, Message = "Verification command {CommandId} to {DeviceId}/{CameraId} (case {CaseId}) unanswered; sent again ({Attempt} of {MaxAttempts})")]
    private partial void LogResent(string commandId, string deviceId, string cameraId, string caseId, long attempt, int maxAttempts);

    [LoggerMessage(EventId = 621, Level = LogLevel.Warning, Message = "Verification command {CommandId} (case {CaseId}) timed out: {Detail}; the case stays resolved")]
    private partial void LogTimedOut(string commandId, string caseId, string detail);

    [LoggerMessage(EventId = 622, Level = LogLevel.Warning, Message = "Checking unanswered verification commands failed; will retry")]
    private partial void LogFailed(Exception ex);
}

using System.Text.Json;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using EdgeAi.Models;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Cases;

/// <summary>
/// Supervision (督办): a case past its deadline (办结时限) and not finished is escalated once: marked on the case and in
/// its timeline, counted, shown on the dashboard, and an <c>escalated</c> notification goes to the platform (through
/// the outbox, once the case is filed). <see cref="CaseWorkflow"/> escalates a case reopened too often the same way.
/// </summary>
internal sealed partial class CaseSupervision(CentralStore store, OutboxSignal signal, CentralMetrics metrics, TimeProvider time, ILogger<CaseSupervision> logger)
{
    public const string EscalatedStatus = "escalated";

    /// <summary>Escalates the cases overdue now; returns how many.</summary>
    public async Task<int> EscalateOverdueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var n = 0;
        foreach (var c in await store.ListOverdueAsync(now, 100, ct).ConfigureAwait(false))
        {
            var deadline = UnixMs.ToTime(c.DeadlineAt!.Value);
            var reason = $"overdue: deadline {deadline:yyyy-MM-dd HH:mm:ss} UTC passed in state {c.State.ToText()}";
            var (_, applied) = await store.UpdateCaseAsync(c.CaseId, row =>
                row.EscalatedAt is not null || row.State.IsFinal() ? null
                : new CaseUpdate(row.State, "supervision", reason) { KeepState = true, Escalation = reason, Outbox = [Notification(row, reason, now)] },
                now, ct).ConfigureAwait(false);
            if (applied is null) continue;
            n++;
            metrics.Escalated("overdue");
            LogEscalated(c.CaseId, reason);
        }
        if (n > 0) signal.Wake();
        return n;
    }

    /// <summary>The notification telling the platform a case is escalated.</summary>
    public static OutboxRow Notification(CaseRow c, string reason, DateTimeOffset now)
    {
        var n = new CaseNotification
        {
            NotificationId = UuidV7.New().ToString(), CaseRef = c.CaseId, IncidentId = c.IncidentId, PlatformCaseId = c.PlatformCaseId,
            Status = EscalatedStatus, Note = reason, At = now,
        };
        var ms = UnixMs.From(now);
        return new OutboxRow { CaseId = c.CaseId, Kind = OutboxKind.Notify, Payload = JsonSerializer.Serialize(n, PlatformJson.Options), CreatedAt = ms, NextAttemptAt = ms };
    }

    [LoggerMessage(EventId = 540, Level = LogLevel.Warning, Message = "Case {CaseId} escalated: {Reason}")]
    private partial void LogEscalated(string caseId, string reason);
}

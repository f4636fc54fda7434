using EdgeAi.Central.Configuration;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Storage;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Cases;

/// <summary>
/// Review before filing: an operator confirms a held (or recorded) case, optionally with an edited category and a
/// note, and it goes to the platform with its deadline; or dismisses it with a reason, and it is never filed. A held
/// case not reviewed within <see cref="ReviewSettings.Timeout"/> follows <see cref="ReviewSettings.TimeoutAction"/>.
/// Each decision is one transaction on the case (state, review fields, timeline, the filing outbox item).
/// </summary>
internal sealed partial class CaseReview(CentralStore store, CentralOptions options, OutboxSignal signal, CentralMetrics metrics, TimeProvider time, ILogger<CaseReview> logger)
{
    public async Task<ReviewResult> ConfirmAsync(string caseId, string by, string? note, PlatformCategory? category, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var ms = UnixMs.From(now);
        var (before, applied) = await store.UpdateCaseAsync(caseId, row =>
        {
            if (!CaseStates.CanMove(row.State, CaseState.Detected)) return null;   // only a held or recorded case
            var what = category is null ? "" : $" as {category.Class}/{category.Subclass} ({category.Code})";
            return new CaseUpdate(CaseState.Detected, "review", $"confirmed by {by}{what}{(note is null ? "" : ": " + note)}")
            {
                Review = new CaseReviewRecord(ReviewOutcome.Confirmed, by, null, note, category),
                DeadlineAt = UnixMs.From(now + options.Supervision.DeadlineFor(row.Scenario)),
                Outbox = [new OutboxRow { CaseId = row.CaseId, Kind = OutboxKind.File, CreatedAt = ms, NextAttemptAt = ms }],
            };
        }, now, ct).ConfigureAwait(false);
        if (before is null) return ReviewResult.NotFound;
        if (applied is null) return ReviewResult.NotPending;
        metrics.Reviewed(ReviewOutcome.Confirmed, null);
        LogConfirmed(caseId, by);
        signal.Wake();
        return ReviewResult.Applied;
    }

    public async Task<ReviewResult> DismissAsync(string caseId, string by, string reason, string? note, CancellationToken ct)
    {
        if (!ReviewPolicies.DismissReasons.Contains(reason)) return ReviewResult.Invalid;
        var now = time.GetUtcNow();
        var (before, applied) = await store.UpdateCaseAsync(caseId, row =>
            !CaseStates.CanMove(row.State, CaseState.Dismissed) ? null   // only a held or recorded case
            : new CaseUpdate(CaseState.Dismissed, "review", $"dismissed by {by}: {reason}{(note is null ? "" : ". " + note)}")
            {
                Review = new CaseReviewRecord(ReviewOutcome.Dismissed, by, reason, note, null),
            }, now, ct).ConfigureAwait(false);
        if (before is null) return ReviewResult.NotFound;
        if (applied is null) return ReviewResult.NotPending;
        metrics.Reviewed(ReviewOutcome.Dismissed, reason);
        LogDismissed(caseId, by, reason);
        return ReviewResult.Applied;
    }

    /// <summary>Applies the timeout action to held cases whose review time ran out; returns how many changed.</summary>
    public async Task<int> ApplyTimeoutsAsync(CancellationToken ct)
    {
        var due = await store.ListReviewDueAsync(time.GetUtcNow(), 100, ct).ConfigureAwait(false);
        var n = 0;
        foreach (var c in due)
        {
            var note = $"not reviewed within {options.Review.Timeout.TotalMinutes:0.#} min";
            var result = options.Review.TimeoutAction == ReviewPolicies.Dismiss
                ? await DismissAsync(c.CaseId, "timeout", "other", note, ct).ConfigureAwait(false)
                : await ConfirmAsync(c.CaseId, "timeout", note, null, ct).ConfigureAwait(false);
            if (result == ReviewResult.Applied) n++;
        }
        return n;
    }

    [LoggerMessage(EventId = 520, Level = LogLevel.Information, Message = "Case {CaseId} confirmed by {By}: filing")]
    private partial void LogConfirmed(string caseId, string by);

    [LoggerMessage(EventId = 521, Level = LogLevel.Information, Message = "Case {CaseId} dismissed by {By}: {Reason}")]
    private partial void LogDismissed(string caseId, string by, string reason);
}

/// <summary>Outcome of a review action.</summary>
internal enum ReviewResult
{
    Applied,
    NotFound,

    /// <summary>The case is not awaiting review (already filed, dismissed, or reviewed by someone else).</summary>
    NotPending,

    /// <summary>Unknown dismissal reason.</summary>
    Invalid,
}

using EdgeAi.Central.Configuration;
using EdgeAi.Central.Storage;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Cases;

/// <summary>A new incident that needs its case: the incident's id, scenario and grid, and the event that opened it.</summary>
internal sealed record NewCase(string IncidentId, string Scenario, string? GridCode, EdgeEvent First);

/// <summary>
/// Opens the case of a new incident inside the incident batch's transaction: routed to a department by scenario and
/// grid, and by the review policy filed at once (with its deadline and a filing outbox item), held for an operator
/// (until the review timeout) or only recorded.
/// </summary>
internal sealed class CaseOpener(CentralOptions options)
{
    public async Task OpenAsync(IncidentBatch batch, NewCase incident, DateTimeOffset now)
    {
        var first = incident.First;
        var category = options.Platform.CategoryFor(incident.Scenario);
        var caseId = Guid.CreateVersion7(now).ToString();
        var ms = UnixMs.From(now);
        var grid = incident.GridCode is { } code ? options.Grids.Map.Get(code) : null;
        var policy = options.Review.PolicyFor(incident.Scenario, first.DeviceId, first.Camera.Id, incident.GridCode);
        var state = policy switch { ReviewPolicies.Hold => CaseState.Held, ReviewPolicies.Record => CaseState.Recorded, _ => CaseState.Detected };
        var department = options.Routing.DepartmentFor(incident.Scenario, grid);
        var where = grid is null ? "" : $" in grid {grid.Code}";
        await batch.InsertCaseAsync(
            new CaseRow
            {
                CaseId = caseId, IncidentId = incident.IncidentId, Scenario = incident.Scenario, State = state,
                Platform = options.Platform.Kind.ToText(), CategoryClass = category.Class, CategorySubclass = category.Subclass,
                CategoryCode = category.Code, CreatedAt = ms, UpdatedAt = ms,
                DeviceId = first.DeviceId, CameraId = first.Camera.Id, Model = $"{first.Model.Name} {first.Model.Version}", Rule = first.Rule.Name,
                ReviewPolicy = policy, ReviewDueAt = state == CaseState.Held ? UnixMs.From(now + options.Review.Timeout) : null,
                GridCode = grid?.Code, Department = department,
                DeadlineAt = state == CaseState.Detected ? UnixMs.From(now + options.Supervision.DeadlineFor(incident.Scenario)) : null,
            },
            $"incident opened by {first.DeviceId}/{first.Camera.Id}{where}; review policy {policy}; routed to {department}",
            state == CaseState.Detected ? new OutboxRow { CaseId = caseId, Kind = OutboxKind.File, CreatedAt = ms, NextAttemptAt = ms } : null).ConfigureAwait(false);
    }
}

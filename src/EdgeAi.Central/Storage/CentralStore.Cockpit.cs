using Dapper;

namespace EdgeAi.Central.Storage;

internal sealed partial class CentralStore
{
    /// <summary>What the cockpit filters by: scenario, grid code, case state, cases created since (ms); empty = any.</summary>
    internal sealed record CockpitFilter(string Scenario, string Grid, string State, long Since);

    private const string CaseFilter = "(@Scenario = '' OR c.scenario = @Scenario) AND (@Grid = '' OR c.grid_code = @Grid) AND (@State = '' OR c.state = @State) AND c.created_at >= @Since";

    /// <summary>The cockpit's figures in one read: counts for the indicators, per scenario and day, per grid, closure.</summary>
    public async Task<CockpitFigures> CockpitAsync(CockpitFilter f, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        var final = CaseStates.Final.ToTexts();
        var p = new DynamicParameters(f);
        p.Add("final", final);
        p.Add("closed", new[] { CaseState.Closed, CaseState.Verified }.ToTexts());
        var notFinal = $"NOT ({Dialect.InList("c.state", "final")})";
        var openIncidents = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM incidents i LEFT JOIN cases c ON c.incident_id = i.incident_id WHERE i.state = {IncidentState.Open.ToSql()} AND (c.case_id IS NULL OR {CaseFilter})", p, cancellationToken: ct)).ConfigureAwait(false);
        var overdue = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM cases c WHERE c.escalated_at IS NOT NULL AND {notFinal} AND {CaseFilter}", p, cancellationToken: ct)).ConfigureAwait(false);
        var reviewed = await c.QuerySingleAsync<(long Reviewed, long Dismissed)>(new CommandDefinition(
            $"SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.review_outcome = {ReviewOutcome.Dismissed.ToSql()} THEN 1 ELSE 0 END), 0) FROM cases c WHERE c.review_outcome IS NOT NULL AND {CaseFilter}", p, cancellationToken: ct)).ConfigureAwait(false);
        var closure = await c.QuerySingleAsync<(long Total, long Closed, double? MeanCloseMs)>(new CommandDefinition(
            $"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {Dialect.InList("c.state", "closed")} THEN 1 ELSE 0 END), 0), AVG(CAST(c.closed_at - c.created_at AS DOUBLE PRECISION)) FROM cases c WHERE c.scenario <> 'device_fault' AND {CaseFilter}",
            p, cancellationToken: ct)).ConfigureAwait(false);
        var perDay = (await c.QueryAsync<CockpitScenarioDay>(new CommandDefinition(
            $"SELECT c.scenario AS Scenario, c.created_at / 86400000 AS Day, COUNT(*) AS Count FROM cases c WHERE {CaseFilter} GROUP BY c.scenario, c.created_at / 86400000 ORDER BY 2, 1",
            p, cancellationToken: ct)).ConfigureAwait(false)).AsList();
        var perGrid = (await c.QueryAsync<CockpitGrid>(new CommandDefinition(
            $"""
            SELECT c.grid_code AS Grid, COUNT(*) AS Total,
                   COALESCE(SUM(CASE WHEN {notFinal} THEN 1 ELSE 0 END), 0) AS Open,
                   COALESCE(SUM(CASE WHEN {Dialect.InList("c.state", "closed")} THEN 1 ELSE 0 END), 0) AS Closed,
                   COALESCE(SUM(CASE WHEN c.escalated_at IS NOT NULL AND {notFinal} THEN 1 ELSE 0 END), 0) AS Overdue
            FROM cases c WHERE c.grid_code IS NOT NULL AND {CaseFilter} GROUP BY c.grid_code ORDER BY c.grid_code
            """, p, cancellationToken: ct)).ConfigureAwait(false)).AsList();
        return new CockpitFigures(openIncidents, overdue, reviewed.Reviewed, reviewed.Dismissed, closure.Total, closure.Closed, closure.MeanCloseMs, perDay, perGrid);
    }

    /// <summary>Incidents for the map, newest first, with their case's state and escalation (filtered as the figures).</summary>
    public async Task<List<CockpitIncident>> CockpitIncidentsAsync(CockpitFilter f, int limit, CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        var p = new DynamicParameters(f);
        p.Add("limit", limit);
        return (await c.QueryAsync<CockpitIncident>(new CommandDefinition(
            $"""
            SELECT i.incident_id, i.scenario, i.state, i.lat, i.lon, i.grid_code, i.last_seen, c.case_id, c.state AS case_state, c.escalated_at, c.department
            FROM incidents i JOIN cases c ON c.incident_id = i.incident_id
            WHERE {CaseFilter} ORDER BY i.last_seen DESC LIMIT @limit
            """, p, cancellationToken: ct)).ConfigureAwait(false)).AsList();
    }
}

internal sealed record CockpitFigures(long OpenIncidents, long OverdueCases, long Reviewed, long Dismissed, long Cases, long Closed, double? MeanCloseMs,
    List<CockpitScenarioDay> PerScenarioDay, List<CockpitGrid> PerGrid);

internal sealed class CockpitScenarioDay
{
    public string Scenario { get; set; } = "";
    public long Day { get; set; }
    public long Count { get; set; }
}

internal sealed class CockpitGrid
{
    public string Grid { get; set; } = "";
    public long Total { get; set; }
    public long Open { get; set; }
    public long Closed { get; set; }
    public long Overdue { get; set; }
}

internal sealed class CockpitIncident
{
    public string IncidentId { get; set; } = "";
    public string Scenario { get; set; } = "";
    public IncidentState State { get; set; }
    public string StateText { get => State.ToText(); set => State = StoredText<IncidentState>.Parse(value); }
    public double Lat { get; set; }
    public double Lon { get; set; }
    public string? GridCode { get; set; }
    public long LastSeen { get; set; }
    public string? CaseId { get; set; }
    public CaseState? CaseState { get; set; }
    public string? CaseStateText { get => CaseState?.ToText(); set => CaseState = value is null ? null : StoredText<CaseState>.Parse(value); }
    public long? EscalatedAt { get; set; }
    public string? Department { get; set; }
}

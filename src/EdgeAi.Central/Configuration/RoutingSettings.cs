namespace EdgeAi.Central.Configuration;

/// <summary>
/// Routing (key <c>routing</c>, 分拨): which department a case goes to by its scenario and grid. Rules are tried in
/// order; a rule's null field matches anything; the first match names the department, else <see cref="Fallback"/>.
/// </summary>
internal sealed record RoutingSettings
{
    public IReadOnlyList<RoutingRule> Rules { get; init; } = [];

    /// <summary>The department when no rule matches. Default "城市管理指挥中心" (the command centre sorts it by hand).</summary>
    public string Fallback { get; init; } = "城市管理指挥中心";

    /// <summary>Department for a case: the first rule matching the scenario and the grid (or its street / community).</summary>
    public string DepartmentFor(string scenario, Grids.Grid? grid)
    {
        foreach (var r in Rules)
        {
            if (r.Scenario is not null && r.Scenario != scenario) continue;
            if (r.Grid is not null && r.Grid != grid?.Code) continue;
            if (r.Street is not null && r.Street != grid?.Street) continue;
            if (r.Community is not null && r.Community != grid?.Community) continue;
            return r.Department;
        }
        return Fallback;
    }
}

/// <summary>One routing rule: scenario × grid (or street / community) → department.</summary>
internal sealed record RoutingRule(string? Scenario, string? Grid, string? Street, string? Community, string Department);

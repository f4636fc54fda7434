namespace EdgeAi.Central.Platforms;

/// <summary>What is sent to file a case. JSON (snake_case) body of the webhook.</summary>
internal sealed record CaseFiling
{
    public required string CaseRef { get; init; }

    /// <summary>Also the Idempotency-Key: one incident, one case.</summary>
    public required string IncidentId { get; init; }

    public required string Scenario { get; init; }

    public required CaseCategory Category { get; init; }

    public required string Title { get; init; }

    public required string Description { get; init; }

    public required double Lat { get; init; }

    public required double Lon { get; init; }

    public required IReadOnlyList<CaseCamera> Cameras { get; init; }

    public required DateTimeOffset FirstSeen { get; init; }

    public required DateTimeOffset LastSeen { get; init; }

    public required long EventCount { get; init; }

    public required IReadOnlyList<CaseMedia> Evidence { get; init; }

    /// <summary>The grid (网格) the incident lies in, with its street and community codes; null outside every grid.</summary>
    public CaseGrid? Grid { get; init; }

    /// <summary>The department the routing rules chose (分拨).</summary>
    public string? Department { get; init; }

    /// <summary>When the case is due to be closed (办结时限).</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The operator's note from review, when the case was held.</summary>
    public string? ReviewNote { get; init; }

    /// <summary>Where the platform posts status changes (signed with the callback secret); null when not reachable.</summary>
    public string? CallbackUrl { get; init; }
}

/// <summary>A grid as sent with a filing.</summary>
internal sealed record CaseGrid(string Code, string Name, string? Street, string? Community);

namespace EdgeAi.Central.TestPlatform;

/// <summary>A case held by the test platform. Mutated under the platform's lock.</summary>
internal sealed class PlatformCase
{
    public required string Id { get; init; }

    public required string IdempotencyKey { get; init; }

    /// <summary>Central's case id (case_ref), used in callbacks.</summary>
    public required string CaseRef { get; init; }

    public required string Api { get; init; }

    public required string Body { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public string Status { get; set; } = "filed";

    public DateTimeOffset StatusAt { get; set; }

    /// <summary>Notifications from Central (status, note, the whole JSON body), in arrival order.</summary>
    public List<(string Status, string? Note, string Body)> Notifications { get; } = [];
}

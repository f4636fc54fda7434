namespace EdgeAi.Central.Platforms;

/// <summary>Outcome of a platform call: done (with the platform's case id when filing), or failed, retryable or not.</summary>
internal sealed record PlatformResult(bool Ok, string? PlatformCaseId, bool Retryable, string? Error)
{
    public static PlatformResult Success(string? platformCaseId = null) => new(true, platformCaseId, false, null);

    public static PlatformResult Transient(string error) => new(false, null, true, error);

    public static PlatformResult Permanent(string error) => new(false, null, false, error);
}

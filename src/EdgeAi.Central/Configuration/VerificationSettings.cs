namespace EdgeAi.Central.Configuration;

/// <summary>AI verification of resolved cases (key <c>verification</c>).</summary>
internal sealed record VerificationSettings
{
    /// <summary>Ask the camera's worker to re-check when a case becomes resolved. Default true.</summary>
    public bool Enabled { get; init; } = true;
}

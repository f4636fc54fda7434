namespace EdgeAi.Central.Configuration;

/// <summary>AI verification of resolved cases (key <c>verification</c>).</summary>
internal sealed record VerificationSettings
{
    /// <summary>Ask the camera's worker to re-check when a case becomes resolved. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>A command sent this long ago without a reply is sent again (the device may have been offline). Default 300 s.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Sends per command; after the last one times out the command is marked <c>timeout</c> and the case stays resolved for a person to check. Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;
}

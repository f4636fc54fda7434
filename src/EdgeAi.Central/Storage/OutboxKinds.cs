namespace EdgeAi.Central.Storage;

/// <summary>What an outbox item asks for.</summary>
internal static class OutboxKinds
{
    /// <summary>File the case on the platform (payload: none; built from the incident when sent).</summary>
    public const string File = "file";

    /// <summary>Tell the platform about a state change (payload: <c>CaseNotification</c> JSON).</summary>
    public const string Notify = "notify";

    /// <summary>Ask the camera's worker to re-check (payload: the <c>DeviceCommand</c> JSON).</summary>
    public const string Verify = "verify";
}

using System.Text.Json.Serialization;

namespace EdgeAi.Central.Storage;

/// <summary>How a verification command ended (the commands table's result); stored as its text (<see cref="StoredText{TEnum}"/>).</summary>
[JsonConverter(typeof(StoredTextJsonConverter<VerificationResult>))]
internal enum VerificationResult
{
    /// <summary>The camera no longer sees the problem.</summary>
    Cleared,

    StillPresent,

    /// <summary>The camera cannot tell (frozen, black, occluded, moved).</summary>
    Unverifiable,

    /// <summary>The worker failed to check (or replied with anything else).</summary>
    Error,

    /// <summary>No reply within the resends (<c>VerificationWatchdog</c>).</summary>
    Timeout,
}

using System.Text.Json.Serialization;

namespace EdgeAi.Central.Storage;

/// <summary>What an audited access to unblurred evidence was (evidence_access.action); stored as its text (<see cref="StoredText{TEnum}"/>).</summary>
[JsonConverter(typeof(StoredTextJsonConverter<EvidenceAccess>))]
internal enum EvidenceAccess
{
    /// <summary>Viewing a blob stored at Central.</summary>
    View,

    /// <summary>Fetching a blob kept on the gateway.</summary>
    Fetch,
}

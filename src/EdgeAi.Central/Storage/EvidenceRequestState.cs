using System.Text.Json.Serialization;

namespace EdgeAi.Central.Storage;

/// <summary>Where a fetch_evidence request stands (evidence_requests.state); stored as its text (<see cref="StoredText{TEnum}"/>).</summary>
[JsonConverter(typeof(StoredTextJsonConverter<EvidenceRequestState>))]
internal enum EvidenceRequestState
{
    /// <summary>Sent; waiting for the blob.</summary>
    Pending,

    Delivered,

    /// <summary>Not sent (Central not connected, the broker refused) or the gateway could not send it.</summary>
    Error,

    Timeout,

    /// <summary>Not sent: the gateway is offline.</summary>
    Offline,
}

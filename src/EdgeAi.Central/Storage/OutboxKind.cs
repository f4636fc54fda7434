using System.Text.Json.Serialization;

namespace EdgeAi.Central.Storage;

/// <summary>What an outbox item asks for; stored as its text (<see cref="StoredText{TEnum}"/>).</summary>
[JsonConverter(typeof(StoredTextJsonConverter<OutboxKind>))]
internal enum OutboxKind
{
    /// <summary>File the case on the platform (payload: none; built from the incident when sent).</summary>
    File,

    /// <summary>Tell the platform about a state change (payload: <c>CaseNotification</c> JSON).</summary>
    Notify,

    /// <summary>Ask the camera's worker to re-check (payload: the <c>DeviceCommand</c> JSON).</summary>
    Verify,
}

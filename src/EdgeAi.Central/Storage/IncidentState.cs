using System.Text.Json.Serialization;

namespace EdgeAi.Central.Storage;

/// <summary>An incident's state, stored as its text (<see cref="StoredText{TEnum}"/>).</summary>
[JsonConverter(typeof(StoredTextJsonConverter<IncidentState>))]
internal enum IncidentState
{
    Open,
    Closed,
}

using System.Text.Json.Serialization;

namespace EdgeAi.Central.Storage;

/// <summary>An operator's (or the review timeout's) decision on a case held for review; stored as its text (<see cref="StoredText{TEnum}"/>).</summary>
[JsonConverter(typeof(StoredTextJsonConverter<ReviewOutcome>))]
internal enum ReviewOutcome
{
    /// <summary>Filed on the platform.</summary>
    Confirmed,

    /// <summary>Never filed.</summary>
    Dismissed,
}

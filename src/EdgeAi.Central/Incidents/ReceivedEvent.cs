using EdgeAi.Models.Events;

namespace EdgeAi.Central.Incidents;

/// <summary>A validated event with its original JSON (stored as received), when Central got it and the delivery's key.</summary>
internal sealed record ReceivedEvent(EdgeEvent Event, string Json, DateTimeOffset ReceivedAt, Guid Key = default);

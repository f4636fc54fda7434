using EdgeAi.Models.Events;

namespace EdgeAi.Central.Consuming;

/// <summary>A validated event with its original JSON (stored as received) and when Central got it.</summary>
internal sealed record ReceivedEvent(EdgeEvent Event, string Json, DateTimeOffset ReceivedAt);

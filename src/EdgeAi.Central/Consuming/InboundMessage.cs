using EdgeAi.Messaging;

namespace EdgeAi.Central.Consuming;

/// <summary>
/// A message as taken from the broker, with Central's receive time, its sequence number in the
/// <see cref="InboundSpool"/> and a key unique to this delivery (de-duplicates dead letters when the spool is replayed).
/// </summary>
internal sealed record InboundMessage(MqttMessage Message, DateTimeOffset ReceivedAt, long Sequence, Guid Key);

using EdgeAi.Messaging;

namespace EdgeAi.Central.Consuming;

/// <summary>
/// A message as taken from the broker, with Central's receive time and a key unique to this delivery (the dead-letter
/// row's key). Its <see cref="MqttMessage.Acknowledgement"/> is sent only once the message is stored.
/// </summary>
internal sealed record InboundMessage(MqttMessage Message, DateTimeOffset ReceivedAt, Guid Key);

using EdgeAi.Interop.Mqtt;

namespace EdgeAi.Central.Consuming;

/// <summary>A message as taken from the broker, with Central's receive time.</summary>
internal sealed record InboundMessage(MqttMessage Message, DateTimeOffset ReceivedAt);

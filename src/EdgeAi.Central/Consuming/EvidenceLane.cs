using EdgeAi.Central.Broker;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Diagnostics;

namespace EdgeAi.Central.Consuming;

/// <summary>
/// The evidence topics' own path: <see cref="CentralMqtt.Evidence"/> → this queue → a second <see cref="MessageProcessor"/>.
/// A 16 MiB clip being hashed and written waits here, not in front of the events; its byte budget makes only the evidence
/// connection wait. Measured (EvidenceEndToEndTests.ClipTraffic_DoesNotDelayEventIngestion): see the commit that added it.
/// </summary>
internal sealed class EvidenceLane(CentralOptions options, CentralMetrics metrics, TimeProvider time)
{
    public InboundQueue Queue { get; } = new(options, metrics, time, reportDepth: false);
}

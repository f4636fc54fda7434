using EdgeAi.Models.Events;
using EdgeAi.Worker.Outbox;

namespace EdgeAi.Worker.Pipeline;

/// <summary>Where finished events go: the durable outbox in the service, a recorder in eval and tests.</summary>
internal interface IEventSink
{
    /// <summary>Completes only when the event is durable (or recorded); events are never dropped here.</summary>
    ValueTask EmitAsync(EdgeEvent evt, IReadOnlyList<EvidenceBlob> evidence, CancellationToken ct);
}

/// <summary>The service's sink: the SQLite outbox (the event counts as emitted once it is in the outbox).</summary>
internal sealed class OutboxSink(EventOutbox outbox) : IEventSink
{
    public async ValueTask EmitAsync(EdgeEvent evt, IReadOnlyList<EvidenceBlob> evidence, CancellationToken ct) =>
        await outbox.EnqueueAsync(evt, evidence, ct).ConfigureAwait(false);
}

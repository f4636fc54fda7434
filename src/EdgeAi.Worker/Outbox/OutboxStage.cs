using EdgeAi.Models.Events;
using EdgeAi.Worker.Configuration;
using EdgeAi.Worker.Hosting;
using EdgeAi.Worker.Pipeline;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Outbox;

/// <summary>
/// Opens the durable outbox at start (after the models) and closes it last, once the pipeline has drained into it and
/// delivery has stopped reading it.
/// </summary>
internal sealed class OutboxStage(WorkerConfig config, WorkerState state, ILoggerFactory loggers, TimeProvider time) : WorkerStage
{
    private readonly ILogger _log = loggers.CreateLogger("EdgeAi.Worker");
    private EventOutbox? _outbox;

    /// <summary>The open outbox; only once this stage started.</summary>
    public EventOutbox Outbox => _outbox ?? throw new InvalidOperationException("the outbox is not open yet");

    protected override Task StartStageAsync(CancellationToken ct)
    {
        _outbox = EventOutbox.Open(new OutboxOptions { Path = config.Outbox.Path, MaxBytes = config.Outbox.MaxBytes, MaxAge = config.Outbox.MaxAge },
            loggers.CreateLogger<EventOutbox>(), time);
        state.OutboxOpened(_outbox);
        return Task.CompletedTask;
    }

    protected override async Task StopStageAsync()
    {
        if (Interlocked.Exchange(ref _outbox, null) is not { } outbox) return;
        if (state.Pipeline is not null) _log.LogInformation("EdgeAi worker stopped; outbox depth {Depth}", outbox.Depth);
        await outbox.DisposeAsync().ConfigureAwait(false);
        state.Stopped();   // the last stage to stop: the worker no longer runs
    }
}

/// <summary>The service's event sink: the outbox this stage opened (resolved per event, so it can be built before the outbox opens).</summary>
internal sealed class OutboxStageSink(OutboxStage stage) : IEventSink
{
    public ValueTask EmitAsync(EdgeEvent evt, IReadOnlyList<EvidenceBlob> evidence, CancellationToken ct) =>
        new OutboxSink(stage.Outbox).EmitAsync(evt, evidence, ct);
}

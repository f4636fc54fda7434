using Microsoft.Extensions.Hosting;

namespace EdgeAi.Worker.Hosting;

/// <summary>
/// One stage of the running worker (models, outbox, delivery, pipeline) as a hosted service. A stage starts in the
/// host's <em>started</em> phase, after every plain hosted service (the HTTP server listens, so /healthz answers and
/// /readyz says what is still missing while the models load), one stage after another in registration order; the
/// host's ApplicationStarted, and with it systemd's READY=1, comes after the last one. Stages stop in the host's
/// <em>stopping</em> phase in reverse order (pipeline drained, then delivery, then the outbox), before the HTTP server
/// and the watchdog stop. A stage whose start failed or never ran is stopped all the same and must allow it.
/// </summary>
internal abstract class WorkerStage : IHostedLifecycleService
{
    /// <summary>Starts the stage; runs after the previous stage started.</summary>
    protected abstract Task StartStageAsync(CancellationToken ct);

    /// <summary>Stops the stage; not bounded by the host's shutdown timeout (a drain must not lose events).</summary>
    protected abstract Task StopStageAsync();

    public Task StartedAsync(CancellationToken cancellationToken) => StartStageAsync(cancellationToken);

    public Task StoppingAsync(CancellationToken cancellationToken) => StopStageAsync();

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using EdgeAi.Observability.Systemd;

namespace EdgeAi.Worker.Hosting;

/// <summary>
/// Whether the worker is making progress, for the systemd watchdog (<see cref="SystemdWatchdog"/>): it is hung when
/// frames keep arriving but none has been analysed for <see cref="Configuration.WatchdogConfig.PipelineStall"/> (a
/// wedged inference stage), or when it is connected to the broker with events in the outbox but the oldest has not
/// been acknowledged for <see cref="Configuration.WatchdogConfig.DeliveryStall"/> (wedged delivery). Cameras that are
/// all offline, no camera configured, or a broker that is down are not hangs: a restart would not help there. A pipeline
/// hang lasts until a frame is analysed again, even if the cameras stop sending meanwhile.
/// Called from one thread at a time (the watchdog loop).
/// </summary>
internal sealed class WorkerProgress(WorkerState state, TimeProvider time) : IServiceProgress
{
    private long _analysed = -1, _arrived = -1;
    private DateTimeOffset _analysedAt, _arrivedAt;
    private DateTimeOffset? _oldest, _oldestSince;
    private bool _pipelineHung;

    public ServiceProgress Check()
    {
        var now = time.GetUtcNow();
        var limits = state.Config.Watchdog;
        string? stalled = null;

        if (state.Pipeline is not null)
        {
            long analysed = 0, arrived = 0;
            foreach (var c in state.Cameras)
            {
                analysed += c.FramesAnalysed;
                arrived += c.FramesIn;
            }
            // Only more frames analysed is progress; fewer (a camera removed by a reload takes its count along) just rebases.
            if (analysed > _analysed) (_analysed, _analysedAt, _pipelineHung) = (analysed, now, false);
            else if (analysed < _analysed) _analysed = analysed;
            if (arrived != _arrived) (_arrived, _arrivedAt) = (arrived, now);
            var stall = limits.PipelineStall;
            // Once hung, it stays hung until a frame is analysed again: a camera that then also pauses (a stream
            // hiccup, the RTSP server looping its clip) does not make a wedged inference stage look healthy.
            if (now - _analysedAt >= stall && (_pipelineHung || now - _arrivedAt < stall))
            {
                _pipelineHung = true;
                stalled = $"frames arriving but none analysed for {(now - _analysedAt).TotalSeconds:F0} s";
            }
        }

        if (state.Outbox?.Depth is { Events: > 0 } depth && state.MqttConnected)
        {
            if (_oldestSince is null || depth.OldestEnqueuedAt != _oldest) (_oldest, _oldestSince) = (depth.OldestEnqueuedAt, now);
            else if (now - _oldestSince.Value >= limits.DeliveryStall)
                stalled ??= $"connected with {depth.Events} events in the outbox but none acknowledged for {(now - _oldestSince.Value).TotalSeconds:F0} s";
        }
        else _oldestSince = null;

        return new ServiceProgress(state.StatusLine(), stalled);
    }
}

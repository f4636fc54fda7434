using EdgeAi.Central.Broker;
using EdgeAi.Central.Consuming;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Storage;
using EdgeAi.Observability.Systemd;
using Microsoft.Extensions.Hosting;

namespace EdgeAi.Central.Hosting;

/// <summary>
/// Central's status line and progress for systemd (Type=notify; READY=1 and STOPPING=1 come from the host's systemd
/// lifetime, the pings from <see cref="SystemdWatchdog"/>). Every <see cref="RefreshPeriod"/> it counts cases in the
/// store, off the watchdog path: a slow database delays the status line, never the ping. Central counts as hung, and
/// the pings stop, when a store count has not returned for <see cref="StallAfter"/>, or when messages wait in the
/// inbound queue and none has been taken for that long (a wedged consumer or store). A database that answers with an
/// error, or a broker that is down, is not a hang: a restart would not help.
/// </summary>
internal sealed class CentralProgress(CentralStore store, CentralMqtt mqtt, CentralMetrics metrics, InboundQueue queue, TimeProvider time)
    : BackgroundService, IServiceProgress
{
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(5);

    /// <summary>How long the store or the consumer may go without progress before systemd's watchdog is left to fire.</summary>
    public static readonly TimeSpan StallAfter = TimeSpan.FromMinutes(2);

    private volatile string _status = "central: starting";
    private long _countingSince;   // UTC ticks when the store count in flight began; 0 when none is
    private long _taken = -1;
    private DateTimeOffset _takenAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshPeriod, time);
        try
        {
            do await RefreshAsync(stoppingToken).ConfigureAwait(false);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync(CancellationToken ct)
    {
        Interlocked.Exchange(ref _countingSince, time.GetUtcNow().UtcTicks);
        try
        {
            var counts = await store.CountAsync(ct).ConfigureAwait(false);
            metrics.SetCounts(counts);
            var open = counts.CasesByState.Where(kv => CaseStates.Active.Contains(kv.Key) || kv.Key == CaseState.Detected).Sum(kv => kv.Value);
            _status = $"central: {(mqtt.IsConnected ? "consuming" : "broker disconnected")}, {open} cases open";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _status = $"central: database unavailable ({ex.GetType().Name})";
        }
        finally
        {
            Interlocked.Exchange(ref _countingSince, 0);
        }
    }

    public ServiceProgress Check()
    {
        var now = time.GetUtcNow();
        string? stalled = null;
        var since = Interlocked.Read(ref _countingSince);
        if (since != 0 && now - new DateTimeOffset(since, TimeSpan.Zero) >= StallAfter)
            stalled = $"the database has not answered a count for {(now - new DateTimeOffset(since, TimeSpan.Zero)).TotalSeconds:F0} s";

        var waiting = queue.Count;
        var taken = metrics.Received - waiting;
        if (waiting == 0 || taken != _taken) (_taken, _takenAt) = (taken, now);
        else if (now - _takenAt >= StallAfter)
            stalled ??= $"{waiting} messages waiting in the inbound queue, none taken for {(now - _takenAt).TotalSeconds:F0} s";
        return new ServiceProgress(_status, stalled);
    }
}

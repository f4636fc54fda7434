using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Api;

/// <summary>
/// Pushes dashboard views to every open <c>/api/v1/stream</c> connection when they change. While anyone listens it
/// reads the store's high-water marks every <see cref="PollInterval"/> (one cheap query) and rebuilds only the views
/// whose marks moved, plus the camera tiles every <see cref="CamerasRefresh"/> because their verdicts also change with
/// time alone (a silent gateway). A view is sent only when its JSON differs from the last one sent. Watching the
/// shared database, not this process's writes, also shows what other Central instances stored.
/// Each connection has a small bounded queue; a client that falls that far behind is disconnected and its browser
/// reconnects to a fresh snapshot, so one slow client never holds memory or delays the others.
/// </summary>
internal sealed partial class SseDashboardFeed(CentralStore store, DashboardViews views, TimeProvider time, ILogger<SseDashboardFeed> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan CamerasRefresh = TimeSpan.FromSeconds(5);
    private const int QueueLength = 32;

    public const string Cameras = "cameras", Incidents = "incidents", Cases = "cases";

    private readonly ConcurrentDictionary<Channel<SseItem<string>>, byte> _subscribers = new();
    private DashboardMarks? _marks;
    private DateTimeOffset _camerasAt;
    private readonly Dictionary<string, string> _sent = [];
    private bool _failing;

    public int Subscribers => _subscribers.Count;

    /// <summary>A new listener's queue; dispose the subscription when the connection ends.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<SseItem<string>>(new BoundedChannelOptions(QueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _subscribers[channel] = 0;
        return new Subscription(channel.Reader, () => _subscribers.TryRemove(channel, out _));
    }

    /// <summary>The view as one SSE item: event type = view name, data = JSON (snake_case, as the REST API).</summary>
    public static SseItem<string> Item(string view, object value) =>
        new(JsonSerializer.Serialize(value, PlatformJson.Options), view);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (_subscribers.IsEmpty)
                {
                    _marks = null;   // nobody listens: stop polling, and start from scratch with the next listener
                    _sent.Clear();
                    continue;
                }
                try
                {
                    await PollAsync(stoppingToken).ConfigureAwait(false);
                    if (_failing) LogRecovered();
                    _failing = false;
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException or IOException)
                {
                    if (!_failing) LogPollFailed(ex);   // once per failure streak; the next tick retries
                    _failing = true;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var channel in _subscribers.Keys) channel.Writer.TryComplete();
        }
    }

    private async Task PollAsync(CancellationToken ct)
    {
        var marks = await store.GetDashboardMarksAsync(ct).ConfigureAwait(false);
        var previous = _marks;
        _marks = marks;
        var now = time.GetUtcNow();
        var fresh = previous is null;
        var evidenceMoved = fresh || marks.Evidence != previous!.Evidence;
        var casesMoved = fresh || marks.Cases != previous!.Cases || marks.CasesAt != previous.CasesAt || marks.TimelineId != previous.TimelineId;

        if (fresh || evidenceMoved || marks.Devices != previous!.Devices || marks.HealthAt != previous.HealthAt || marks.StatusAt != previous.StatusAt
            || now - _camerasAt >= CamerasRefresh)
        {
            _camerasAt = now;
            Publish(Cameras, await views.CamerasAsync(ct).ConfigureAwait(false));
        }
        if (fresh || evidenceMoved || casesMoved || marks.Incidents != previous!.Incidents || marks.IncidentsAt != previous.IncidentsAt)
            Publish(Incidents, await views.IncidentsAsync(ct).ConfigureAwait(false));
        if (casesMoved) Publish(Cases, await views.CasesAsync(ct).ConfigureAwait(false));
    }

    private void Publish(string view, object value)
    {
        var item = Item(view, value);
        if (_sent.TryGetValue(view, out var last) && last == item.Data) return;
        _sent[view] = item.Data;
        foreach (var channel in _subscribers.Keys)
        {
            if (channel.Writer.TryWrite(item)) continue;
            channel.Writer.TryComplete();   // too slow: drop the connection; the browser reconnects to a fresh snapshot
            _subscribers.TryRemove(channel, out _);
            LogSlowClient(QueueLength, view);
        }
    }

    /// <summary>A listener's queue of items; disposing it stops delivery.</summary>
    public sealed class Subscription(ChannelReader<SseItem<string>> reader, Action unsubscribe) : IDisposable
    {
        public ChannelReader<SseItem<string>> Reader { get; } = reader;

        public void Dispose() => unsubscribe();
    }

    [LoggerMessage(EventId = 760, Level = LogLevel.Warning, Message = "Dashboard stream: reading the store failed; retrying every second")]
    private partial void LogPollFailed(Exception ex);

    [LoggerMessage(EventId = 761, Level = LogLevel.Information, Message = "Dashboard stream: store readable again")]
    private partial void LogRecovered();

    [LoggerMessage(EventId = 762, Level = LogLevel.Warning, Message = "Dashboard stream: a client fell {Queue} updates behind on {View}; disconnected it (it reconnects to a fresh snapshot)")]
    private partial void LogSlowClient(int queue, string view);
}

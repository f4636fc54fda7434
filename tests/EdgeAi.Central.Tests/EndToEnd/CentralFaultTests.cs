using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Storage;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Central.TestPlatform;
using EdgeAi.Models;
using EdgeAi.Models.Events;
using EdgeAi.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>
/// Central's own faults with a real broker, Central as a child process, SQLite and the test platform: killed with
/// messages taken from the broker but not yet stored, and down for a while as events keep arriving. Each run checks by event id
/// and incident that nothing was lost or stored twice, and that every incident was filed exactly once.
/// </summary>
[Collection(CentralProcessCollection.Name)]
public sealed class CentralFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>How long Central stays down while events arrive: $EDGEAI_FAULT_OUTAGE_S (the figure is 60; CI default 15).</summary>
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(double.Parse(Environment.GetEnvironmentVariable("EDGEAI_FAULT_OUTAGE_S") ?? "15", CultureInfo.InvariantCulture));

    private CentralRig _rig = null!;
    private MosquittoBroker _broker = null!;
    private TestPlatformServer _platform = null!;
    private string _db = "";

    public async Task InitializeAsync()
    {
        _rig = await CentralRig.StartAsync("centralf");
        (_broker, _platform, _db) = (_rig.Broker, _rig.Platform, _rig.Database);
    }

    public async Task DisposeAsync()
    {
        await _rig.DisposeAsync();
        Assert.DoesNotContain(ServerProcess.Running, p => p.Name.StartsWith("edgeai-central", StringComparison.Ordinal));
    }

    private T Track<T>(T d) where T : IAsyncDisposable => _rig.Track(d);

    private Task<CentralProcess> CentralAsync(string name) => _rig.CentralAsync(name);

    /// <summary>Episode <paramref name="place"/>'s events: a litter episode at its own place (1 km from the others), so one incident each.</summary>
    private static List<EdgeEvent> Episode(string device, int place, int events, DateTimeOffset t0)
    {
        var episode = UuidV7.New();
        var at = TestEvents.Offset((place / 20) * 1000, (place % 20) * 1000);
        return Enumerable.Range(0, events).Select(i => TestEvents.Make(device, "cam-" + place, at, Scenarios.Litter, episode,
            i == 0 ? EventType.Started : EventType.Updated, 0, t0.AddSeconds(i * 5))).ToList();
    }

    private static async Task PublishAsync(TestDevice device, IEnumerable<EdgeEvent> events)
    {
        foreach (var chunk in events.Chunk(50))
            await Task.WhenAll(chunk.Select(e => device.PublishAsync(e with { Sequence = device.NextSequence() })));
    }

    private static async Task<JsonElement> StatsAsync(CentralProcess c) => await c.Api.GetFromJsonAsync<JsonElement>("/api/v1/stats");

    /// <summary>Every published event stored once, one incident per episode, one case per incident filed once on the platform.</summary>
    private async Task AssertNothingLostOrDuplicatedAsync(CentralProcess central, IReadOnlyCollection<EdgeEvent> published, int episodes)
    {
        await Wait.UntilAsync(async () => (await StatsAsync(central)).GetProperty("events").GetInt64() >= published.Count,
            $"{published.Count} events stored", TimeSpan.FromSeconds(120), async () => (await StatsAsync(central)).ToString() + "\n" + central.Output[^Math.Min(3000, central.Output.Length)..]);
        await Wait.UntilAsync(() => _platform.Cases.Count >= episodes, $"{episodes} cases on the platform", TimeSpan.FromSeconds(120),
            async () => (await StatsAsync(central)).ToString());
        await Wait.UntilAsync(async () => (await StatsAsync(central)).GetProperty("outbox_pending").GetInt64() == 0, "outbox empty", TimeSpan.FromSeconds(120));

        await using var store = new CentralStore(CentralStore.CreateDialect(new DatabaseSettings { ConnectionString = _db }), NullLogger<CentralStore>.Instance, TimeProvider.System);
        await using var c = await store.Dialect.OpenAsync(default);
        var ids = (await c.QueryAsync<string>("SELECT event_id FROM events")).ToList();
        Assert.Equal(published.Count, ids.Count);                                                     // nothing stored twice
        Assert.Equal(published.Select(e => e.EventId.ToString()).Order(), ids.Order());               // nothing lost
        Assert.Equal(episodes, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM incidents"));
        Assert.Equal(episodes, await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT incident_id) FROM events"));
        Assert.Equal(episodes, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cases"));
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dead_letters"));
        Assert.Equal(episodes, _platform.Cases.Count);
        Assert.Equal(episodes, _platform.Cases.Select(x => x.IdempotencyKey).Distinct().Count());
    }

    [Fact]
    public async Task Consume_CentralKilledWithMessagesTakenButNotYetStored_NothingLostAfterRestart()
    {
        var first = await CentralAsync("first");
        var device = Track(await TestDevice.ConnectAsync(_broker, "edge-01"));
        var t0 = DateTimeOffset.UtcNow;
        var published = new List<EdgeEvent>();
        var warmup = Episode("edge-01", 0, 5, t0);
        await PublishAsync(device, warmup);
        published.AddRange(warmup);
        await Wait.UntilAsync(async () => (await StatsAsync(first)).GetProperty("events").GetInt64() == 5, "warm-up events stored");

        // Hold SQLite's write lock from outside, as a stalled disk or a long checkpoint would: Central keeps taking
        // messages from the broker but cannot store them, so it must not acknowledge them. Then SIGKILL it.
        var stalled = Enumerable.Range(1, 30).SelectMany(p => Episode("edge-01", p, 10, t0)).ToList();
        await using (var blocker = new SqliteConnection(_db + ";Pooling=False"))
        {
            await blocker.OpenAsync();
            await using var writeLock = blocker.BeginTransaction(deferred: false);   // BEGIN IMMEDIATE
            await PublishAsync(device, stalled);
            published.AddRange(stalled);
            await Wait.UntilAsync(async () => (await StatsAsync(first)).GetProperty("process").GetProperty("messages_received").GetInt64() == published.Count,
                "every event taken by Central", diagnostics: async () => (await StatsAsync(first)).ToString());
            var stats = await StatsAsync(first);
            Assert.Equal(5, stats.GetProperty("events").GetInt64());                       // none of them stored yet
            Assert.Equal(stalled.Count, stats.GetProperty("unacknowledged").GetInt64());   // none of them acknowledged
            first.Kill();
        }

        var second = await CentralAsync("second");
        await AssertNothingLostOrDuplicatedAsync(second, published, 31);
        Assert.Equal(0, (await StatsAsync(second)).GetProperty("unacknowledged").GetInt64());
    }

    [Fact]
    public async Task Consume_CentralDownWhileEventsKeepArriving_AllStoredOnceAfterRestart()
    {
        var first = await CentralAsync("first");
        var device = Track(await TestDevice.ConnectAsync(_broker, "edge-01"));
        var t0 = DateTimeOffset.UtcNow;
        var published = new List<EdgeEvent>();
        var before = Enumerable.Range(0, 5).SelectMany(p => Episode("edge-01", p, 4, t0)).ToList();
        await PublishAsync(device, before);
        published.AddRange(before);

        // SIGKILL in the middle of the stream, then keep publishing for the whole outage, about two events a second.
        first.Kill();
        var down = DateTime.UtcNow;
        var place = 5;
        while (DateTime.UtcNow - down < Outage)
        {
            var episode = Episode("edge-01", place++, 3, t0);
            await PublishAsync(device, episode);
            published.AddRange(episode);
            await Task.Delay(1500);
        }
        output.WriteLine($"Central down {(DateTime.UtcNow - down).TotalSeconds:0} s; {published.Count - before.Count} events published meanwhile");

        var second = await CentralAsync("second");
        await AssertNothingLostOrDuplicatedAsync(second, published, place);
    }
}

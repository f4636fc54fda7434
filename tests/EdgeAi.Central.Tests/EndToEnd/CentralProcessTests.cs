using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using EdgeAi.Central.Cases;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Incidents;
using EdgeAi.Central.Storage;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Central.TestPlatform;
using EdgeAi.Models;
using EdgeAi.Models.Events;
using EdgeAi.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>Central as real child processes: killed mid-filing, and two instances sharing the subscription and PostgreSQL.</summary>
[Collection(CentralProcessCollection.Name)]   // its DisposeAsync asserts no edgeai-central process is left, so no other class may run one meanwhile
public sealed class CentralProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _dir = TestPaths.NewTempDir("centralp");
    private readonly List<IAsyncDisposable> _cleanup = [];
    private MosquittoBroker _broker = null!;
    private readonly string _token = "tok-" + CentralHarness.Secret();
    private readonly string _platformSecret = CentralHarness.Secret();
    private readonly string _callbackSecret = CentralHarness.Secret();

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartNewAsync("edge-01", "edge-02", "edge-03");
        Directory.CreateDirectory(_dir);
    }

    public async Task DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--) await _cleanup[i].DisposeAsync();
        await _broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        // edgeai-central only: the classes that start it share one collection, so none runs meanwhile. A postgres may
        // legitimately belong to another class running in parallel; build/check-leftovers.sh catches a leaked one after the run.
        Assert.DoesNotContain(ServerProcess.Running, p => p.Name.StartsWith("edgeai-central", StringComparison.Ordinal));
    }

    private T Track<T>(T d) where T : IAsyncDisposable
    {
        _cleanup.Add(d);
        return d;
    }

    private async Task<TestPlatformServer> PlatformAsync(int port, int centralPort) => Track(await TestPlatformServer.StartNewAsync(new TestPlatformOptions
    {
        Listen = $"http://127.0.0.1:{port}",
        Secret = _platformSecret,
        CallbackSecret = _callbackSecret,
        CallbackUrl = new Uri($"http://127.0.0.1:{centralPort}/api/v1/platform/callback"),
    }));

    private async Task<CentralProcess> CentralAsync(string name, string instance, int port, int platformPort, string connectionString) =>
        Track(await CentralProcess.StartAsync(_dir, name, new
        {
            instance_id = instance,
            mqtt = new { host = _broker.Host, port = _broker.Port, username = "central" },
            database = new { connection_string = connectionString },
            api = new { listen = $"http://127.0.0.1:{port}" },
            platform = new
            {
                url = $"http://127.0.0.1:{platformPort}/",
                request_timeout_s = 2,
                outbox_poll_interval_s = 0.2,
                retry = new { initial_delay_s = 0.1, max_delay_s = 1 },
            },
        }, $"http://127.0.0.1:{port}", new Dictionary<string, string>
        {
            [SecretNames.ApiToken] = _token,
            [SecretNames.MqttPassword] = _broker.Passwords["central"],
            [SecretNames.PlatformSecret] = _platformSecret,
            [SecretNames.CallbackSecret] = _callbackSecret,
        }));

    [Fact]
    public async Task File_CentralKilledBetweenSendAndAcknowledgement_StillOneCaseAfterRestart()
    {
        var (centralPort, platformPort) = (FreePort.Get(), FreePort.Get());
        var db = $"Data Source={Path.Combine(_dir, "central.db")}";
        var platform = await PlatformAsync(platformPort, centralPort);
        platform.Faults.HangNextAfterCommit = 1;
        platform.Faults.HangFor = TimeSpan.FromSeconds(120);
        var first = await CentralAsync("first", "central-a", centralPort, platformPort, db);
        var device = Track(await TestDevice.ConnectAsync(_broker, "edge-01"));

        await device.PublishAsync(TestEvents.Make("edge-01", "cam-1", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, 1, DateTimeOffset.UtcNow));
        await Wait.UntilAsync(() => platform.Cases.Count == 1, "case stored by the platform (answer held back)", diagnostics: () => Task.FromResult(first.Output));
        first.Kill();
        Assert.True(first.HasExited);

        await using (var store = new CentralStore(CentralStore.CreateDialect(new DatabaseSettings { ConnectionString = db }), NullLogger<CentralStore>.Instance, TimeProvider.System))
        {
            Assert.Equal(CaseState.Detected, Assert.Single(await store.ListCasesAsync(null, 10, default)).State);   // sent, never acknowledged
        }

        var second = await CentralAsync("second", "central-a", centralPort, platformPort, db);
        await Wait.UntilAsync(async () =>
        {
            var cases = await second.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases?state=filed");
            return cases.GetArrayLength() == 1;
        }, "case filed after the restart", TimeSpan.FromSeconds(90), () => Task.FromResult(second.Output));

        Assert.Single(platform.Cases);
        Assert.True(platform.FilingRequests >= 2);
        var c = (await second.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases"))[0];
        Assert.Equal(platform.Cases[0].Id, c.GetProperty("platform_case_id").GetString());
        Assert.DoesNotContain(_token, first.Output + second.Output);
        Assert.DoesNotContain(_platformSecret, first.Output + second.Output);
    }

    [Fact]
    public async Task Ingest_TwoInstancesSharingSubscriptionAndPostgres_NoDuplicateIncidentsOrCases()
    {
        var pg = Track(await PostgresServer.StartNewAsync());
        var db = pg.CreateDatabase("central");
        var (portA, portB, platformPort) = (FreePort.Get(), FreePort.Get(), FreePort.Get());
        var platform = await PlatformAsync(platformPort, portA);
        var a = await CentralAsync("a", "central-a", portA, platformPort, db);
        var b = await CentralAsync("b", "central-b", portB, platformPort, db);
        var devices = new[] { Track(await TestDevice.ConnectAsync(_broker, "edge-01")), Track(await TestDevice.ConnectAsync(_broker, "edge-02")), Track(await TestDevice.ConnectAsync(_broker, "edge-03")) };

        // 160 places 1 km apart, alternating crowding and litter; every other place is seen by a second camera 15 m
        // away on another device. Each camera's episode has 8 events. Events of all places are interleaved.
        const int places = 160;
        var t0 = DateTimeOffset.UtcNow;
        var streams = new List<List<(TestDevice Device, EdgeEvent Event)>>();
        for (var p = 0; p < places; p++)
        {
            var scenario = p % 2 == 0 ? Scenarios.Crowding : Scenarios.Litter;
            var at = TestEvents.Offset((p / 20) * 1000, (p % 20) * 1000);
            var cameras = new List<(TestDevice, string, (double, double))> { (devices[p % 2 == 0 ? 0 : 2], "a" + p, at) };
            if (p % 4 < 2) cameras.Add((devices[1], "b" + p, Geo.Offset(at.Lat, at.Lon, 15, 0)));
            foreach (var (device, camera, pos) in cameras)
            {
                var episode = UuidV7.New();
                streams.Add(Enumerable.Range(0, 8).Select(i => (device, TestEvents.Make(device.Id, camera, pos, scenario, episode,
                    i == 0 ? EventType.Started : i == 7 ? EventType.Ended : EventType.Updated, 0, t0.AddSeconds(i * 10)))).ToList());
            }
        }
        var total = streams.Sum(s => s.Count);
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < 8; i++)
        {
            foreach (var group in streams.Select(s => s[i]).GroupBy(x => x.Device))
            {
                await Task.WhenAll(group.Select(x => x.Device.PublishAsync(x.Event with { Sequence = x.Device.NextSequence() })));
            }
        }
        var published = sw.Elapsed;

        await using var store = new CentralStore(CentralStore.CreateDialect(new DatabaseSettings { ConnectionString = db }), NullLogger<CentralStore>.Instance, TimeProvider.System);
        await Wait.UntilAsync(async () => (await store.CountAsync(default)).Events == total, $"{total} events stored", TimeSpan.FromSeconds(180),
            async () => JsonSerializer.Serialize(await store.CountAsync(default)) + "\n" + a.Output[^Math.Min(3000, a.Output.Length)..]);
        var stored = sw.Elapsed;
        await Wait.UntilAsync(() => platform.Cases.Count >= places, $"{places} cases on the platform", TimeSpan.FromSeconds(180),
            async () => JsonSerializer.Serialize(await store.CountAsync(default)));
        await Wait.UntilAsync(async () => (await store.CountAsync(default)).OutboxPending == 0, "outbox empty", TimeSpan.FromSeconds(120));
        var filed = sw.Elapsed;

        var counts = await store.CountAsync(default);
        Assert.Equal(places, counts.Incidents);
        Assert.Equal(places, counts.Cases);
        Assert.Equal(places, platform.Cases.Count);
        Assert.Equal(places, platform.Cases.Select(c => c.IdempotencyKey).Distinct().Count());
        Assert.Equal(places, counts.CasesByState.GetValueOrDefault(CaseState.Filed));
        await using (var c = await store.Dialect.OpenAsync(default))
        {
            var split = await c.QueryAsync<string>("SELECT episode_id FROM events GROUP BY episode_id HAVING COUNT(DISTINCT incident_id) > 1");
            Assert.Empty(split);
        }
        var statsA = await a.Api.GetFromJsonAsync<JsonElement>("/api/v1/stats");
        var statsB = await b.Api.GetFromJsonAsync<JsonElement>("/api/v1/stats");
        var byA = statsA.GetProperty("process").GetProperty("events_accepted").GetInt64();
        var byB = statsB.GetProperty("process").GetProperty("events_accepted").GetInt64();
        Assert.True(byA > 0 && byB > 0, $"shared subscription split: a {byA}, b {byB}");
        Assert.Equal(total, byA + byB);
        output.WriteLine($"{total} events, {places} places: published in {published.TotalSeconds:0.0} s, all stored after {stored.TotalSeconds:0.0} s " +
                         $"({total / stored.TotalSeconds:0} events/s over two instances), {places} cases filed after {filed.TotalSeconds:0.0} s; split a {byA} / b {byB}");
    }
}

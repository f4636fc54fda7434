using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Storage;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Models;
using EdgeAi.Models.Events;
using EdgeAi.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>
/// 10 000 generated malformed payloads on a device's event (and evidence) topics, interleaved with valid events and
/// replays of them, through a real broker into Central running as a child process: every malformed one ends in the
/// dead-letter table with its reason, replays count as duplicates, every valid event is stored, Central stays up and
/// its memory stays bounded.
/// </summary>
[Collection(CentralProcessCollection.Name)]
public sealed class BadInputFloodTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Malformed = 10_000;
    private const int MaxEvidenceBytes = 16 << 10;
    private CentralRig _rig = null!;

    public async Task InitializeAsync() => _rig = await CentralRig.StartAsync("centralbad");

    public async Task DisposeAsync()
    {
        await _rig.DisposeAsync();
        Assert.DoesNotContain(ServerProcess.Running, p => p.Name.StartsWith("edgeai-central", StringComparison.Ordinal));
    }

    /// <summary>A kind of bad input: how to make one from a valid event, the topic it goes to, and the reason Central must give.</summary>
    private sealed record Kind(string Name, string ReasonStart, Func<int, EdgeEvent, (string Topic, byte[] Payload)> Make);

    private static readonly string EventsTopic = Topics.Events("edge-01");

    private static byte[] Mutate(EdgeEvent e, Action<JsonObject> change)
    {
        var node = JsonNode.Parse(TestEvents.Json(e))!.AsObject();
        change(node);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    private static readonly Kind[] Kinds =
    [
        new("truncated JSON", "malformed JSON at", (i, e) => { var b = TestEvents.Json(e); return (EventsTopic, b[..(1 + i * 7919 % (b.Length - 1))]); }),
        new("wrong type", "field '", (i, e) => (EventsTopic, Mutate(e, o =>
        {
            switch (i % 3)
            {
                case 0: o["sequence"] = "seven"; break;
                case 1: o["camera"]!["lat"] = "north"; break;
                default: o["objects"] = new JsonObject(); break;
            }
        }))),
        new("huge string", "camera.name must be", (i, e) => (EventsTopic, Mutate(e, o => o["camera"]!["name"] = new string('x', 100_000 + i)))),
        new("deep nesting", "JSON nested deeper than", (i, e) =>
        {
            var depth = 40 + i % 5000;
            var json = Encoding.UTF8.GetString(TestEvents.Json(e));
            return (EventsTopic, Encoding.UTF8.GetBytes(json[..^1] + ",\"extra\":" + new string('[', depth) + new string(']', depth) + "}"));
        }),
        new("bad UTF-8", "payload is not valid UTF-8", (i, e) =>
        {
            var b = TestEvents.Json(e).ToList();
            b.InsertRange(b.IndexOf((byte)'c') + 1, i % 2 == 0 ? [0xC3, 0x28] : [0xFF]);
            return (EventsTopic, b.ToArray());
        }),
        new("unknown schema version", "unsupported schema major version", (i, e) => (EventsTopic, Mutate(e, o => o["schema_version"] = $"{2 + i % 50}.0"))),
        new("not an object", "payload is not a JSON object", (i, _) => (EventsTopic, Encoding.UTF8.GetBytes((i % 4) switch { 0 => "[1,2,3]", 1 => "null", 2 => "\"event\"", _ => "42" }))),
        new("missing field", "missing required field", (i, e) => (EventsTopic, Mutate(e, o => o.Remove((i % 3) switch { 0 => "event_id", 1 => "camera", _ => "detection_time" })))),
        new("other device's id", "device_id 'edge-02' does not match", (_, e) => (EventsTopic, TestEvents.Json(e with { DeviceId = "edge-02" }))),
        new("empty", "payload is empty", (_, _) => (EventsTopic, [])),
        new("oversized evidence", "evidence too large", (i, _) => (Topics.Evidence("edge-01", $"big-{i}"), TestEvents.Jpeg(MaxEvidenceBytes + 1 + i % 1000))),
        new("unsafe evidence id", "evidence id", (i, _) => (Topics.Evidence("edge-01", i % 2 == 0 ? ".." : new string('a', 65)), TestEvents.Jpeg(64))),
    ];

    private static readonly Kind Oversized = new("oversized payload", "payload too large", (i, e) => (EventsTopic, Mutate(e, o => o["padding"] = new string('p', 300_000 + i))));

    [Fact]
    public async Task Consume_TenThousandMalformedInterleavedWithValid_AllRejectedWithReasonValidStoredMemoryBounded()
    {
        // The managed heap is capped at 160 MiB (DOTNET_GCHeapHardLimit, what an operator sets on a small hub): Central
        // must hold the flood's live data within it (queue byte budget, receive maximum) or it fails with OutOfMemory.
        // Without the cap, RSS growth measured the GC's lag behind ~3 000 msg/s of garbage rather than retained data:
        // +102..+162 MiB alone, +267 MiB in the full suite on two loaded cores.
        var central = await _rig.CentralAsync("central", consumer: new
        {
            max_evidence_bytes = MaxEvidenceBytes, max_json_bytes = 256 << 10, queue_max_bytes = 16 << 20,
        }, environment: new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0xA000000" });
        var device = _rig.Track(await TestDevice.ConnectAsync(_rig.Broker, "edge-01"));
        var baseline = central.RssBytes();

        // The plan: message i is malformed (kind by i), every 20th a valid event of one of 50 episodes, every 50th a
        // replay of an earlier valid event (same bytes, same event id).
        var t0 = DateTimeOffset.UtcNow;
        var episodes = Enumerable.Range(0, 50).Select(p => (Id: UuidV7.New(), At: TestEvents.Offset((p / 10) * 1000, (p % 10) * 1000))).ToList();
        var valid = new List<byte[]>();
        var sentByKind = new Dictionary<string, int>();
        var messages = new List<(string Topic, byte[] Payload)>();
        var replays = 0;
        for (var i = 0; i < Malformed; i++)
        {
            var template = TestEvents.Make("edge-01", "cam-x", episodes[0].At, Scenarios.Litter, UuidV7.New(), EventType.Started, i + 1, t0);
            var kind = i % 100 == 99 ? Oversized : Kinds[i % Kinds.Length];
            messages.Add(kind.Make(i, template));
            sentByKind[kind.Name] = sentByKind.GetValueOrDefault(kind.Name) + 1;
            if (i % 20 == 0)
            {
                var n = valid.Count;
                var (episode, at) = episodes[n % episodes.Count];
                var json = TestEvents.Json(TestEvents.Make("edge-01", "cam-" + n % episodes.Count, at, Scenarios.Litter, episode,
                    n < episodes.Count ? EventType.Started : EventType.Updated, 100_000 + n, t0.AddSeconds(n)));
                valid.Add(json);
                messages.Add((EventsTopic, json));
            }
            if (i % 50 == 49)
            {
                messages.Add((EventsTopic, valid[i % valid.Count]));
                replays++;
            }
        }

        var peakRss = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, central.RssBytes());
                try { await Task.Delay(200, sampling.Token); }
                catch (OperationCanceledException) { }
            }
        });

        var sw = Stopwatch.StartNew();
        foreach (var chunk in messages.Chunk(100))
            await Task.WhenAll(chunk.Select(m => device.PublishRawAsync(m.Topic, m.Payload)));
        var published = sw.Elapsed;
        await Wait.UntilAsync(async () =>
        {
            var s = await central.Api.GetFromJsonAsync<JsonElement>("/api/v1/stats");
            return s.GetProperty("dead_letters").GetInt64() >= Malformed && s.GetProperty("events").GetInt64() >= valid.Count
                && s.GetProperty("process").GetProperty("duplicates").GetInt64() >= replays;
        }, "every message processed", TimeSpan.FromSeconds(300), async () => (await central.Api.GetFromJsonAsync<JsonElement>("/api/v1/stats")).ToString());
        var processed = sw.Elapsed;
        sampling.Cancel();
        await sampler;

        var stats = await central.Api.GetFromJsonAsync<JsonElement>("/api/v1/stats");
        Assert.False(central.HasExited);
        Assert.Equal(HttpStatusCode.OK, (await central.Api.GetAsync("/healthz")).StatusCode);
        Assert.Equal(valid.Count, stats.GetProperty("events").GetInt64());
        Assert.Equal(replays, stats.GetProperty("process").GetProperty("duplicates").GetInt64());
        Assert.Equal(Malformed, stats.GetProperty("dead_letters").GetInt64());
        Assert.Equal(episodes.Count, stats.GetProperty("incidents").GetInt64());

        await using var store = new CentralStore(CentralStore.CreateDialect(new DatabaseSettings { ConnectionString = _rig.Database }), NullLogger<CentralStore>.Instance, TimeProvider.System);
        await using var c = await store.Dialect.OpenAsync(default);
        var reasons = (await c.QueryAsync<string>("SELECT reason FROM dead_letters")).ToList();
        Assert.DoesNotContain(reasons, string.IsNullOrWhiteSpace);
        foreach (var kind in Kinds.Append(Oversized))
        {
            var n = reasons.Count(r => r.StartsWith(kind.ReasonStart, StringComparison.Ordinal)
                                       || kind.ReasonStart == "field '" && r.StartsWith("field '", StringComparison.Ordinal));
            Assert.True(n >= sentByKind[kind.Name], $"{kind.Name}: {sentByKind[kind.Name]} sent, {n} dead letters start with '{kind.ReasonStart}'");
        }
        Assert.Equal(Malformed, sentByKind.Values.Sum());
        Assert.True(await c.ExecuteScalarAsync<long>("SELECT MAX(LENGTH(payload)) FROM dead_letters") <= 64 << 10, "dead-letter payloads are clipped");

        // Bounded: unacknowledged messages (receive maximum per connection) and the queue's byte budget hold the rest back at the broker, so memory does not follow the input size
        // (134 MiB in all); the bound is generous for a loaded CI machine.
        var growthMb = (peakRss - baseline) / (1024.0 * 1024);
        var rate = messages.Count / processed.TotalSeconds;
        output.WriteLine($"{messages.Count} messages ({Malformed} malformed, {valid.Count} valid, {replays} replays, {messages.Sum(m => (long)m.Payload.Length) / (1 << 20)} MiB): " +
                         $"published in {published.TotalSeconds:0.0} s, processed in {processed.TotalSeconds:0.0} s = {rate:0} msg/s; " +
                         $"Central RSS {baseline / (1 << 20)} MiB before, peak {peakRss / (1 << 20)} MiB (+{growthMb:0} MiB)");
        Assert.True(growthMb < 200, $"Central's RSS grew by {growthMb:0} MiB");

        // The log is not flooded: rejections are logged at most reject_log_per_minute (20) per class per minute.
        var rejectedLines = central.Output.Split('\n').Count(l => l.Contains("Rejected message on", StringComparison.Ordinal));
        Assert.InRange(rejectedLines, 1, 20 * 10 * Math.Max(1, (int)Math.Ceiling(processed.TotalMinutes + 1)));
    }
}

using System.Text.Json;
using EdgeAi.Testing;

namespace EdgeAi.EndToEnd.Tests;

/// <summary>
/// Camera → event → incident → case with every part real and separate: the worker detects the demo clips'
/// incidents, Central correlates and files them, the platform receives each once. Then faults: the broker
/// goes away for a minute and the worker is SIGKILLed; sequence numbers and incident ids prove nothing was
/// lost or duplicated.
/// </summary>
[Collection(SystemCollection.Name)]
public sealed class LoopTests
{
    // The demo clips' incidents the bundled detector finds within a loop of the clip (litter is its weak class).
    private static readonly string[] Expected = ["crowding", "illegal_fishing", "road_collapse"];
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Loop_DemoCameras_EachIncidentFiledOnce_SequencesWithoutGaps()
    {
        await using var system = await EdgeSystem.StartAsync();

        await Eventually.UntilAsync(async () => Expected.All((await system.IncidentScenariosAsync()).Contains), Long,
            () => $"incidents expected: {string.Join(", ", Expected)}\n{system.Describe()}");
        await EveryIncidentFiledAsync(system);

        var cameras = (await system.CameraHealthAsync()).Values.ToList();
        Assert.Equal(4, cameras.Count);
        Assert.All(cameras, c =>
        {
            Assert.Equal("streaming", c.GetProperty("state").GetString());
            Assert.True(c.GetProperty("fps_analysed").GetDouble() > 0, c.ToString());
        });
        await AssertNothingLostOrDuplicatedAsync(system);
        Assert.Equal(0, (await system.GetAsync("stats")).GetProperty("dead_letters").GetInt64());

        // The platform resolves each case; Central asks the worker to re-check the zone and the real worker answers
        // from its own rule: every case ends verified (condition gone) or reopened (still there).
        var outcomes = new Dictionary<string, string>();
        await Eventually.UntilAsync(async () =>
        {
            foreach (var c in (await system.GetAsync("cases?limit=1000")).EnumerateArray())
            {
                var id = c.GetProperty("case_id").GetString()!;
                var states = (await system.GetAsync($"cases/{id}")).GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("state").GetString()).ToList();
                if (states.FirstOrDefault(s => s is "verified" or "reopened") is { } outcome) outcomes[id] = outcome!;
            }
            return outcomes.Count == system.Platform.Cases.Count;
        }, Long, () => $"verification outcomes so far: {string.Join(", ", outcomes)}\n{system.Describe()}");
    }

    [Fact]
    public async Task Faults_BrokerDownOneMinute_ThenWorkerKilled_NothingLostNothingDuplicated()
    {
        await using var system = await EdgeSystem.StartAsync();
        await Eventually.UntilAsync(async () => (await system.IncidentScenariosAsync()).Count > 0, Long, system.Describe);

        // 1. The broker disappears for a minute; the worker keeps detecting into its outbox.
        var outageStart = DateTimeOffset.UtcNow;
        await system.Broker.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(60));
        var outageEnd = DateTimeOffset.UtcNow;
        await system.Broker.StartAsync();

        // 2. A few seconds later, while it may still be catching up, the worker crashes (SIGKILL) and is restarted.
        await Task.Delay(TimeSpan.FromSeconds(3));
        system.Worker.Kill();
        await system.StartWorkerAsync();

        // 3. What was detected during the outage arrives, and the worker's outbox drains to empty.
        await Eventually.UntilAsync(async () => (await EventsAsync(system)).Any(e => e.DetectionTime > outageStart && e.DetectionTime < outageEnd), Long,
            () => $"no event detected during the outage ({outageStart:O} to {outageEnd:O}) reached Central: " +
                  $"{string.Join(", ", EventsAsync(system).Result.Select(e => $"#{e.Sequence} {e.DetectionTime:O}"))}\n{system.Describe()}");
        await Eventually.UntilAsync(async () => await OutboxEventsAsync(system) == 0, Long, () => $"outbox not drained\n{system.Describe()}");

        await AssertNothingLostOrDuplicatedAsync(system);
        await EveryIncidentFiledAsync(system);
    }

    /// <summary>Events waiting in the worker's outbox, as its latest health report says (-1 before a report with it).</summary>
    private static async Task<long> OutboxEventsAsync(EdgeSystem system)
    {
        var device = (await system.GetAsync("devices")).EnumerateArray().Single();
        return device.TryGetProperty("health", out var health) && health.ValueKind == JsonValueKind.Object
            && health.TryGetProperty("outbox", out var outbox) && outbox.ValueKind == JsonValueKind.Object
            ? outbox.GetProperty("events").GetInt64() : -1;
    }

    /// <summary>Every incident has exactly one case, and the platform received exactly one filing per incident.</summary>
    private static async Task EveryIncidentFiledAsync(EdgeSystem system)
    {
        await Eventually.UntilAsync(async () =>
        {
            var incidents = (await system.GetAsync("incidents?limit=1000")).EnumerateArray().Select(i => i.GetProperty("incident_id").GetString()).ToHashSet();
            // The API leaves out null fields: a case whose filing is still on its way has no platform_case_id yet.
            var filed = (await system.GetAsync("cases?limit=1000")).EnumerateArray()
                .Where(c => c.TryGetProperty("platform_case_id", out var id) && id.ValueKind == JsonValueKind.String)
                .Select(c => c.GetProperty("incident_id").GetString()).ToList();
            return incidents.SetEquals(filed) && filed.Count == incidents.Count && system.Platform.Cases.Count == incidents.Count;
        }, Long, () => $"not every incident filed exactly once\n{system.Describe()}");
        Assert.Equal(system.Platform.Cases.Count, system.Platform.Cases.Select(c => c.IdempotencyKey).Distinct().Count());
    }

    private sealed record StoredEvent(string Id, long Sequence, DateTimeOffset DetectionTime);

    private static async Task<List<StoredEvent>> EventsAsync(EdgeSystem system) =>
        [.. (await system.GetAsync($"events?device_id={EdgeSystem.DeviceId}&limit=10000")).EnumerateArray().Select(e => new StoredEvent(
            e.GetProperty("event_id").GetString()!, e.GetProperty("sequence").GetInt64(), e.GetProperty("detection_time").GetDateTimeOffset()))];

    /// <summary>The device's sequence numbers arrive as exactly 1..max: none missing (lost), none twice (duplicated).</summary>
    private static async Task AssertNothingLostOrDuplicatedAsync(EdgeSystem system)
    {
        List<StoredEvent> events = [];
        await Eventually.UntilAsync(async () =>
        {
            events = await EventsAsync(system);
            return events.Count > 0 && events.Count == events.Max(e => e.Sequence);
        }, Long, () => $"sequences {string.Join(",", events.Select(e => e.Sequence).Order())}\n{system.Describe()}");
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence).Order());
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
    }
}

/// <summary>System tests each run a whole deployment; one at a time keeps them inside the 2-core machine's means.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SystemCollection
{
    public const string Name = "system";
}

using System.Net.Http.Json;
using System.Text.Json;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Models;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>Events through a real broker into Central (SQLite) and out as cases on the test platform over HTTP.</summary>
public sealed class IncidentCorrelationEndToEndTests : IAsyncLifetime
{
    private CentralHarness _h = null!;

    public async Task InitializeAsync() => _h = await CentralHarness.StartAsync();

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
    }

    private async Task WaitEventsAsync(long count) =>
        await Wait.UntilAsync(async () => (await _h.Store.CountAsync(default)).Events >= count, $"{count} events stored",
            diagnostics: async () => JsonSerializer.Serialize(await _h.Store.CountAsync(default)));

    [Fact]
    public async Task Ingest_RepeatedEventsOfOneEpisodeWithRedelivery_OneIncidentOneCase()
    {
        var device = await _h.DeviceAsync("edge-01");
        var episode = UuidV7.New();
        var t0 = DateTimeOffset.UtcNow;
        var events = new List<EdgeEvent>();
        for (var i = 0; i < 7; i++)
        {
            var type = i == 0 ? EventType.Started : i == 6 ? EventType.Ended : EventType.Updated;
            events.Add(TestEvents.Make("edge-01", "cam-1", TestEvents.Offset(0, 0), Scenarios.Litter, episode, type, device.NextSequence(), t0.AddSeconds(i * 30)));
        }
        foreach (var e in events) await device.PublishAsync(e);
        await device.PublishAsync(events[3]);   // QoS 1 redelivery: same event id

        await WaitEventsAsync(7);
        await Wait.UntilAsync(() => _h.Platform.Cases.Count >= 1, "case filed on the platform");
        var counts = await _h.Store.CountAsync(default);
        Assert.Equal(7, counts.Events);
        Assert.Equal(1, counts.Incidents);
        Assert.Equal(1, counts.Cases);
        await Wait.UntilAsync(async () => (await _h.Api.GetFromJsonAsync<JsonElement>("/api/v1/stats")).GetProperty("process").GetProperty("duplicates").GetInt64() >= 1, "duplicate counted");
        var incidents = await _h.Api.GetFromJsonAsync<JsonElement>("/api/v1/incidents");
        Assert.Equal(1, incidents.GetArrayLength());
        Assert.Equal("closed", incidents[0].GetProperty("state").GetString());   // the episode ended
        Assert.Equal(7, incidents[0].GetProperty("event_count").GetInt64());
        Assert.Single(_h.Platform.Cases);
    }

    [Fact]
    public async Task Ingest_TwoCameras20MetresApartSeeOneCrowd_OneIncidentWithBothCameras()
    {
        var a = await _h.DeviceAsync("edge-01");
        var b = await _h.DeviceAsync("edge-02");
        var t0 = DateTimeOffset.UtcNow;
        await a.PublishAsync(TestEvents.Make("edge-01", "cam-a", TestEvents.Offset(0, 0), Scenarios.Crowding, UuidV7.New(), EventType.Started, a.NextSequence(), t0));
        await WaitEventsAsync(1);
        await b.PublishAsync(TestEvents.Make("edge-02", "cam-b", TestEvents.Offset(20, 0), Scenarios.Crowding, UuidV7.New(), EventType.Started, b.NextSequence(), t0.AddSeconds(5),
            box: [0.1, 0.1, 0.3, 0.3]));
        await WaitEventsAsync(2);

        var counts = await _h.Store.CountAsync(default);
        Assert.Equal(1, counts.Incidents);
        var list = await _h.Api.GetFromJsonAsync<JsonElement>("/api/v1/incidents");
        var detail = await _h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{list[0].GetProperty("incident_id").GetString()}");
        Assert.Equal(2, detail.GetProperty("cameras").GetArrayLength());
    }

    [Fact]
    public async Task Ingest_SameScenarioTwoKilometresApart_TwoIncidents()
    {
        var a = await _h.DeviceAsync("edge-01");
        var b = await _h.DeviceAsync("edge-02");
        var t0 = DateTimeOffset.UtcNow;
        await a.PublishAsync(TestEvents.Make("edge-01", "cam-a", TestEvents.Offset(0, 0), Scenarios.Crowding, UuidV7.New(), EventType.Started, a.NextSequence(), t0));
        await b.PublishAsync(TestEvents.Make("edge-02", "cam-b", TestEvents.Offset(0, 2000), Scenarios.Crowding, UuidV7.New(), EventType.Started, b.NextSequence(), t0));
        await WaitEventsAsync(2);

        Assert.Equal(2, (await _h.Store.CountAsync(default)).Incidents);
        await Wait.UntilAsync(() => _h.Platform.Cases.Count == 2, "two cases filed");
    }

    [Fact]
    public async Task Ingest_SameCameraNonOverlappingBoxes_TwoIncidents()
    {
        var a = await _h.DeviceAsync("edge-01");
        var t0 = DateTimeOffset.UtcNow;
        await a.PublishAsync(TestEvents.Make("edge-01", "cam-a", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, a.NextSequence(), t0, box: [0.1, 0.1, 0.2, 0.2]));
        await a.PublishAsync(TestEvents.Make("edge-01", "cam-a", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, a.NextSequence(), t0, box: [0.7, 0.7, 0.8, 0.8]));
        await a.PublishAsync(TestEvents.Make("edge-01", "cam-a", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, a.NextSequence(), t0.AddMinutes(1), box: [0.11, 0.1, 0.21, 0.2]));
        await WaitEventsAsync(3);

        Assert.Equal(2, (await _h.Store.CountAsync(default)).Incidents);
    }
}

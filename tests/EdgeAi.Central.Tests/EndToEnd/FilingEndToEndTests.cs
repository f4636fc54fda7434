using System.Net.Http.Json;
using System.Text.Json;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Models;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>Filing through the outbox against the test platform with injected faults.</summary>
public sealed class FilingEndToEndTests
{
    [Fact]
    public async Task File_PlatformAnswers500ThriceThenTimesOutOnce_ExactlyOneCaseOnPlatform()
    {
        await using var h = await CentralHarness.StartAsync();
        h.Platform.Faults.FailNext = 3;
        h.Platform.Faults.HangNextAfterCommit = 1;
        h.Platform.Faults.HangFor = TimeSpan.FromSeconds(5);   // Central's request timeout is 2 s
        var device = await h.DeviceAsync("edge-01");

        await device.PublishAsync(TestEvents.Make("edge-01", "cam-1", TestEvents.Offset(0, 0), Scenarios.RoadCollapse, UuidV7.New(), EventType.Started, device.NextSequence(), DateTimeOffset.UtcNow));

        JsonElement c = default;
        await Wait.UntilAsync(async () =>
        {
            var cases = await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases");
            if (cases.GetArrayLength() == 0) return false;
            c = cases[0];
            return c.GetProperty("state").GetString() == "filed";
        }, "case filed", diagnostics: async () => await h.Api.GetStringAsync("/api/v1/cases"));

        Assert.Single(h.Platform.Cases);
        Assert.True(h.Platform.FilingRequests >= 5, $"filing requests: {h.Platform.FilingRequests}");
        Assert.Equal(h.Platform.Cases[0].Id, c.GetProperty("platform_case_id").GetString());
        Assert.True(c.GetProperty("attempts").GetInt64() >= 4);
        Assert.Equal("突发事件", c.GetProperty("category").GetProperty("class").GetString());
        Assert.Equal("路面塌陷", c.GetProperty("category").GetProperty("subclass").GetString());

        var detail = await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{c.GetProperty("case_id").GetString()}");
        var states = detail.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("state").GetString()).ToList();
        Assert.Equal(["detected", "filed"], states);
        Assert.Empty(h.Logs.Errors);
    }

    [Fact]
    public async Task File_PlatformRefusesSignature_CaseParkedDeadWithLastErrorInApi()
    {
        await using var h = await CentralHarness.StartAsync(o => o with { Platform = o.Platform with { Secret = "wrong-secret-wrong-secret" } });
        var device = await h.DeviceAsync("edge-01");
        await device.PublishAsync(TestEvents.Make("edge-01", "cam-1", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, device.NextSequence(), DateTimeOffset.UtcNow));

        JsonElement c = default;
        await Wait.UntilAsync(async () =>
        {
            var cases = await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases?state=dead");
            if (cases.GetArrayLength() == 0) return false;
            c = cases[0];
            return true;
        }, "case parked dead");
        Assert.Contains("401", c.GetProperty("last_error").GetString());
        Assert.Empty(h.Platform.Cases);
        var detail = await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{c.GetProperty("case_id").GetString()}");
        Assert.True(detail.GetProperty("outbox")[0].GetProperty("dead").GetBoolean());
    }

    [Fact]
    public async Task File_Open311Platform_ServiceRequestCreatedOnce()
    {
        await using var h = await CentralHarness.StartAsync(o => o with { Platform = o.Platform with { Kind = EdgeAi.Central.Configuration.PlatformKind.Open311 } });
        h.Platform.Faults.FailNext = 2;
        var device = await h.DeviceAsync("edge-01");
        await device.PublishAsync(TestEvents.Make("edge-01", "cam-1", TestEvents.Offset(0, 0), Scenarios.IllegalFishing, UuidV7.New(), EventType.Started, device.NextSequence(), DateTimeOffset.UtcNow));

        await Wait.UntilAsync(async () => (await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases?state=filed")).GetArrayLength() == 1, "case filed via Open311");
        var only = Assert.Single(h.Platform.Cases);
        Assert.Equal("open311", only.Api);
        Assert.Contains("service_code=0290", only.Body);
    }
}

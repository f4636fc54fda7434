using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Models;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>Retention limits enforced by the running service on what arrives over MQTT: evidence by bytes and age, dead letters by count.</summary>
public sealed class RetentionEndToEndTests
{
    [Fact]
    public async Task Retention_EvidenceOverBytesAndDeadLettersOverRows_OldestDeletedAndCounted()
    {
        await using var h = await CentralHarness.StartAsync(o => o with
        {
            Retention = o.Retention with { EvidenceMaxBytes = 5 * 2048, DeadLetterMaxRows = 3, Interval = TimeSpan.FromMilliseconds(200) },
        });
        var device = await h.DeviceAsync("edge-01");
        for (var i = 0; i < 10; i++)
        {
            await device.PublishRawAsync(Topics.Evidence("edge-01", $"ev-{i}"), TestEvents.Jpeg(2048), "image/jpeg");
            await device.PublishRawAsync(Topics.Events("edge-01"), "{"u8.ToArray());
            await Task.Delay(20);   // distinct receive times, so "oldest" is well defined
        }

        await Wait.UntilAsync(async () =>
        {
            var s = await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/stats");
            return s.GetProperty("evidence").GetInt64() == 5 && s.GetProperty("dead_letters").GetInt64() == 3
                && h.App.Services.GetRequiredService<CentralMetrics>().EvidencePruned == 5;
        }, "evidence and dead letters pruned to their limits", diagnostics: () => h.Api.GetStringAsync("/api/v1/stats"));

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.NotFound, (await h.Api.GetAsync($"/api/v1/evidence/ev-{i}")).StatusCode);
        for (var i = 5; i < 10; i++) Assert.Equal(HttpStatusCode.OK, (await h.Api.GetAsync($"/api/v1/evidence/ev-{i}")).StatusCode);
        Assert.Equal(7, h.App.Services.GetRequiredService<CentralMetrics>().DeadLettersPruned);
        Assert.Contains("Retention: deleted", h.Logs.AllText);
    }

    [Fact]
    public async Task Retention_EvidenceOlderThanMaxAge_Deleted()
    {
        await using var h = await CentralHarness.StartAsync(o => o with
        {
            Retention = o.Retention with { EvidenceMaxAge = TimeSpan.FromSeconds(2), Interval = TimeSpan.FromMilliseconds(200) },
        });
        var device = await h.DeviceAsync("edge-01");
        await device.PublishRawAsync(Topics.Evidence("edge-01", "ev-old"), TestEvents.Jpeg(2048), "image/jpeg");
        // The stored counter, not a GET: on a loaded machine the first poll may come after the 2 s are already over.
        var metrics = h.App.Services.GetRequiredService<CentralMetrics>();
        await Wait.UntilAsync(() => metrics.EvidenceStored == 1, "evidence stored");

        await Wait.UntilAsync(async () => (await h.Api.GetAsync("/api/v1/evidence/ev-old")).StatusCode == HttpStatusCode.NotFound, "evidence deleted after 2 s");
        Assert.Equal(1, metrics.EvidencePruned);
    }
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Models;
using EdgeAi.Models.Events;
using Xunit.Abstractions;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>
/// The governance platform down (HTTP 500 to everything) for "5 minutes" while incidents keep opening, then back:
/// every incident is filed exactly once. Time is compressed by $EDGEAI_FAULT_TIME_SCALE (default 1/30: a 10 s outage,
/// with the retry delays of the shipped config — initial 2 s, at most 300 s — scaled by the same factor).
/// </summary>
public sealed class PlatformOutageTests(ITestOutputHelper output)
{
    private static readonly double Scale = double.Parse(Environment.GetEnvironmentVariable("EDGEAI_FAULT_TIME_SCALE") ?? (1 / 30.0).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    [Fact]
    public async Task File_PlatformDownFiveMinutesThenBack_EveryIncidentFiledExactlyOnce()
    {
        var outage = TimeSpan.FromMinutes(5) * Scale;
        await using var h = await CentralHarness.StartAsync(o => o with
        {
            Platform = o.Platform with
            {
                Retry = new RetrySettings
                {
                    InitialDelay = TimeSpan.FromSeconds(2) * Scale, MaxDelay = TimeSpan.FromSeconds(300) * Scale, MaxAttempts = 20, MaxAge = TimeSpan.FromDays(1) * Scale,
                },
            },
        });
        var device = await h.DeviceAsync("edge-01");
        h.Platform.Faults.FailUntil = DateTimeOffset.UtcNow + outage;
        var t0 = DateTimeOffset.UtcNow;

        // 10 incidents when the outage starts, 5 more half-way through it; each a litter episode at its own place.
        async Task OpenAsync(int from, int count)
        {
            for (var p = from; p < from + count; p++)
                await device.PublishAsync(TestEvents.Make("edge-01", "cam-" + p, TestEvents.Offset(0, p * 1000), Scenarios.Litter, UuidV7.New(), EventType.Started, device.NextSequence(), t0));
        }
        await OpenAsync(0, 10);
        await Task.Delay(outage / 2);
        await OpenAsync(10, 5);
        Assert.Empty(h.Platform.Cases);   // still down

        await Wait.UntilAsync(async () => (await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases?state=filed")).GetArrayLength() == 15,
            // A case whose attempt failed just before the platform came back waits out its backoff (up to max_delay) first.
            "15 cases filed after the outage", outage + TimeSpan.FromSeconds(300) * Scale * 1.5 + TimeSpan.FromSeconds(120), async () => await h.Api.GetStringAsync("/api/v1/stats"));
        var recovered = DateTimeOffset.UtcNow - t0;

        Assert.Equal(15, h.Platform.Cases.Count);
        Assert.Equal(15, h.Platform.Cases.Select(c => c.IdempotencyKey).Distinct().Count());
        await using var c = await h.Store.Dialect.OpenAsync(default);
        Assert.Equal(15, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM incidents"));
        Assert.Equal(15, await c.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT incident_id) FROM cases"));
        Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM cases WHERE state = 'dead'"));
        Assert.True(h.Platform.FailedRequests >= 15, $"only {h.Platform.FailedRequests} requests failed: the outage was not exercised");
        var platformIds = (await c.QueryAsync<string>("SELECT platform_case_id FROM cases")).Order().ToList();
        Assert.Equal(h.Platform.Cases.Select(x => x.Id).Order(), platformIds);
        output.WriteLine($"outage {outage.TotalSeconds:0.#} s (scale {Scale:0.###}): {h.Platform.FailedRequests} requests answered 500, " +
                         $"{h.Platform.FilingRequests} filing requests in all; all 15 incidents filed once {recovered.TotalSeconds:0.#} s after the start");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using EdgeAi.Central.Api;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Models;
using EdgeAi.Models.Devices;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Tests.Dashboard;

/// <summary>The dashboard's sign-in, the live stream and the camera view over real HTTP, with health published on a real broker.</summary>
public sealed class DashboardEndToEndTests : IAsyncLifetime
{
    private CentralHarness _h = null!;

    public async Task InitializeAsync() => _h = await CentralHarness.StartAsync();

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
    }

    private HttpClient Anonymous(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true }) { BaseAddress = _h.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Page_Anonymous_ServedWithStrictContentSecurityPolicy()
    {
        using var client = Anonymous();

        var page = await client.GetAsync("/");
        var script = await client.GetAsync("/dashboard/app.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("EdgeAi operations", await page.Content.ReadAsStringAsync());
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Stream_NoCredentialsOrWrongLogin_Unauthorized()
    {
        var cookies = new CookieContainer();
        using var client = Anonymous(cookies);

        var stream = await client.GetAsync("/api/v1/stream", HttpCompletionOption.ResponseHeadersRead);
        var login = await client.PostAsJsonAsync("/dashboard/login", new { token = "tok-wrong-wrong-wrong" });
        var after = await client.GetAsync("/api/v1/dashboard/cameras");
        var notJson = await client.PostAsync("/dashboard/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = _h.Options.Api.Token }));
        var badJson = await client.PostAsync("/dashboard/login", new StringContent("{token:", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, stream.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Empty(cookies.GetCookies(client.BaseAddress!));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.DoesNotContain("tok-wrong-wrong-wrong", _h.Logs.AllText);
    }

    [Fact]
    public async Task Stream_SignedIn_SnapshotThenCameraTilesPushedWhenHealthArrives()
    {
        var cookies = new CookieContainer();
        using var client = Anonymous(cookies);
        var login = await client.PostAsJsonAsync("/dashboard/login", new { token = _h.Options.Api.Token });
        Assert.Equal(HttpStatusCode.NoContent, login.StatusCode);
        var cookie = Assert.Single(cookies.GetCookies(client.BaseAddress!));
        Assert.True(cookie.HttpOnly);
        Assert.Equal(DashboardSession.CookieName, cookie.Name);

        using var response = await client.GetAsync("/api/v1/stream", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var body = await response.Content.ReadAsStreamAsync(cts.Token);
        await using var events = SseParser.Create(body).EnumerateAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        async Task<JsonElement> Next(string type, Func<JsonElement, bool>? until = null)
        {
            while (await events.MoveNextAsync())
            {
                if (events.Current.EventType != type) continue;
                var data = JsonDocument.Parse(events.Current.Data).RootElement.Clone();
                if (until is null || until(data)) return data;
            }
            throw new InvalidOperationException("stream ended");
        }

        Assert.Equal(0, (await Next(SseDashboardFeed.Cameras)).GetArrayLength());   // snapshot first: nothing reported yet

        var device = await _h.DeviceAsync("edge-01");
        var health = new DeviceHealth("edge-01", DateTimeOffset.UtcNow, 12,
        [
            new CameraHealth("cam-ok", "streaming", 25, 1, 300, 12, 0, 0, 0.4, 0, 11, 20, "CPUExecutionProvider", []),
            new CameraHealth("cam-down", "backoff", 0, 0, 40, 4, 0, 3, 30, 0, 11, 20, "CPUExecutionProvider", [], "connection refused"),
            new CameraHealth("cam-black", "streaming", 25, 1, 300, 12, 0, 0, 0.4, 0, 11, 20, "CPUExecutionProvider", [QualityFlagNames.Black],
                Quality: new CameraQuality(3, 1, 0, 0, 20, null, null)),
        ]);
        await device.PublishRawAsync(Topics.Health("edge-01"), JsonSerializer.SerializeToUtf8Bytes(health, EdgeAiJsonContext.Default.DeviceHealth), "application/json");

        // Stored (the same view over REST with the bearer token), then pushed on the open stream.
        await Wait.UntilAsync(async () => (await _h.Api.GetFromJsonAsync<JsonElement>("/api/v1/dashboard/cameras")).GetArrayLength() == 3, "health stored",
            diagnostics: async () => await _h.Api.GetStringAsync("/api/v1/dead-letters") + await _h.Api.GetStringAsync("/api/v1/devices"));
        var tiles = await Next(SseDashboardFeed.Cameras, t => t.GetArrayLength() == 3);
        Assert.Equal(["cam-down", "cam-black", "cam-ok"], tiles.EnumerateArray().Select(t => t.GetProperty("camera_id").GetString()));
        Assert.Equal(["unhealthy", "degraded", "healthy"], tiles.EnumerateArray().Select(t => t.GetProperty("health").GetString()));
        Assert.Equal("stream backoff: connection refused", tiles[0].GetProperty("problems")[0].GetString());
        Assert.Equal(3, tiles[1].GetProperty("quality").GetProperty("brightness").GetDouble());
    }
}

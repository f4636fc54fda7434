using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Models;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>The REST API over real HTTP: authentication, evidence, dead letters, callback signatures, OpenAPI.</summary>
public sealed class ApiEndToEndTests : IAsyncLifetime
{
    private CentralHarness _h = null!;

    public async Task InitializeAsync() => _h = await CentralHarness.StartAsync();

    public async Task DisposeAsync()
    {
        if (_h is not null) await _h.DisposeAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token-wrong-token")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Get_MissingOrInvalidToken_Unauthorized(string? authorization)
    {
        using var client = new HttpClient { BaseAddress = _h.Api.BaseAddress };
        if (authorization is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        var response = await client.GetAsync("/api/v1/incidents");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(_h.Options.Api.Token, _h.Logs.AllText);
    }

    [Theory]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("a%5Cb")]
    [InlineData("..")]
    [InlineData("x%00y")]
    public async Task GetEvidence_UnsafeId_BadRequest(string id)
    {
        var response = await _h.Api.GetAsync("/api/v1/evidence/" + id);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, response.StatusCode.ToString());
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Evidence_PublishedWithEvent_ServedByIdAndLinked()
    {
        var device = await _h.DeviceAsync("edge-01");
        var jpeg = TestEvents.Jpeg();
        var evidenceId = "ev-" + Guid.NewGuid().ToString("N")[..12];
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(jpeg));
        var e = TestEvents.Make("edge-01", "cam-1", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, device.NextSequence(), DateTimeOffset.UtcNow,
            evidence: [new EvidenceRef(evidenceId, sha, jpeg.Length, "image/jpeg")]);
        await device.PublishRawAsync(Topics.Evidence("edge-01", evidenceId), jpeg, "image/jpeg", UuidV7.ToBytes(e.EventId));
        await device.PublishAsync(e);

        await Wait.UntilAsync(async () => (await _h.Api.GetAsync($"/api/v1/evidence/{evidenceId}")).IsSuccessStatusCode, "evidence stored");
        var bytes = await _h.Api.GetByteArrayAsync($"/api/v1/evidence/{evidenceId}");
        Assert.Equal(jpeg, bytes);
        await Wait.UntilAsync(() => _h.Platform.Cases.Count == 1, "case filed");
        using var doc = JsonDocument.Parse(_h.Platform.Cases[0].Body);
        var url = doc.RootElement.GetProperty("evidence")[0].GetProperty("url").GetString()!;
        using var anonymous = new HttpClient();
        Assert.Equal(jpeg, await anonymous.GetByteArrayAsync(url));   // signed link works without the token
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(url.Replace("sig=", "sig=0"))).StatusCode);
    }

    [Fact]
    public async Task Consume_InvalidMessages_DeadLetteredWithReason()
    {
        var device = await _h.DeviceAsync("edge-01");
        await device.PublishRawAsync(Topics.Events("edge-01"), "{\"schema_version\": \"1.0\", \"event_id\": "u8.ToArray());
        await device.PublishRawAsync(Topics.Events("edge-01"), TestEvents.Json(TestEvents.Make("edge-02", "cam-1", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, 1, DateTimeOffset.UtcNow)));
        await device.PublishRawAsync(Topics.Evidence("edge-01", "big"), new byte[5 << 20], "image/jpeg");
        await device.PublishRawAsync(Topics.Evidence("edge-01", "notjpeg"), Encoding.UTF8.GetBytes("hello"), "image/jpeg");

        JsonElement letters = default;
        await Wait.UntilAsync(async () => (letters = await _h.Api.GetFromJsonAsync<JsonElement>("/api/v1/dead-letters")).GetArrayLength() == 4, "4 dead letters");
        var reasons = letters.EnumerateArray().Select(l => l.GetProperty("reason").GetString()!).ToList();
        Assert.Contains(reasons, r => r.StartsWith("malformed JSON", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("does not match the topic", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("evidence too large", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.StartsWith("evidence bytes are not", StringComparison.Ordinal));
        Assert.Equal(0, (await _h.Store.CountAsync(default)).Incidents);
    }

    [Fact]
    public async Task Callback_BadSignature_Unauthorized()
    {
        var body = Encoding.UTF8.GetBytes("{\"case_ref\":\"x\",\"status\":\"resolved\"}");
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/platform/callback") { Content = new ByteArrayContent(body) };
        request.Headers.Add(HmacSignature.TimestampHeader, ts.ToString());
        request.Headers.Add(HmacSignature.SignatureHeader, HmacSignature.Sign("not-the-secret", ts, body));
        using var client = new HttpClient { BaseAddress = _h.Api.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task OpenApi_Document_ListsRoutesAndBearerScheme()
    {
        using var client = new HttpClient { BaseAddress = _h.Api.BaseAddress };
        var doc = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        foreach (var p in new[] { "/api/v1/incidents", "/api/v1/cases/{id}", "/api/v1/evidence/{id}", "/api/v1/devices", "/api/v1/platform/callback" })
            Assert.True(paths.TryGetProperty(p, out _), $"missing {p}");
        Assert.True(doc.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("bearer", out _));
    }

    [Fact]
    public async Task Health_ReadyWithBrokerAndDatabase_Ok()
    {
        using var client = new HttpClient { BaseAddress = _h.Api.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }
}

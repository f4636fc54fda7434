using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Tests.Infrastructure;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>
/// What an attacker on the network can try against Central's HTTP side (real Kestrel on loopback): every API route
/// without a valid token, path traversal in evidence ids, oversized requests, forged or replayed platform callbacks.
/// Each is refused with the status code a client can act on, and none reaches the store or an error log.
/// </summary>
public sealed class ApiSecurityTests : IAsyncLifetime
{
    private CentralHarness _h = null!;
    private HttpClient _anonymous = null!;

    public async Task InitializeAsync()
    {
        _h = await CentralHarness.StartAsync(o => o with { Api = o.Api with { MaxRequestBytes = 64 << 10 } });
        _anonymous = new HttpClient { BaseAddress = _h.Api.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _anonymous?.Dispose();
        if (_h is not null) await _h.DisposeAsync();
    }

    [Fact]
    public async Task Get_EveryApiRouteWithoutOrWithWrongToken_Unauthorized()
    {
        var doc = await _anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var routes = doc.GetProperty("paths").EnumerateObject()
            .Where(p => p.Value.TryGetProperty("get", out _) && p.Name.StartsWith("/api/", StringComparison.Ordinal))
            .Select(p => p.Name.Replace("{id}", "x", StringComparison.Ordinal)).ToList();
        Assert.True(routes.Count >= 10, $"only {routes.Count} GET routes in the OpenAPI document");
        var attempts = new Func<HttpRequestMessage, HttpRequestMessage>[]
        {
            r => r,
            r => { r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _h.Options.Api.Token[..^1]); return r; },          // a prefix of the token
            r => { r.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _h.Options.Api.Token + "x"); return r; },        // the token plus a character
            r => { r.Headers.TryAddWithoutValidation("Authorization", "Token " + _h.Options.Api.Token); return r; },               // another scheme
            r => new HttpRequestMessage(HttpMethod.Get, r.RequestUri + "?access_token=" + _h.Options.Api.Token),                   // token in the query
            r => { r.Headers.TryAddWithoutValidation("Cookie", "token=" + _h.Options.Api.Token); return r; },                     // token in a cookie
        };
        foreach (var route in routes)
        {
            foreach (var attempt in attempts)
            {
                using var request = attempt(new HttpRequestMessage(HttpMethod.Get, route));
                using var response = await _anonymous.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route} with {request.Headers}: {response.StatusCode}");
            }
            // The right token opens it (headers only: /api/v1/stream is a live event stream that never ends by itself).
            using var ok = await _h.Api.GetAsync(route, HttpCompletionOption.ResponseHeadersRead);
            Assert.NotEqual(HttpStatusCode.Unauthorized, ok.StatusCode);
        }
        Assert.DoesNotContain(_h.Options.Api.Token, _h.Logs.AllText);
    }

    [Theory]
    [InlineData("/api/v1/evidence/..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/v1/evidence/%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
    [InlineData("/api/v1/evidence/%252e%252e%252fetc%252fpasswd")]
    [InlineData("/api/v1/evidence/..%5C..%5Cwindows%5Cwin.ini")]
    [InlineData("/api/v1/evidence/..")]
    [InlineData("/api/v1/evidence/...")]
    [InlineData("/api/v1/evidence/%00")]
    [InlineData("/api/v1/evidence/ev%0d%0aSet-Cookie:%20x=y")]
    [InlineData("/api/v1/evidence/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("/media/..%2F..%2Fetc%2Fpasswd?exp=9999999999&sig=00")]
    [InlineData("/media/%2e%2e?exp=9999999999&sig=00")]
    public async Task GetEvidence_TraversalOrUnsafeId_RefusedWithoutReadingFiles(string path)
    {
        var response = await _h.Api.GetAsync(path);
        // "/media/%2e%2e" is normalised by Kestrel to "/", the dashboard's page: harmless, and no file is read.
        var dashboardPage = response.StatusCode == HttpStatusCode.OK && response.RequestMessage!.RequestUri!.AbsolutePath is "/media/.." or "/"
            && response.Content.Headers.ContentType?.MediaType == "text/html";
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound || dashboardPage, $"{path}: {response.StatusCode}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("root:", body);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Media_ValidIdButForgedOrExpiredSignature_Forbidden()
    {
        foreach (var query in new[] { "", "?exp=9999999999", "?exp=9999999999&sig=00", "?exp=1&sig=" + new string('0', 64) })
            Assert.Equal(HttpStatusCode.Forbidden, (await _anonymous.GetAsync("/media/ev-1" + query)).StatusCode);
    }

    [Fact]
    public async Task Post_OversizedRequests_RefusedBySizeLimits()
    {
        // Body over api.max_request_bytes (64 KiB here): 413, both with a Content-Length and chunked.
        var big = new byte[200 << 10];
        using (var request = Callback(big, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), _h.Options.Platform.CallbackSecret!))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _anonymous.SendAsync(request)).StatusCode);
        using (var request = Callback(big, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), _h.Options.Platform.CallbackSecret!))
        {
            request.Content = new StreamContent(new MemoryStream(big));   // no Content-Length: chunked
            request.Headers.TransferEncodingChunked = true;
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _anonymous.SendAsync(request)).StatusCode);
        }

        // Headers over Kestrel's 32 KiB: 431; a request line over 8 KiB: 414.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/incidents"))
        {
            request.Headers.TryAddWithoutValidation("X-Padding", new string('h', 40 << 10));
            Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await _h.Api.SendAsync(request)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await _h.Api.GetAsync("/api/v1/incidents?state=" + new string('q', 10 << 10))).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await _anonymous.GetAsync("/healthz")).StatusCode);   // still serving
        Assert.Empty(_h.Logs.Errors);
    }

    [Fact]
    public async Task Callback_MissingStaleOrForgedSignature_Unauthorized_ValidOneAccepted()
    {
        var secret = _h.Options.Platform.CallbackSecret!;
        var body = Encoding.UTF8.GetBytes("{\"case_ref\":\"no-such-case\",\"status\":\"resolved\"}");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using (var noHeaders = new HttpRequestMessage(HttpMethod.Post, "/api/v1/platform/callback") { Content = new ByteArrayContent(body) })
            Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.SendAsync(noHeaders)).StatusCode);
        using (var noSignature = Callback(body, now, secret))
        {
            noSignature.Headers.Remove(HmacSignature.SignatureHeader);
            Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.SendAsync(noSignature)).StatusCode);
        }
        using (var stale = Callback(body, now - 3600, secret))   // replayed an hour later (max skew 300 s)
            Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.SendAsync(stale)).StatusCode);
        using (var tampered = Callback(body, now, secret))
        {
            tampered.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"case_ref\":\"no-such-case\",\"status\":\"closed\"}"));
            Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.SendAsync(tampered)).StatusCode);
        }
        using (var apiToken = Callback(body, now, secret))   // the API token is not a substitute for the signature
        {
            apiToken.Headers.Remove(HmacSignature.SignatureHeader);
            apiToken.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _h.Options.Api.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await _anonymous.SendAsync(apiToken)).StatusCode);
        }
        using (var valid = Callback(body, now, secret))   // correctly signed: passes authentication, then "no such case"
            Assert.Equal(HttpStatusCode.NotFound, (await _anonymous.SendAsync(valid)).StatusCode);
        Assert.DoesNotContain(secret, _h.Logs.AllText);
    }

    private static HttpRequestMessage Callback(byte[] body, long timestamp, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/platform/callback") { Content = new ByteArrayContent(body) };
        request.Headers.Add(HmacSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(HmacSignature.SignatureHeader, HmacSignature.Sign(secret, timestamp, body));
        return request;
    }
}

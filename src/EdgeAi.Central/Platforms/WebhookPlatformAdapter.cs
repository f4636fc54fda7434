using System.Net.Http.Headers;
using System.Text.Json;
using EdgeAi.Central.Storage;
using EdgeAi.Central.Configuration;

namespace EdgeAi.Central.Platforms;

/// <summary>
/// Generic JSON webhook: <c>POST {url}/cases</c> with the <see cref="CaseFiling"/> as JSON, <c>Idempotency-Key</c>
/// = incident id and an HMAC-SHA256 signature (<see cref="HmacSignature"/>); the answer carries <c>case_id</c>.
/// Notifications: <c>POST {url}/cases/{id}/events</c>; status: <c>GET {url}/cases/{id}</c> → <c>{"status": …}</c>.
/// </summary>
internal sealed class WebhookPlatformAdapter(PlatformSettings settings, TimeProvider time) : IPlatformAdapter, IDisposable
{
    private readonly HttpClient _http = PlatformHttp.CreateClient();

    public async Task<PlatformResult> FileAsync(CaseFiling filing, CancellationToken ct)
    {
        using var request = Signed(HttpMethod.Post, "cases", JsonSerializer.SerializeToUtf8Bytes(filing, PlatformJson.Options), filing.IncidentId);
        var (response, body, failure) = await PlatformHttp.SendAsync(_http, request, settings.RequestTimeout, ct).ConfigureAwait(false);
        if (failure is not null) return failure;
        using (response)
        {
            var id = ReadString(body, "case_id");
            return id is null ? PlatformResult.Transient($"POST /cases: answer without case_id: {body}") : PlatformResult.Success(id);
        }
    }

    public async Task<PlatformResult> NotifyAsync(CaseNotification n, CancellationToken ct)
    {
        using var request = Signed(HttpMethod.Post, $"cases/{Uri.EscapeDataString(n.PlatformCaseId!)}/events",
            JsonSerializer.SerializeToUtf8Bytes(n, PlatformJson.Options), n.NotificationId);
        var (response, _, failure) = await PlatformHttp.SendAsync(_http, request, settings.RequestTimeout, ct).ConfigureAwait(false);
        response?.Dispose();
        return failure ?? PlatformResult.Success(n.PlatformCaseId);
    }

    public async Task<PlatformStatus?> GetStatusAsync(string platformCaseId, CancellationToken ct)
    {
        using var request = Signed(HttpMethod.Get, $"cases/{Uri.EscapeDataString(platformCaseId)}", [], null);
        var (response, body, _) = await PlatformHttp.SendAsync(_http, request, settings.RequestTimeout, ct).ConfigureAwait(false);
        using (response)
        {
            return StoredText<CaseState>.TryParse(ReadString(body, "status"), out var status) && CaseStates.FromPlatform.Contains(status)
                ? new PlatformStatus(status, ReadString(body, "note")) : null;
        }
    }

    private HttpRequestMessage Signed(HttpMethod method, string path, byte[] body, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(method, PlatformHttp.Combine(settings.Url, path));
        var ts = time.GetUtcNow().ToUnixTimeSeconds();
        if (method != HttpMethod.Get)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        request.Headers.Add(HmacSignature.TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(HmacSignature.SignatureHeader, HmacSignature.Sign(settings.Secret ?? "", ts, body));
        if (idempotencyKey is not null) request.Headers.Add(HmacSignature.IdempotencyHeader, idempotencyKey);
        return request;
    }

    internal static string? ReadString(string? json, string property)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.GetArrayLength() > 0 ? doc.RootElement[0] : doc.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty(property, out var v)
                ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}

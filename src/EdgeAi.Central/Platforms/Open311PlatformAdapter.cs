using EdgeAi.Central.Storage;
using EdgeAi.Central.Configuration;

namespace EdgeAi.Central.Platforms;

/// <summary>
/// Open311 GeoReport v2: <c>POST {url}/requests.json</c> (form: service_code, lat, long, description, media_url,
/// api_key, attribute[edgeai_incident_id]) answered by <c>[{"service_request_id": …}]</c>, or by a <c>token</c>
/// when the server creates requests asynchronously. The incident id also goes as Idempotency-Key (honoured by
/// servers that support it); a token is kept as the case's id (<c>token:…</c>) until status polling resolves it with
/// <c>GET {url}/tokens/{token}.json</c>. Status: <c>GET {url}/requests/{id}.json</c>; GeoReport knows only open and closed,
/// mapped to accepted and resolved. GeoReport has no call for Central's own updates: notifications are recorded only.
/// </summary>
internal sealed class Open311PlatformAdapter(PlatformSettings settings) : IPlatformAdapter, IDisposable
{
    private readonly HttpClient _http = PlatformHttp.CreateClient();

    public async Task<PlatformResult> FileAsync(CaseFiling filing, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("service_code", filing.Category.Code),
            new("lat", filing.Lat.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            new("long", filing.Lon.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
            new("description", filing.Description),
            new("attribute[edgeai_incident_id]", filing.IncidentId),
            new("attribute[edgeai_case_ref]", filing.CaseRef),
        };
        if (filing.Evidence.Count > 0) form.Add(new("media_url", filing.Evidence[0].Url));
        if (filing.Grid is { } grid) form.Add(new("attribute[grid_code]", grid.Code));
        if (filing.Department is { } department) form.Add(new("attribute[department]", department));
        if (filing.Deadline is { } deadline) form.Add(new("attribute[deadline]", deadline.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        if (settings.Open311ApiKey is { } key) form.Add(new("api_key", key));
        using var request = new HttpRequestMessage(HttpMethod.Post, PlatformHttp.Combine(settings.Url, "requests.json")) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(HmacSignature.IdempotencyHeader, filing.IncidentId);
        var (response, body, failure) = await PlatformHttp.SendAsync(_http, request, settings.RequestTimeout, ct).ConfigureAwait(false);
        if (failure is not null) return failure;
        using (response)
        {
            var id = WebhookPlatformAdapter.ReadString(body, "service_request_id");
            if (id is null && WebhookPlatformAdapter.ReadString(body, "token") is { } token) id = "token:" + token;
            return id is null ? PlatformResult.Transient($"POST /requests.json: answer without service_request_id: {body}") : PlatformResult.Success(id);
        }
    }

    public Task<PlatformResult> NotifyAsync(CaseNotification notification, CancellationToken ct) =>
        Task.FromResult(PlatformResult.Success(notification.PlatformCaseId));

    public async Task<PlatformStatus?> GetStatusAsync(string platformCaseId, CancellationToken ct)
    {
        string? resolved = null;
        if (platformCaseId.StartsWith("token:", StringComparison.Ordinal))
        {
            using var lookup = new HttpRequestMessage(HttpMethod.Get, PlatformHttp.Combine(settings.Url, $"tokens/{Uri.EscapeDataString(platformCaseId[6..])}.json"));
            var (tokenResponse, tokenBody, _) = await PlatformHttp.SendAsync(_http, lookup, settings.RequestTimeout, ct).ConfigureAwait(false);
            using (tokenResponse)
            {
                // not yet created on the platform: ask again at the next poll
                if (WebhookPlatformAdapter.ReadString(tokenBody, "service_request_id") is not { Length: > 0 } id) return null;
                platformCaseId = resolved = id;
            }
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, PlatformHttp.Combine(settings.Url, $"requests/{Uri.EscapeDataString(platformCaseId)}.json"));
        var (response, body, _) = await PlatformHttp.SendAsync(_http, request, settings.RequestTimeout, ct).ConfigureAwait(false);
        using (response)
        {
            return WebhookPlatformAdapter.ReadString(body, "status") switch
            {
                "open" => new PlatformStatus(CaseState.Accepted, WebhookPlatformAdapter.ReadString(body, "status_notes"), resolved),
                "closed" => new PlatformStatus(CaseState.Resolved, WebhookPlatformAdapter.ReadString(body, "status_notes"), resolved),
                _ => resolved is null ? null : new PlatformStatus(CaseState.Filed, null, resolved),
            };
        }
    }

    public void Dispose() => _http.Dispose();
}

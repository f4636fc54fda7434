using System.Net.Http.Headers;
using System.Text.Json;
using System.Text;
using EdgeAi.Central.Platforms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.TestPlatform;

/// <summary>
/// A stand-in for the external governance platform, for tests and the demo: accepts cases over the JSON webhook
/// (<c>POST /cases</c>) and Open311 (<c>POST /requests.json</c>), honours Idempotency-Key (one key, one case),
/// verifies signatures, answers status queries, injects faults, moves cases on (by an admin call or by itself)
/// and reports each change to Central's signed callback.
/// Admin: <c>GET /admin/cases</c>, <c>POST /admin/cases/{id}/status</c> {status, note}, <c>POST /admin/faults</c> {fail_next, hang_next_after_commit, hang_s}.
/// </summary>
internal sealed partial class TestPlatformServer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PlatformCase> _byKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PlatformCase> _byId = new(StringComparer.Ordinal);
    private readonly HashSet<string> _notificationKeys = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _background = [];
    private readonly TestPlatformOptions _options;
    private WebApplication? _app;
    private ILogger _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    private int _next;

    public TestPlatformServer(TestPlatformOptions options) => _options = options;

    public PlatformFaults Faults { get; } = new();

    /// <summary>Filing requests received (every attempt, faults included).</summary>
    public int FilingRequests { get; private set; }

    /// <summary>Filing requests answered with an injected HTTP 500.</summary>
    public int FailedRequests { get; private set; }

    public int CallbacksSent { get; private set; }

    /// <summary>Open311 token lookups answered.</summary>
    public int TokenLookups { get; private set; }

    private readonly Dictionary<string, int> _tokenLookups = new(StringComparer.Ordinal);

    public string Url => _options.Listen.TrimEnd('/');

    public IReadOnlyList<PlatformCase> Cases
    {
        get { lock (_lock) return _byId.Values.OrderBy(c => c.CreatedAt).ToList(); }
    }

    public static async Task<TestPlatformServer> StartNewAsync(TestPlatformOptions options, ILoggerProvider? logs = null)
    {
        var server = new TestPlatformServer(options);
        await server.StartAsync(logs).ConfigureAwait(false);
        return server;
    }

    public async Task StartAsync(ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(_options.Listen);
        builder.Logging.ClearProviders();
        if (logs is not null) builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(o => PlatformJson.Configure(o.SerializerOptions));
        var app = builder.Build();
        _logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("TestPlatform");
        Map(app);
        await app.StartAsync().ConfigureAwait(false);
        _app = app;
        if (_options.AutoProgress is { } step) _background.Add(Task.Run(() => AutoProgressAsync(step, _stop.Token)));
        LogStarted(Url);
    }

    private void Map(WebApplication app)
    {
        app.MapPost("/cases", async (HttpRequest request) =>
        {
            var body = await ReadBodyAsync(request);
            if (!Authentic(request, body, out var why)) return Results.Json(new { error = why }, statusCode: 401);
            string? key = request.Headers[HmacSignature.IdempotencyHeader];
            if (string.IsNullOrEmpty(key)) return Results.BadRequest(new { error = "Idempotency-Key required" });
            string caseRef;
            try
            {
                using var doc = JsonDocument.Parse(body);
                caseRef = doc.RootElement.GetProperty("case_ref").GetString() ?? key;
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return Results.BadRequest(new { error = "body must be a case with case_ref" });
            }
            return await FileAsync(key, caseRef, "webhook", Encoding.UTF8.GetString(body), c => Results.Json(
                new { case_id = c.Id, status = c.Status }, statusCode: 201), c => Results.Ok(new { case_id = c.Id, status = c.Status, duplicate = true }));
        });

        app.MapPost("/requests.json", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var key = request.Headers[HmacSignature.IdempotencyHeader].FirstOrDefault() ?? form["attribute[edgeai_incident_id]"].FirstOrDefault();
            if (string.IsNullOrEmpty(key)) return Results.BadRequest(new[] { new { code = 400, description = "no idempotency key" } });
            if (string.IsNullOrEmpty(form["service_code"]) || string.IsNullOrEmpty(form["lat"]) || string.IsNullOrEmpty(form["long"]))
                return Results.BadRequest(new[] { new { code = 400, description = "service_code, lat and long are required" } });
            var text = string.Join("&", form.Select(f => $"{f.Key}={f.Value}"));
            var caseRef = form["attribute[edgeai_case_ref]"].FirstOrDefault() ?? key;
            if (_options.Open311Async)
            {
                return await FileAsync(key, caseRef, "open311", text,
                    c => Results.Json(new[] { new { token = "tok-" + c.Id, service_notice = "queued by the EdgeAi test platform" } }, statusCode: 201),
                    c => Results.Ok(new[] { new { token = "tok-" + c.Id, service_notice = "duplicate" } }));
            }
            return await FileAsync(key, caseRef, "open311", text,
                c => Results.Json(new[] { new { service_request_id = c.Id, service_notice = "accepted by the EdgeAi test platform" } }, statusCode: 201),
                c => Results.Ok(new[] { new { service_request_id = c.Id, service_notice = "duplicate" } }));
        });

        app.MapGet("/tokens/{token}.json", (string token) =>
        {
            lock (_lock)
            {
                if (!token.StartsWith("tok-", StringComparison.Ordinal) || !_byId.TryGetValue(token[4..], out var c)) return Results.NotFound(new[] { new { code = 404, description = "no such token" } });
                TokenLookups++;
                var lookups = _tokenLookups[token] = _tokenLookups.GetValueOrDefault(token) + 1;
                return lookups <= _options.TokenLookupsBeforeId
                    ? Results.Ok(new[] { new { token, service_request_id = (string?)null } })
                    : Results.Ok(new[] { new { token, service_request_id = (string?)c.Id } });
            }
        });

        app.MapGet("/cases/{id}", (string id) =>
        {
            lock (_lock) return _byId.TryGetValue(id, out var c) ? Results.Ok(new { case_id = c.Id, status = c.Status }) : Results.NotFound();
        });

        app.MapGet("/requests/{id}.json", (string id) =>
        {
            lock (_lock)
            {
                if (!_byId.TryGetValue(id, out var c)) return Results.NotFound();
                var closed = c.Status is "resolved" or "closed" or "verified";
                return Results.Ok(new[] { new { service_request_id = c.Id, status = closed ? "closed" : "open", status_notes = c.Status } });
            }
        });

        app.MapPost("/cases/{id}/events", async (HttpRequest request, string id) =>
        {
            var body = await ReadBodyAsync(request);
            if (!Authentic(request, body, out var why)) return Results.Json(new { error = why }, statusCode: 401);
            string status;
            string? note;
            try
            {
                using var doc = JsonDocument.Parse(body);
                status = doc.RootElement.GetProperty("status").GetString() ?? "";
                note = doc.RootElement.TryGetProperty("note", out var n) ? n.GetString() : null;
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return Results.BadRequest(new { error = "body must carry status" });
            }
            PlatformCase? c;
            string? next = null;
            lock (_lock)
            {
                if (!_byId.TryGetValue(id, out c)) return Results.NotFound();
                var key = request.Headers[HmacSignature.IdempotencyHeader].FirstOrDefault() ?? Guid.NewGuid().ToString();
                if (!_notificationKeys.Add(key)) return Results.Ok(new { duplicate = true });
                c.Notifications.Add((status, note, Encoding.UTF8.GetString(body)));
                if (_options.FollowVerification && status == "verified") next = "closed";
                if (_options.FollowVerification && status == "reopened") next = "dispatched";
                if (next is not null)
                {
                    c.Status = next;
                    c.StatusAt = DateTimeOffset.UtcNow;
                }
            }
            LogNotified(id, status);
            if (next is not null) Background(() => CallbackAsync(c, next, $"platform: {status} received", _stop.Token));
            return Results.Ok(new { received = true });
        });

        app.MapGet("/admin/cases", () => Results.Ok(Cases.Select(c => new
        {
            case_id = c.Id, idempotency_key = c.IdempotencyKey, case_ref = c.CaseRef, api = c.Api, status = c.Status, created_at = c.CreatedAt,
            notifications = c.Notifications.Select(n => new { n.Status, n.Note }),
        })));

        app.MapPost("/admin/cases/{id}/status", async (string id, StatusChange change) =>
        {
            var result = await SetStatusAsync(id, change.Status, change.Note, CancellationToken.None, change.Evaluation);
            return result is null ? Results.NotFound() : Results.Ok(new { callback_status = result });
        });

        app.MapPost("/admin/faults", (FaultChange f) =>
        {
            lock (_lock)
            {
                Faults.FailNext = f.FailNext ?? Faults.FailNext;
                Faults.HangNextAfterCommit = f.HangNextAfterCommit ?? Faults.HangNextAfterCommit;
                if (f.HangS is { } s) Faults.HangFor = TimeSpan.FromSeconds(s);
                if (f.FailForS is { } outage) Faults.FailUntil = DateTimeOffset.UtcNow.AddSeconds(outage);
            }
            return Results.Ok();
        });

        app.MapGet("/admin/stats", () => Results.Ok(new { cases = Cases.Count, filing_requests = FilingRequests, callbacks_sent = CallbacksSent }));
    }

    private async Task<IResult> FileAsync(string key, string caseRef, string api, string body, Func<PlatformCase, IResult> created, Func<PlatformCase, IResult> duplicate)
    {
        PlatformCase? c;
        bool isNew, hang = false;
        lock (_lock)
        {
            FilingRequests++;
            if (Faults.FailUntil is { } until && DateTimeOffset.UtcNow < until)
            {
                FailedRequests++;
                LogFault(key, "HTTP 500 (outage)");
                return Results.Json(new { error = "injected outage" }, statusCode: 500);
            }
            if (Faults.FailNext > 0)
            {
                FailedRequests++;
                Faults.FailNext--;
                LogFault(key, "HTTP 500");
                return Results.Json(new { error = "injected failure" }, statusCode: 500);
            }
            isNew = !_byKey.TryGetValue(key, out c);
            if (isNew)
            {
                var now = DateTimeOffset.UtcNow;
                c = new PlatformCase { Id = $"P-{++_next:D6}", IdempotencyKey = key, CaseRef = caseRef, Api = api, Body = body, CreatedAt = now, StatusAt = now };
                _byKey[key] = c;
                _byId[c.Id] = c;
            }
            if (Faults.HangNextAfterCommit > 0)
            {
                Faults.HangNextAfterCommit--;
                hang = true;
            }
        }
        if (isNew) LogFiled(c!.Id, key, api);
        if (hang)
        {
            LogFault(key, $"stored as {c!.Id}, answer held for {Faults.HangFor.TotalSeconds:0.#} s");
            try { await Task.Delay(Faults.HangFor, _stop.Token); }
            catch (OperationCanceledException) { }
        }
        return isNew ? created(c!) : duplicate(c!);
    }

    /// <summary>Sets a case's status and reports it to Central; returns Central's HTTP status (0 when no callback is configured), null when unknown.</summary>
    /// <summary>Sets a case's status and calls Central back, with the platform's evaluation (评价) when given.</summary>
    public async Task<int?> SetStatusAsync(string id, string status, string? note, CancellationToken ct, string? evaluation = null)
    {
        PlatformCase? c;
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out c)) return null;
            c.Status = status;
            c.StatusAt = DateTimeOffset.UtcNow;
        }
        return await CallbackAsync(c, status, note, ct, evaluation).ConfigureAwait(false);
    }

    private async Task<int> CallbackAsync(PlatformCase c, string status, string? note, CancellationToken ct, string? evaluation = null)
    {
        if (_options.CallbackUrl is null) return 0;
        var body = evaluation is null
            ? JsonSerializer.SerializeToUtf8Bytes(new { case_ref = c.CaseRef, platform_case_id = c.Id, status, note }, PlatformJson.Options)
            : JsonSerializer.SerializeToUtf8Bytes(new { case_ref = c.CaseRef, platform_case_id = c.Id, status, note, evaluation }, PlatformJson.Options);
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _options.CallbackUrl) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(HmacSignature.TimestampHeader, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(HmacSignature.SignatureHeader, HmacSignature.Sign(_options.CallbackSecret ?? _options.Secret ?? "", ts, body));
            try
            {
                using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
                CallbacksSent++;
                LogCallback(c.Id, status, (int)response.StatusCode);
                if ((int)response.StatusCode < 500 || attempt >= 5) return (int)response.StatusCode;
            }
            catch (HttpRequestException ex) when (attempt < 5)
            {
                LogCallbackFailed(c.Id, status, ex.Message);
            }
            await Task.Delay(TimeSpan.FromSeconds(attempt), ct).ConfigureAwait(false);
        }
    }

    private async Task AutoProgressAsync(TimeSpan step, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
                List<(PlatformCase Case, string Next)> due = [];
                lock (_lock)
                {
                    var now = DateTimeOffset.UtcNow;
                    foreach (var c in _byId.Values)
                    {
                        var next = c.Status switch { "filed" => "accepted", "accepted" => "dispatched", "dispatched" => "resolved", _ => null };
                        if (next is not null && now - c.StatusAt >= step)
                        {
                            c.Status = next;
                            c.StatusAt = now;
                            due.Add((c, next));
                        }
                    }
                }
                foreach (var (c, next) in due) await CallbackAsync(c, next, $"test platform: {next}", ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void Background(Func<Task> work)
    {
        lock (_background) _background.Add(Task.Run(async () =>
        {
            try { await work().ConfigureAwait(false); }
            catch (OperationCanceledException) { }
            catch (Exception ex) { LogCallbackFailed("?", "?", ex.Message); }
        }));
    }

    private bool Authentic(HttpRequest request, byte[] body, out string? reason)
    {
        reason = null;
        if (_options.Secret is null) return true;
        return HmacSignature.Verify(_options.Secret, request.Headers[HmacSignature.TimestampHeader], request.Headers[HmacSignature.SignatureHeader],
            body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), out reason);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var ms = new MemoryStream();
        await request.Body.CopyToAsync(ms);
        return ms.ToArray();
    }

    /// <summary>Blocks until Ctrl-C or SIGTERM (command-line use).</summary>
    public Task WaitForShutdownAsync() => _app!.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
        Task[] pending;
        lock (_background) pending = [.. _background];
        try { await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException) { }
        _http.Dispose();
        _stop.Dispose();
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Test platform (a stand-in for the external governance platform) listening on {Url}")]
    private partial void LogStarted(string url);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Case {CaseId} created for key {Key} via {Api}")]
    private partial void LogFiled(string caseId, string key, string api);

    [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "Injected fault for key {Key}: {Fault}")]
    private partial void LogFault(string key, string fault);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information, Message = "Case {CaseId}: callback {Status} answered HTTP {Code}")]
    private partial void LogCallback(string caseId, string status, int code);

    [LoggerMessage(EventId = 904, Level = LogLevel.Warning, Message = "Case {CaseId}: callback {Status} failed: {Reason}")]
    private partial void LogCallbackFailed(string caseId, string status, string reason);

    [LoggerMessage(EventId = 905, Level = LogLevel.Information, Message = "Case {CaseId}: Central reports {Status}")]
    private partial void LogNotified(string caseId, string status);
}

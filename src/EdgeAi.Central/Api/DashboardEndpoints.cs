using System.Net.ServerSentEvents;
using System.Reflection;
using System.Runtime.CompilerServices;
using EdgeAi.Central.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Api;

/// <summary>
/// The operator dashboard: static page at <c>/</c> (plain HTML/JS/CSS embedded in the assembly, no build step), its
/// sign-in, the camera tiles at <c>GET /api/v1/dashboard/cameras</c> (also incidents and cases views), and the live
/// stream <c>GET /api/v1/stream</c> (Server-Sent Events: "cameras", "incidents", "cases" events with the whole view as
/// JSON, first a snapshot of each, then each view again when it changes). Everything under /api/v1 needs the bearer
/// token or the dashboard session cookie (<see cref="DashboardSession"/>).
/// </summary>
internal static partial class DashboardEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private static readonly Dictionary<string, string> Assets = new()
    {
        ["/"] = "dashboard/index.html",
        ["/dashboard/app.js"] = "dashboard/app.js",
        ["/dashboard/app.css"] = "dashboard/app.css",
        ["/dashboard/cockpit.js"] = "dashboard/cockpit.js",
        ["/dashboard/echarts.min.js"] = "dashboard/echarts.min.js",   // optional: only when make setup fetched it before the build
    };

    /// <summary>Session authentication next to the bearer token (either satisfies the default policy), the views and the stream.</summary>
    public static IServiceCollection AddCentralDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardSessionKey>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, DashboardSession>(DashboardSession.SchemeName, null);
        services.Configure<AuthorizationOptions>(o => o.DefaultPolicy = new AuthorizationPolicyBuilder(BearerTokenHandler.SchemeName, DashboardSession.SchemeName)
            .RequireAuthenticatedUser().Build());
        services.AddSingleton<DashboardViews>();
        services.AddSingleton<SseDashboardFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<SseDashboardFeed>());
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        foreach (var (path, resource) in Assets)
        {
            if (resource == "dashboard/echarts.min.js" && Assembly.GetExecutingAssembly().GetManifestResourceInfo(resource) is null) continue;
            var body = ReadAsset(resource);
            var type = resource.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8"
                : resource.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
            app.MapGet(path, (HttpContext ctx) =>
            {
                var h = ctx.Response.Headers;
                h.CacheControl = "no-cache";
                h.XContentTypeOptions = "nosniff";
                h.ContentSecurityPolicy = "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
                h["Referrer-Policy"] = "no-referrer";
                return Results.Bytes(body, type);
            }).AllowAnonymous().ExcludeFromDescription();
        }

        app.MapPost("/dashboard/login", async (HttpContext ctx, DashboardSessionKey key, TimeProvider time, ILoggerFactory loggers) =>
        {
            if (!ctx.Request.HasJsonContentType()) return Results.BadRequest(new { error = "send JSON {\"token\": \"...\"}" });
            LoginRequest? form;
            try
            {
                form = await ctx.Request.ReadFromJsonAsync<LoginRequest>(ctx.RequestAborted);
            }
            catch (System.Text.Json.JsonException)
            {
                return Results.BadRequest(new { error = "body is not valid JSON {\"token\": \"...\"}" });
            }
            if (key.Principal(form?.Token) is not { } principal)
            {
                LogLoginRefused(loggers.CreateLogger("EdgeAi.Central.Api.Dashboard"), ctx.Connection.RemoteIpAddress?.ToString() ?? "?");
                return Results.Json(new { error = "wrong API token" }, statusCode: StatusCodes.Status401Unauthorized);
            }
            ctx.Response.Cookies.Append(DashboardSession.CookieName, key.Issue(time.GetUtcNow(), principal), new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = ctx.Request.IsHttps, Path = "/", MaxAge = DashboardSessionKey.Lifetime, IsEssential = true,
            });
            return Results.NoContent();
        }).AllowAnonymous().WithTags("dashboard").WithSummary("Sign in to the dashboard with the API token or an API user's token (JSON {\"token\"}); sets the session cookie.");

        app.MapPost("/dashboard/logout", (HttpContext ctx) =>
        {
            ctx.Response.Cookies.Delete(DashboardSession.CookieName, new CookieOptions { Path = "/" });
            return Results.NoContent();
        }).AllowAnonymous().WithTags("dashboard").WithSummary("Sign out: drops the session cookie.");

        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("dashboard");
        api.MapGet("/dashboard/cameras", async (DashboardViews views, CancellationToken ct) => Results.Ok(await views.CamerasAsync(ct)))
            .WithSummary("One tile per camera in the gateways' latest health (unhealthy first) with its verdict, problems, counters, quality and thumbnail.");
        api.MapGet("/dashboard/incidents", async (DashboardViews views, CancellationToken ct) => Results.Ok(await views.IncidentsAsync(ct)))
            .WithSummary("Recent incidents with a thumbnail and their case.");
        api.MapGet("/dashboard/cases", async (DashboardViews views, CancellationToken ct) => Results.Ok(await views.CasesAsync(ct)))
            .WithSummary("Recent cases with their status timelines.");
        api.MapGet("/stream", (SseDashboardFeed feed, DashboardViews views, HttpContext ctx, CancellationToken ct) =>
        {
            ctx.Response.Headers["X-Accel-Buffering"] = "no";   // a reverse proxy must not buffer the stream
            return TypedResults.ServerSentEvents(StreamAsync(feed, views, ct));
        }).WithSummary("Live dashboard updates (Server-Sent Events): cameras, incidents and cases views, snapshot first, then on change.");
        return app;
    }

    private static async IAsyncEnumerable<SseItem<string>> StreamAsync(SseDashboardFeed feed, DashboardViews views, [EnumeratorCancellation] CancellationToken ct)
    {
        using var subscription = feed.Subscribe();   // before the snapshot, so no change between the two is missed
        yield return SseDashboardFeed.Item(SseDashboardFeed.Cameras, await views.CamerasAsync(ct)) with { ReconnectionInterval = TimeSpan.FromSeconds(3) };
        yield return SseDashboardFeed.Item(SseDashboardFeed.Incidents, await views.IncidentsAsync(ct));
        yield return SseDashboardFeed.Item(SseDashboardFeed.Cases, await views.CasesAsync(ct));
        while (!ct.IsCancellationRequested)
        {
            bool more;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                wait.CancelAfter(Heartbeat);
                try
                {
                    more = await subscription.Reader.WaitToReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    more = true;   // heartbeat: keeps proxies from closing an idle connection and lets the client see it is alive
                }
            }
            if (!more) yield break;   // disconnected by the feed (too slow, or shutting down)
            var any = false;
            while (subscription.Reader.TryRead(out var item))
            {
                any = true;
                yield return item;
            }
            if (!any) yield return new SseItem<string>("{}", "ping");
        }
    }

    private static byte[] ReadAsset(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"dashboard asset '{name}' is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private sealed record LoginRequest(string? Token);

    [LoggerMessage(EventId = 763, Level = LogLevel.Warning, Message = "Dashboard sign-in refused from {Remote}: wrong API token")]
    private static partial void LogLoginRefused(ILogger logger, string remote);
}

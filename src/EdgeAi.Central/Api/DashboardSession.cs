using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text;
using EdgeAi.Central.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeAi.Central.Api;

/// <summary>
/// The dashboard's sign-in: the operator types the API token (or an API user's own token) once (<c>POST /dashboard/login</c>); Central answers with
/// an HttpOnly, SameSite=Strict session cookie that a browser sends by itself on <c>&lt;img&gt;</c> and EventSource
/// requests, which cannot carry an Authorization header. The cookie is "{expiry}.{HMAC-SHA256(key, expiry)}" (API token;
/// principal "dashboard") or "{expiry}~{user}.{HMAC-SHA256(key, expiry~user + the user's token digest)}" with the
/// key derived from the API token: stateless, valid on every Central instance, and void as soon as the API token (or
/// the user's token) is rotated. It authenticates safe (GET/HEAD) requests only, so a cross-site page cannot use it to change anything.
/// </summary>
internal sealed class DashboardSession(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    DashboardSessionKey key,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DashboardSession";
    public const string CookieName = "edgeai_session";

    /// <summary>The header the cockpit sends with its review actions (a cross-site form cannot set it, and Central allows no CORS).</summary>
    public const string ActionHeader = "X-EdgeAi-Dashboard";

    /// <summary>
    /// The only writes a session may make: an operator's review or closure decision (POST /api/v1/cases/{id}/review,
    /// /closure) or a request for on-gateway evidence (POST /api/v1/evidence/{id}/fetch), carrying
    /// <see cref="ActionHeader"/>, so that a cross-site request riding on the cookie cannot make it.
    /// </summary>
    private bool IsReviewAction() =>
        HttpMethods.IsPost(Request.Method) && Request.Headers[ActionHeader] == "1"
        && ((Request.Path.StartsWithSegments("/api/v1/cases", out var rest) && rest.Value is { } r && (r.EndsWith("/review", StringComparison.Ordinal) || r.EndsWith("/closure", StringComparison.Ordinal)) && r.Count(c => c == '/') == 2)
            || (Request.Path.StartsWithSegments("/api/v1/evidence", out var e) && e.Value is { } f && f.EndsWith("/fetch", StringComparison.Ordinal) && f.Count(c => c == '/') == 2));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrEmpty(cookie)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method) && !IsReviewAction()) return Task.FromResult(AuthenticateResult.NoResult());
        if (!key.Verify(cookie, time.GetUtcNow(), out var principal)) return Task.FromResult(AuthenticateResult.Fail("invalid or expired dashboard session"));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, principal)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>Issues and checks dashboard session values; the key is derived from the API token (never stored or logged).</summary>
internal sealed class DashboardSessionKey(CentralOptions central)
{
    /// <summary>How long a sign-in lasts. An operator's shift.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly Evidence.AccessPolicy _access = new(central);
    private readonly byte[] _key = SHA256.HashData(Encoding.UTF8.GetBytes("edgeai-dashboard-session\n" + central.Api.Token));

    /// <summary>True when <paramref name="given"/> is the API token (constant-time comparison of digests).</summary>
    public bool IsToken(string? given) => _access.Authenticate(given) == Evidence.AccessPolicy.ApiPrincipal;

    /// <summary>The session principal for a token: "dashboard" for the API token, the user's name for a user's token; null otherwise.</summary>
    public string? Principal(string? given) => _access.Authenticate(given) switch
    {
        null => null,
        Evidence.AccessPolicy.ApiPrincipal => Evidence.AccessPolicy.DashboardPrincipal,
        var user => user,
    };

    /// <summary>A session value for the API token's holder (<paramref name="user"/> null or "dashboard") or an API user.</summary>
    public string Issue(DateTimeOffset now, string? user = null)
    {
        var expiry = (now + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var subject = user is null or Evidence.AccessPolicy.DashboardPrincipal ? expiry : $"{expiry}~{user}";
        return $"{subject}.{Sign(subject)}";
    }

    public bool Verify(string value, DateTimeOffset now) => Verify(value, now, out _);

    public bool Verify(string value, DateTimeOffset now, out string principal)
    {
        principal = Evidence.AccessPolicy.DashboardPrincipal;
        var dot = value.LastIndexOf('.');
        if (dot <= 0) return false;
        var subject = value[..dot];
        var tilde = subject.IndexOf('~');
        if (!long.TryParse(tilde < 0 ? subject : subject[..tilde], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)) return false;
        if (tilde >= 0)
        {
            principal = subject[(tilde + 1)..];
            if (principal.Length == 0 || _access.UserTokenDigest(principal) is null) return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(subject));
        var given = Encoding.ASCII.GetBytes(value[(dot + 1)..]);
        return CryptographicOperations.FixedTimeEquals(expected, given) && now.ToUnixTimeSeconds() < expiry;
    }

    private string Sign(string subject)
    {
        var tilde = subject.IndexOf('~');
        var data = Encoding.UTF8.GetBytes(subject);
        if (tilde >= 0 && _access.UserTokenDigest(subject[(tilde + 1)..]) is { } digest) data = [.. data, (byte)'\n', .. digest];
        return WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, data));
    }
}

using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using EdgeAi.Central.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeAi.Central.Api;

/// <summary>
/// The dashboard's sign-in: the operator types the API token once (<c>POST /dashboard/login</c>); Central answers with
/// an HttpOnly, SameSite=Strict session cookie that a browser sends by itself on <c>&lt;img&gt;</c> and EventSource
/// requests, which cannot carry an Authorization header. The cookie is "{expiry}.{HMAC-SHA256(key, expiry)}" with the
/// key derived from the API token: stateless, valid on every Central instance, and void as soon as the token is
/// rotated. It authenticates safe (GET/HEAD) requests only, so a cross-site page cannot use it to change anything.
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
    /// The only writes a session may make: an operator's review decision (POST /api/v1/cases/{id}/review) carrying
    /// <see cref="ActionHeader"/>, so that a cross-site request riding on the cookie cannot make it.
    /// </summary>
    private bool IsReviewAction() =>
        HttpMethods.IsPost(Request.Method) && Request.Headers[ActionHeader] == "1"
        && Request.Path.StartsWithSegments("/api/v1/cases", out var rest) && rest.Value is { } r && r.EndsWith("/review", StringComparison.Ordinal) && r.Count(c => c == '/') == 2;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrEmpty(cookie)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!HttpMethods.IsGet(Request.Method) && !HttpMethods.IsHead(Request.Method) && !IsReviewAction()) return Task.FromResult(AuthenticateResult.NoResult());
        if (!key.Verify(cookie, time.GetUtcNow())) return Task.FromResult(AuthenticateResult.Fail("invalid or expired dashboard session"));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "dashboard")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>Issues and checks dashboard session values; the key is derived from the API token (never stored or logged).</summary>
internal sealed class DashboardSessionKey(CentralOptions central)
{
    /// <summary>How long a sign-in lasts. An operator's shift.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private readonly byte[] _token = SHA256.HashData(Encoding.UTF8.GetBytes(central.Api.Token));
    private readonly byte[] _key = SHA256.HashData(Encoding.UTF8.GetBytes("edgeai-dashboard-session\n" + central.Api.Token));

    /// <summary>True when <paramref name="given"/> is the API token (constant-time comparison of digests).</summary>
    public bool IsToken(string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given.Trim())), _token);

    public string Issue(DateTimeOffset now)
    {
        var expiry = (now + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{expiry}.{Sign(expiry)}";
    }

    public bool Verify(string value, DateTimeOffset now)
    {
        var dot = value.IndexOf('.');
        if (dot <= 0 || !long.TryParse(value.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(value[..dot]));
        var given = Encoding.ASCII.GetBytes(value[(dot + 1)..]);
        return CryptographicOperations.FixedTimeEquals(expected, given) && now.ToUnixTimeSeconds() < expiry;
    }

    private string Sign(string expiry) => WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(expiry)));
}

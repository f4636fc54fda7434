using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeAi.Central.Api;

/// <summary>
/// "Authorization: Bearer {token}" against EDGEAI_CENTRAL_API_TOKEN and the API users' tokens (<see cref="Evidence.AccessPolicy"/>),
/// compared in constant time. The principal's name is "api" or the user's. Tokens are never logged; failures are logged without them.
/// </summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    Evidence.AccessPolicy access) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.Fail("not a bearer token"));
        if (access.Authenticate(header["Bearer ".Length..].Trim()) is not { } principal) return Task.FromResult(AuthenticateResult.Fail("invalid token"));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, principal)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

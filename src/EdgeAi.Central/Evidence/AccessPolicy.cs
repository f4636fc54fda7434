using System.Security.Cryptography;
using System.Text;
using EdgeAi.Central.Configuration;

namespace EdgeAi.Central.Evidence;

/// <summary>
/// Central's decision on who is who and who may see unblurred evidence (<see cref="AccessSettings"/>). Principals: "api"
/// (the API token by bearer), "dashboard" (the API token by dashboard session), or an API user's name. Tokens are compared
/// as SHA-256 digests in constant time, every one of them, so timing tells nothing about which matched.
/// </summary>
internal sealed class AccessPolicy
{
    public const string ApiPrincipal = "api";
    public const string DashboardPrincipal = "dashboard";

    private readonly AccessSettings _settings;
    private readonly byte[] _apiDigest;
    private readonly (ApiUser User, byte[] Digest)[] _users;

    public AccessPolicy(CentralOptions options)
    {
        _settings = options.Access;
        _apiDigest = Digest(options.Api.Token);
        _users = options.Access.Users.Select(u => (u, Digest(u.Token))).ToArray();
    }

    private static byte[] Digest(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim()));

    /// <summary>"api" for the API token, the user's name for a user's token, null for anything else.</summary>
    public string? Authenticate(string? token)
    {
        if (string.IsNullOrEmpty(token)) return null;
        var given = Digest(token);
        string? found = CryptographicOperations.FixedTimeEquals(given, _apiDigest) ? ApiPrincipal : null;
        foreach (var (user, digest) in _users)
        {
            if (CryptographicOperations.FixedTimeEquals(given, digest)) found ??= user.Name;
        }
        return found;
    }

    /// <summary>The digest of a user's token (sessions are signed with it, so rotating the token ends them); null when unknown.</summary>
    public byte[]? UserTokenDigest(string name) => _users.FirstOrDefault(u => u.User.Name == name).Digest;

    /// <summary>Whether <paramref name="principal"/> may see unblurred evidence of at least one camera, and of which ("all" or a list).</summary>
    public (bool Allowed, IReadOnlyList<string> Cameras) UnblurredScope(string principal)
    {
        var (permissions, cameras) = principal is ApiPrincipal or DashboardPrincipal
            ? (_settings.ApiTokenPermissions, _settings.ApiTokenCameras)
            : _users.FirstOrDefault(u => u.User.Name == principal).User is { } user ? (user.Permissions, user.Cameras) : ([], []);
        return (permissions.Contains(AccessSettings.Permissions.EvidenceUnblurred), cameras);
    }

    /// <summary>Whether <paramref name="principal"/> may see unblurred evidence of the camera, and why (for the audit and the 403).</summary>
    public (bool Allowed, string Reason) CanSeeUnblurred(string principal, string deviceId, string cameraId)
    {
        IReadOnlyList<string> permissions, cameras;
        if (principal is ApiPrincipal or DashboardPrincipal)
        {
            (permissions, cameras) = (_settings.ApiTokenPermissions, _settings.ApiTokenCameras);
        }
        else if (_users.FirstOrDefault(u => u.User.Name == principal).User is { } user)
        {
            (permissions, cameras) = (user.Permissions, user.Cameras);
        }
        else
        {
            return (false, $"'{principal}' is not a configured API user");
        }
        if (!permissions.Contains(AccessSettings.Permissions.EvidenceUnblurred))
            return (false, $"'{principal}' lacks the {AccessSettings.Permissions.EvidenceUnblurred} permission (access in the config)");
        var camera = $"{deviceId}/{cameraId}";
        if (cameras.Count > 0 && !cameras.Contains(camera))
            return (false, $"'{principal}' may see unblurred evidence of {string.Join(", ", cameras)} only, not {camera}");
        return (true, $"{AccessSettings.Permissions.EvidenceUnblurred}{(cameras.Count > 0 ? " for " + camera : "")}");
    }
}

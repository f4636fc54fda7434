namespace EdgeAi.Central.Configuration;

/// <summary>
/// Who may see what (key <c>access</c>). The API token (EDGEAI_CENTRAL_API_TOKEN) is the operator's; further API users
/// each have a token of their own (from the environment variable their <c>token_env</c> names, never from the file) and
/// permissions. Privacy by default: nobody sees unblurred evidence (an on-gateway clip, a snapshot the gateway sent
/// unblurred) unless given <see cref="Permissions.EvidenceUnblurred"/>, optionally only for some cameras; every request
/// and view of it is audited.
/// </summary>
internal sealed record AccessSettings
{
    /// <summary>Permissions of the API token's holder. Default none.</summary>
    public IReadOnlyList<string> ApiTokenPermissions { get; init; } = [];

    /// <summary>Cameras ("device/camera") the API token's permissions are limited to; empty: all.</summary>
    public IReadOnlyList<string> ApiTokenCameras { get; init; } = [];

    public IReadOnlyList<ApiUser> Users { get; init; } = [];

    /// <summary>How long an authorised request waits for a gateway to send on-device evidence. Default 30 s.</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The names of the permissions Central knows.</summary>
    public static class Permissions
    {
        /// <summary>May request and view evidence that shows people unblurred.</summary>
        public const string EvidenceUnblurred = "evidence_unblurred";

        public static IReadOnlyList<string> All { get; } = [EvidenceUnblurred];
    }
}

/// <summary>An API user: a name (in the audit and on review decisions), a token, permissions and the cameras they apply to (empty: all).</summary>
internal sealed record ApiUser(string Name, string Token, IReadOnlyList<string> Permissions, IReadOnlyList<string> Cameras);

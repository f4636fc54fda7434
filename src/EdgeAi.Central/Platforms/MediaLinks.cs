using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EdgeAi.Central.Configuration;

namespace EdgeAi.Central.Platforms;

/// <summary>
/// Expiring, signed links to evidence images (<c>/media/{id}?exp=…&amp;sig=…</c>) that a platform can fetch
/// without Central's API token. Keyed with the callback secret (or the API token), so every instance signs alike.
/// </summary>
internal sealed class MediaLinks(CentralOptions options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes("edgeai-media:" + (options.Platform.CallbackSecret ?? options.Platform.Secret ?? options.Api.Token));
    private readonly string _base = (options.Api.PublicBaseUrl ?? options.Api.Listen).TrimEnd('/');

    /// <summary>How long a link in a filed case stays valid. Default 30 days.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromDays(30);

    public string BaseUrl => _base;

    public string Create(string evidenceId, DateTimeOffset now)
    {
        var exp = (now + Lifetime).ToUnixTimeSeconds();
        return $"{_base}/media/{Uri.EscapeDataString(evidenceId)}?exp={exp}&sig={Sign(evidenceId, exp)}";
    }

    public bool Verify(string evidenceId, string? exp, string? sig, DateTimeOffset now)
    {
        if (!long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var e) || e < now.ToUnixTimeSeconds() || sig is null) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(evidenceId, e)), Encoding.ASCII.GetBytes(sig));
    }

    private string Sign(string id, long exp) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{id}\n{exp}")))[..32];
}

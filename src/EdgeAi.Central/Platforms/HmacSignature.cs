using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EdgeAi.Central.Platforms;

/// <summary>
/// Request signing shared by outgoing webhooks and incoming callbacks: header <see cref="TimestampHeader"/> holds
/// Unix seconds, <see cref="SignatureHeader"/> holds <c>sha256=</c> + lower-case hex of HMAC-SHA256(secret,
/// "{timestamp}.{body}"). The timestamp bounds replays.
/// </summary>
internal static class HmacSignature
{
    public const string TimestampHeader = "X-EdgeAi-Timestamp";
    public const string SignatureHeader = "X-EdgeAi-Signature";
    public const string IdempotencyHeader = "Idempotency-Key";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));
    }

    /// <summary>Checks the signature in constant time and the timestamp against <paramref name="now"/> ± <paramref name="maxSkew"/>.</summary>
    public static bool Verify(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan maxSkew, out string? reason)
    {
        reason = null;
        if (string.IsNullOrEmpty(timestamp) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts))
        {
            reason = $"missing or invalid {TimestampHeader}";
            return false;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - ts) > maxSkew.TotalSeconds)
        {
            reason = $"{TimestampHeader} too far from now";
            return false;
        }
        if (string.IsNullOrEmpty(signature))
        {
            reason = $"missing {SignatureHeader}";
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, ts, body));
        var given = Encoding.ASCII.GetBytes(signature);
        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            reason = "signature mismatch";
            return false;
        }
        return true;
    }
}

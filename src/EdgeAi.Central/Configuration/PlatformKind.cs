namespace EdgeAi.Central.Configuration;

internal enum PlatformKind
{
    /// <summary>Generic JSON webhook: POST {url}/cases with Idempotency-Key and an HMAC-SHA256 signature.</summary>
    Webhook,

    /// <summary>Open311 GeoReport v2: POST {url}/requests.json.</summary>
    Open311,
}

namespace EdgeAi.Central.Configuration;

/// <summary>REST API (key <c>api</c>). The bearer token comes from EDGEAI_CENTRAL_API_TOKEN and is never logged.</summary>
internal sealed record ApiSettings
{
    /// <summary>Kestrel listen URL. Default http://127.0.0.1:8080.</summary>
    public string Listen { get; init; } = "http://127.0.0.1:8080";

    /// <summary>Base URL the platform uses to reach Central (evidence links in filed cases). Default: <see cref="Listen"/>.</summary>
    public string? PublicBaseUrl { get; init; }

    public required string Token { get; init; }

    /// <summary>Largest accepted request body. Default 1 MiB.</summary>
    public long MaxRequestBytes { get; init; } = 1 << 20;
}

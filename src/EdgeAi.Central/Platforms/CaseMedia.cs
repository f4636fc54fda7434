namespace EdgeAi.Central.Platforms;

/// <summary>An evidence image with a signed, expiring URL the platform can fetch without a token.</summary>
internal sealed record CaseMedia(string Id, string Url, string Sha256, string ContentType);

namespace EdgeAi.Central.Platforms;

/// <summary>
/// Evidence with a signed, expiring URL the platform can fetch without a token: a picture (snapshot, crop, after) or an
/// attached, blurred clip. Never an unblurred or on-gateway blob (<see cref="Cases.FilingBuilder.ForPlatform"/>).
/// </summary>
/// <param name="Kind">snapshot, crop, clip or after; "before" marks the incident's snapshot sent back with an after-picture.</param>
internal sealed record CaseMedia(string Id, string Url, string Sha256, string ContentType, string? Kind = null);

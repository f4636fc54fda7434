namespace EdgeAi.Central.Platforms;

/// <summary>A case state reported by the platform (one of <c>CaseStates.FromPlatform</c>) and its note.</summary>
internal sealed record PlatformStatus(string State, string? Note);

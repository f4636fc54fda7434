using EdgeAi.Central.Storage;

namespace EdgeAi.Central.Platforms;

/// <summary>
/// A case state reported by the platform (one of <see cref="CaseStates.FromPlatform"/>) and its note; with the platform's
/// case id when it differs from the one Central holds (an Open311 token resolved to its service request id).
/// </summary>
internal sealed record PlatformStatus(CaseState State, string? Note, string? PlatformCaseId = null);

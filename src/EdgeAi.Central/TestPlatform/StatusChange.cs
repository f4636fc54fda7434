namespace EdgeAi.Central.TestPlatform;

/// <summary>Body of <c>POST /admin/cases/{id}/status</c>.</summary>
internal sealed record StatusChange(string Status, string? Note, string? Evaluation = null);

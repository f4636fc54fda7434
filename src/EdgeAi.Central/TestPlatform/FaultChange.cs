namespace EdgeAi.Central.TestPlatform;

/// <summary>Body of <c>POST /admin/faults</c>; absent fields stay as they are.</summary>
internal sealed record FaultChange(int? FailNext, int? HangNextAfterCommit, double? HangS);

namespace EdgeAi.Central.TestPlatform;

/// <summary>Body of <c>POST /admin/faults</c>; absent fields stay as they are.</summary>
/// <c>fail_for_s</c>: answer every filing request with HTTP 500 for this many seconds from now.
internal sealed record FaultChange(int? FailNext, int? HangNextAfterCommit, double? HangS, double? FailForS = null);

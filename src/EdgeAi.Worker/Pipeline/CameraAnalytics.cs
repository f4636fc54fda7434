namespace EdgeAi.Worker.Pipeline;

/// <summary>
/// What happens to a camera's analysed frames (tracking, scenario rules, evidence, outbox). Called from the
/// camera's own analytics loop, one frame at a time, so implementations keep per-camera state without locks.
/// The implementation owns <see cref="AnalysedFrame.Frame"/> and must release it.
/// </summary>
public interface ICameraAnalytics
{
    ValueTask ProcessAsync(AnalysedFrame frame, CancellationToken ct);

    /// <summary>Called once after the last frame (drain): end open episodes, flush.</summary>
    ValueTask CompleteAsync(CancellationToken ct);
}

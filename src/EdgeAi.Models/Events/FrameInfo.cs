namespace EdgeAi.Models.Events;

/// <summary>The analysed frame.</summary>
/// <param name="Time">Capture time of the analysed frame (UTC).</param>
/// <param name="Width">Source frame width in pixels (1..16384).</param>
/// <param name="Height">Source frame height in pixels (1..16384).</param>
public sealed record FrameInfo(DateTimeOffset Time, int Width, int Height);

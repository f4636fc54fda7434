using EdgeAi.Models.Devices;

namespace EdgeAi.Worker.Quality;

/// <summary>The diagnosis of one analysed frame: the raised flags (<see cref="QualityFlagNames"/>) and the measurements behind them.</summary>
public sealed record QualityReport(IReadOnlyList<string> Flags, CameraQuality Measurements, DateTimeOffset At);

namespace EdgeAi.Models.Events;

/// <summary>A scenario rule as evaluated.</summary>
/// <param name="Name">Rule name, e.g. crowding.min_persons.</param>
/// <param name="Parameters">Thresholds as configured, e.g. min_persons=8, min_duration_s=20 (at most 32 entries).</param>
/// <param name="Measured">Values that met them, e.g. persons=11, duration_s=23.5 (at most 32 entries).</param>
public sealed record RuleEvaluation(string Name, IReadOnlyDictionary<string, double> Parameters, IReadOnlyDictionary<string, double> Measured);

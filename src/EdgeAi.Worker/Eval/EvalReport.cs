using System.Text.Json.Serialization;

namespace EdgeAi.Worker.Eval;

/// <summary>
/// The eval result as written by <c>edgeai eval --json</c>. Stable by design: no wall-clock times, run durations,
/// absolute paths or episode ids (random), scenarios in a fixed order, clips by name, numbers rounded; re-running on
/// the same clips and model gives the same file unless a detection changes. <see cref="Schema"/> names the format.
/// </summary>
internal sealed record EvalReport(
    string Schema,
    EvalModelInfo Model,
    EvalSettings Settings,
    IReadOnlyList<ScenarioMetrics> Scenarios,
    ScenarioMetrics Overall,
    IReadOnlyList<ClipReport> Clips)
{
    public const string SchemaName = "edgeai.eval/1";
}

internal sealed record EvalModelInfo(string Name, string Version, string Sha256);

/// <param name="Decode">How frames were sampled: "keyframes" (one analysed frame per GOP, the worker default).</param>
internal sealed record EvalSettings(string Decode, double MatchToleranceS, int Clips);

/// <summary>Incident-level scores of one scenario over all clips (false positives count wherever they fired).</summary>
/// <param name="Precision">TP / (TP + FP); null without any episode. Duplicates are reported apart, not in it.</param>
/// <param name="Recall">TP / GT incidents; null without any incident.</param>
internal sealed record ScenarioMetrics(
    string Scenario,
    int GtIncidents,
    [property: JsonPropertyName("tp")] int TruePositives,
    [property: JsonPropertyName("fp")] int FalsePositives,
    [property: JsonPropertyName("fn")] int FalseNegatives,
    int Duplicates,
    double? Precision,
    double? Recall,
    [property: JsonPropertyName("ttd_mean_s")] double? MeanTimeToDetectS,
    [property: JsonPropertyName("ttd_max_s")] double? MaxTimeToDetectS);

/// <param name="Error">Why the clip was not fully analysed; null when it was.</param>
internal sealed record ClipReport(
    string Name,
    string Scenario,
    string? Variant,
    double DurationS,
    string ClockStart,
    long FramesAnalysed,
    long ExpectedFrames,
    string? Error,
    IReadOnlyList<IncidentReport> Incidents,
    IReadOnlyList<EpisodeReport> Episodes);

/// <param name="DetectedS">Start of its first episode (video seconds); null when missed.</param>
/// <param name="Episodes">Episodes matched to it: 1 is right, more means it was split.</param>
internal sealed record IncidentReport(
    string Scenario,
    string Zone,
    double StartS,
    double EndS,
    string? Note,
    bool Detected,
    double? DetectedS,
    [property: JsonPropertyName("ttd_s")] double? TimeToDetectS,
    int Episodes);

/// <param name="Outcome">"tp", "duplicate" or "fp".</param>
/// <param name="Incident">Index into the clip's incidents of the one it matched; null for a false positive.</param>
internal sealed record EpisodeReport(string Scenario, string Zone, double StartS, double EndS, bool OpenAtEnd, string Outcome, int? Incident);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(EvalReport))]
internal sealed partial class EvalReportJsonContext : JsonSerializerContext;

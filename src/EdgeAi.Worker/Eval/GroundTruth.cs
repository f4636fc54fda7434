using System.Text.Json.Serialization;

namespace EdgeAi.Worker.Eval;

/// <summary>
/// The header of a scene generator ground-truth file (<c>NAME.gt.json</c>, format in models/README.md): what the
/// eval needs to configure the worker for the clip and to score it. The per-frame boxes are not read.
/// Field names are the file's (snake_case).
/// </summary>
internal sealed record GroundTruth
{
    public string Name { get; init; } = "";

    public string Scenario { get; init; } = "";

    public string? Variant { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public double Fps { get; init; }

    /// <summary>Frames per key frame; the worker's default key-frame decode analyses one frame per GOP.</summary>
    public int? Gop { get; init; }

    public double DurationS { get; init; }

    /// <summary>Local time of the clip's first frame, with its offset; scene time = this + video time.</summary>
    public DateTimeOffset? ClockStart { get; init; }

    /// <summary>Only for illegal fishing clips.</summary>
    public GtBanSchedule? BanSchedule { get; init; }

    /// <summary>Only for crowding clips: the thresholds the incidents were computed with.</summary>
    public GtCrowdingRule? Rule { get; init; }

    public IReadOnlyList<GtZone>? Zones { get; init; }

    public IReadOnlyList<GtIncident>? Incidents { get; init; }
}

/// <param name="Polygon">Normalised [x, y] points.</param>
/// <param name="AreaM2">Left out for zones that reach the horizon.</param>
internal sealed record GtZone(string Id, string Type, IReadOnlyList<double[]> Polygon, double? AreaM2 = null);

/// <summary>One true incident: <paramref name="StartS"/>..<paramref name="EndS"/> seconds of video time.</summary>
internal sealed record GtIncident(string Scenario, string Zone, double StartS, double EndS, string? Note = null);

/// <param name="DateRanges">Pairs ["MM-DD", "MM-DD"].</param>
/// <param name="Daily">Pairs ["HH:mm", "HH:mm"].</param>
/// <param name="Tz">IANA time zone.</param>
internal sealed record GtBanSchedule(IReadOnlyList<string[]>? DateRanges, IReadOnlyList<string[]>? Daily, string? Tz);

internal sealed record GtCrowdingRule(string? Zone, int? MinPersons, double? MinDurationS);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip)]
[JsonSerializable(typeof(GroundTruth))]
internal sealed partial class GroundTruthJsonContext : JsonSerializerContext;

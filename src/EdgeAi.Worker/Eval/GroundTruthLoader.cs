using System.Text.Json;
using WireScenarios = EdgeAi.Models.Events.Scenarios;

namespace EdgeAi.Worker.Eval;

/// <summary>Finds clips with their ground truth in a folder and reads the GT files, rejecting bad ones with every problem named.</summary>
internal static class GroundTruthLoader
{
    public const string GtSuffix = ".gt.json";
    public const string VideoSuffix = ".mp4";

    /// <summary>
    /// Every <c>NAME.gt.json</c> in <paramref name="folder"/> with its <c>NAME.mp4</c>, ordered by name. A GT file
    /// without its video, or an unreadable GT file, is an error; videos without GT are returned in
    /// <paramref name="skipped"/> (not every clip in a folder has to be scored).
    /// </summary>
    public static IReadOnlyList<EvalClip> Discover(string folder, out IReadOnlyList<string> skipped)
    {
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full)) throw new EvalInputException($"{full}: clip folder not found");
        var clips = new List<EvalClip>();
        var errors = new List<string>();
        foreach (var gt in Directory.EnumerateFiles(full, "*" + GtSuffix).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(gt)[..^GtSuffix.Length];
            var video = Path.Combine(full, name + VideoSuffix);
            if (!File.Exists(video))
            {
                errors.Add($"{gt}: video {name}{VideoSuffix} not found beside it");
                continue;
            }
            try
            {
                clips.Add(new EvalClip(name, video, gt, Load(gt)));
            }
            catch (EvalInputException ex)
            {
                errors.Add(ex.Message);
            }
        }
        if (errors.Count > 0) throw new EvalInputException(string.Join(Environment.NewLine, errors));
        skipped = Directory.EnumerateFiles(full, "*" + VideoSuffix)
            .Where(v => !File.Exists(v[..^VideoSuffix.Length] + GtSuffix)).Order(StringComparer.Ordinal).ToList();
        if (clips.Count == 0) throw new EvalInputException($"{full}: no clips with ground truth (*{GtSuffix} beside *{VideoSuffix})");
        return clips;
    }

    /// <summary>Reads and checks one GT file; throws <see cref="EvalInputException"/> listing every problem as "file: key: reason".</summary>
    public static GroundTruth Load(string path)
    {
        GroundTruth? gt;
        try
        {
            using var stream = File.OpenRead(path);
            gt = JsonSerializer.Deserialize(stream, GroundTruthJsonContext.Default.GroundTruth);
        }
        catch (JsonException ex)
        {
            throw new EvalInputException($"{path}: {(ex.Path is { } p ? p + ": " : "")}not valid ground truth: {ex.Message}");
        }
        catch (IOException ex)
        {
            throw new EvalInputException($"{path}: cannot read: {ex.Message}");
        }
        if (gt is null) throw new EvalInputException($"{path}: empty ground truth");
        var errors = Validate(gt);
        if (errors.Count > 0) throw new EvalInputException(string.Join(Environment.NewLine, errors.Select(e => $"{path}: {e}")));
        return gt;
    }

    /// <summary>Every problem as "key: reason" (empty when usable).</summary>
    public static IReadOnlyList<string> Validate(GroundTruth gt)
    {
        var errors = new List<string>();
        if (gt.ClockStart is null) errors.Add("clock_start: is required (scene time of the first frame)");
        if (!(gt.DurationS > 0)) errors.Add($"duration_s: must be positive (was {gt.DurationS})");
        var zones = gt.Zones ?? [];
        if (zones.Count == 0) errors.Add("zones: at least one zone is required");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < zones.Count; i++)
        {
            var z = zones[i];
            if (string.IsNullOrEmpty(z.Id)) errors.Add($"zones[{i}].id: is required");
            else if (!ids.Add(z.Id)) errors.Add($"zones[{i}].id: duplicate zone id '{z.Id}'");
            if (z.Polygon is null || z.Polygon.Count < 3) errors.Add($"zones[{i}].polygon: needs at least 3 points");
        }
        var incidents = gt.Incidents ?? [];
        for (var i = 0; i < incidents.Count; i++)
        {
            var inc = incidents[i];
            if (!WireScenarios.IsKnown(inc.Scenario)) errors.Add($"incidents[{i}].scenario: '{inc.Scenario}' is not one of {string.Join(", ", WireScenarios.All)}");
            if (!ids.Contains(inc.Zone ?? "")) errors.Add($"incidents[{i}].zone: '{inc.Zone}' is not a zone of this clip");
            if (!(inc.EndS >= inc.StartS) || inc.StartS < 0) errors.Add($"incidents[{i}]: start_s {inc.StartS} .. end_s {inc.EndS} is not a time range");
        }
        if (gt.BanSchedule is { } ban)
        {
            foreach (var (pairs, key) in new[] { (ban.DateRanges, "date_ranges"), (ban.Daily, "daily") })
                for (var i = 0; i < (pairs?.Count ?? 0); i++)
                    if (pairs![i] is not { Length: 2 }) errors.Add($"ban_schedule.{key}[{i}]: must be a pair [from, to]");
        }
        return errors;
    }
}

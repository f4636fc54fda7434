namespace EdgeAi.Worker.Scenarios;

/// <summary>Checks a <see cref="ScenarioConfig"/> and reports every problem at once, each with its key path.</summary>
public static class ScenarioConfigValidator
{
    /// <summary>Most zones per camera (membership is a 64-bit mask per object).</summary>
    public const int MaxZones = 64;

    /// <summary>
    /// Returns all errors (empty when valid) as "path: problem", e.g.
    /// <c>cameras[2].zones[0].polygon: needs at least 3 points</c> for <paramref name="path"/> = "cameras[2]".
    /// </summary>
    public static IReadOnlyList<string> Validate(ScenarioConfig config, string path = "")
    {
        ArgumentNullException.ThrowIfNull(config);
        var p = path.Length == 0 ? "" : path + ".";
        var errors = new List<string>();
        var zones = config.Zones ?? [];
        if (zones.Count > MaxZones) errors.Add($"{p}zones: at most {MaxZones} zones per camera (has {zones.Count})");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < zones.Count; i++)
        {
            var zp = $"{p}zones[{i}]";
            var z = zones[i];
            if (z is null) { errors.Add($"{zp}: is empty"); continue; }
            ValidateZone(z, zp, errors);
            if (!string.IsNullOrEmpty(z.Id) && !ids.Add(z.Id)) errors.Add($"{zp}.id: duplicate zone id '{z.Id}'");
            if (z.Litter is not null) ValidateLitter(z.Litter, $"{zp}.litter", null, errors);
            if (z.RoadCollapse is not null) ValidateRoadCollapse(z.RoadCollapse, $"{zp}.roadCollapse", null, errors);
            if (z.IllegalFishing is not null) ValidateFishing(z.IllegalFishing, $"{zp}.illegalFishing", null, errors);
            if (z.Crowding is not null) ValidateCrowding(z.Crowding, $"{zp}.crowding", null, errors);
        }
        ValidateLitter(config.Litter, $"{p}litter", ids, errors);
        ValidateRoadCollapse(config.RoadCollapse, $"{p}roadCollapse", ids, errors);
        ValidateFishing(config.IllegalFishing, $"{p}illegalFishing", ids, errors);
        ValidateCrowding(config.Crowding, $"{p}crowding", ids, errors);
        return errors;
    }

    private static void ValidateZone(ZoneConfig z, string zp, List<string> errors)
    {
        if (string.IsNullOrEmpty(z.Id)) errors.Add($"{zp}.id: is required");
        else if (!IsValidId(z.Id)) errors.Add($"{zp}.id: '{z.Id}' must be 1-64 characters of A-Z a-z 0-9 . _ -");
        if (string.IsNullOrEmpty(z.Type)) errors.Add($"{zp}.type: is required (one of {string.Join(", ", ZoneTypes.All)})");
        else if (!ZoneTypes.IsKnown(z.Type)) errors.Add($"{zp}.type: unknown zone type '{z.Type}' (one of {string.Join(", ", ZoneTypes.All)})");
        if (z.AreaM2 is { } area && !(double.IsFinite(area) && area > 0)) errors.Add($"{zp}.areaM2: must be a positive number of square metres (was {area})");
        var poly = z.Polygon ?? [];
        if (poly.Count < 3) { errors.Add($"{zp}.polygon: needs at least 3 points (has {poly.Count})"); return; }
        var pointsOk = true;
        for (var k = 0; k < poly.Count; k++)
        {
            var pt = poly[k];
            if (pt is null || pt.Length != 2)
            {
                errors.Add($"{zp}.polygon[{k}]: must be [x, y] (has {pt?.Length ?? 0} numbers)");
                pointsOk = false;
                continue;
            }
            for (var c = 0; c < 2; c++)
                if (!(pt[c] >= 0 && pt[c] <= 1))
                {
                    errors.Add($"{zp}.polygon[{k}][{c}]: {(c == 0 ? "x" : "y")} = {pt[c]} is outside 0..1 (coordinates are normalised to the frame)");
                    pointsOk = false;
                }
        }
        if (!pointsOk) return;
        double twiceArea = 0;
        for (int k = 0, j = poly.Count - 1; k < poly.Count; j = k++)
            twiceArea += poly[j][0] * poly[k][1] - poly[k][0] * poly[j][1];
        if (Math.Abs(twiceArea) < 1e-9) errors.Add($"{zp}.polygon: has zero area (points are collinear or repeated)");
    }

    private static void ValidateCommon(RuleConfig r, string rp, HashSet<string>? zoneIds, List<string> errors)
    {
        if (r.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > 64)) errors.Add($"{rp}.name: must be 1-64 characters when set");
        if (!(r.MinConfidence >= 0 && r.MinConfidence <= 1)) errors.Add($"{rp}.minConfidence: must be within 0..1 (was {r.MinConfidence})");
        Duration(r.GracePeriod, $"{rp}.gracePeriod", OneDay, errors);
        Duration(r.Cooldown, $"{rp}.cooldown", OneWeek, errors);
        if (r.MaxFrameGap < TimeSpan.FromSeconds(1) || r.MaxFrameGap > TimeSpan.FromHours(1))
            errors.Add($"{rp}.maxFrameGap: {r.MaxFrameGap} must be between 00:00:01 and 01:00:00");
        if (r.UpdateInterval <= TimeSpan.Zero) errors.Add($"{rp}.updateInterval: must be positive (was {r.UpdateInterval})");
        else Duration(r.UpdateInterval, $"{rp}.updateInterval", OneDay, errors);
        var types = r.ZoneTypes ?? [];
        for (var i = 0; i < types.Count; i++)
            if (!ZoneTypes.IsKnown(types[i])) errors.Add($"{rp}.zoneTypes[{i}]: unknown zone type '{types[i]}' (one of {string.Join(", ", ZoneTypes.All)})");
        var zones = r.Zones ?? [];
        if (zoneIds is null && zones.Count > 0) errors.Add($"{rp}.zones: not allowed inside a zone (the rule already applies to that zone)");
        else if (zoneIds is not null)
            for (var i = 0; i < zones.Count; i++)
                if (!zoneIds.Contains(zones[i])) errors.Add($"{rp}.zones[{i}]: no zone with id '{zones[i]}'");
    }

    private static void ValidateClasses(IReadOnlyList<string>? classes, string key, bool allowEmpty, List<string> errors)
    {
        if (classes is null || classes.Count == 0)
        {
            if (!allowEmpty) errors.Add($"{key}: needs at least one class label");
            return;
        }
        for (var i = 0; i < classes.Count; i++)
            if (string.IsNullOrWhiteSpace(classes[i])) errors.Add($"{key}[{i}]: class label must not be blank");
    }

    private static void ValidateLitter(LitterRuleConfig? r, string rp, HashSet<string>? zoneIds, List<string> errors)
    {
        if (r is null) return;
        ValidateCommon(r, rp, zoneIds, errors);
        ValidateClasses(r.Classes, $"{rp}.classes", false, errors);
        ValidateClasses(r.PersonClasses, $"{rp}.personClasses", true, errors);
        Duration(r.MinStationary, $"{rp}.minStationary", OneDay, errors);
        Duration(r.SceneWarmup, $"{rp}.sceneWarmup", OneDay, errors);
        if (!(r.StationaryTolerance > 0)) errors.Add($"{rp}.stationaryTolerance: must be positive (box sizes; was {r.StationaryTolerance})");
        if (!(r.MovingPersonDisplacement > 0)) errors.Add($"{rp}.movingPersonDisplacement: must be positive (box sizes; was {r.MovingPersonDisplacement})");
    }

    private static void ValidateRoadCollapse(RoadCollapseRuleConfig? r, string rp, HashSet<string>? zoneIds, List<string> errors)
    {
        if (r is null) return;
        ValidateCommon(r, rp, zoneIds, errors);
        ValidateClasses(r.Classes, $"{rp}.classes", false, errors);
        if (r.MinFrames < 1) errors.Add($"{rp}.minFrames: must be at least 1 (was {r.MinFrames})");
    }

    private static void ValidateFishing(IllegalFishingRuleConfig? r, string rp, HashSet<string>? zoneIds, List<string> errors)
    {
        if (r is null) return;
        ValidateCommon(r, rp, zoneIds, errors);
        ValidateClasses(r.PersonClasses, $"{rp}.personClasses", false, errors);
        ValidateClasses(r.GearClasses, $"{rp}.gearClasses", false, errors);
        ValidateClasses(r.BoatClasses, $"{rp}.boatClasses", true, errors);
        if (!(r.GearMinConfidence >= 0 && r.GearMinConfidence <= 1)) errors.Add($"{rp}.gearMinConfidence: must be within 0..1 (was {r.GearMinConfidence})");
        if (!(r.GearProximity >= 0 && r.GearProximity <= 5)) errors.Add($"{rp}.gearProximity: must be within 0..5 person heights (was {r.GearProximity})");
        Duration(r.MinDuration, $"{rp}.minDuration", OneDay, errors);
        if (r.BanSchedule is null) errors.Add($"{rp}.banSchedule: is required");
        else BanSchedule.Parse(r.BanSchedule, $"{rp}.banSchedule", errors);
    }

    private static void ValidateCrowding(CrowdingRuleConfig? r, string rp, HashSet<string>? zoneIds, List<string> errors)
    {
        if (r is null) return;
        ValidateCommon(r, rp, zoneIds, errors);
        ValidateClasses(r.PersonClasses, $"{rp}.personClasses", false, errors);
        if (r.MinPersons < 1) errors.Add($"{rp}.minPersons: must be at least 1 (was {r.MinPersons})");
        Duration(r.MinDuration, $"{rp}.minDuration", OneDay, errors);
        if (r.MaxDensity is { } d && !(double.IsFinite(d) && d > 0)) errors.Add($"{rp}.maxDensity: must be a positive number of persons per m² (was {d})");
    }

    /// <summary>
    /// Checks every class a rule names against the labels of the camera's model: a class the model does not have can never
    /// be detected, so the rule would never fire and nobody would be told. Returns "path: problem" like
    /// <see cref="Validate"/>, with the closest label as a suggestion. A rule's default class list is accepted as long as the
    /// model has one of its classes (the defaults name several models' spellings). Only rules that watch a zone are checked.
    /// </summary>
    public static IReadOnlyList<string> ValidateClasses(ScenarioConfig config, IReadOnlyList<string> labels, string modelId, string path = "") =>
        ValidateClasses(config, _ => (labels, modelId), path);

    /// <summary>
    /// As <see cref="ValidateClasses(ScenarioConfig, IReadOnlyList{string}, string, string)"/>, each rule against the labels of
    /// the model(s) it uses (<see cref="RuleConfig.Models"/>, after their class maps); <paramref name="labelsFor"/> returns
    /// null for a rule whose models are unknown (reported elsewhere).
    /// </summary>
    public static IReadOnlyList<string> ValidateClasses(ScenarioConfig config, Func<RuleConfig, (IReadOnlyList<string> Labels, string ModelId)?> labelsFor, string path = "")
    {
        ArgumentNullException.ThrowIfNull(config);
        var p = path.Length == 0 ? "" : path + ".";
        var errors = new List<string>();
        IReadOnlyList<string> labels = [];
        var modelId = "";
        var known = new HashSet<string>(StringComparer.Ordinal);
        bool Use(RuleConfig rule)
        {
            if (labelsFor(rule) is not { } l) return false;
            (labels, modelId) = l;
            known = new HashSet<string>(labels, StringComparer.Ordinal);
            return true;
        }
        void Check(IReadOnlyList<string>? classes, IReadOnlyList<string> defaults, string key)
        {
            if (classes is null || classes.Count == 0) return;
            var anyKnown = classes.Any(known.Contains);
            if (anyKnown && classes.SequenceEqual(defaults)) return;
            for (var i = 0; i < classes.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(classes[i]) || known.Contains(classes[i])) continue;
                var hint = Closest(classes[i], labels) is { } c ? $" (did you mean '{c}'?)" : "";
                errors.Add($"{key}[{i}]: '{classes[i]}' is not a class of model '{modelId}'{hint}; the rule can never see it ({labels.Count} labels: {Shorten(labels)})");
            }
        }
        // Only rules that apply to at least one zone of this camera (as ScenarioEngine decides it): a rule that watches no
        // zone cannot fire whatever its classes, and the built-in defaults are on for every camera.
        var zones = config.Zones ?? [];
        var checkedRules = new HashSet<RuleConfig>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < zones.Count; i++)
        {
            if (zones[i] is not { } z) continue;
            var zp = $"{p}zones[{i}].";
            if (Applies(config.Litter, z.Litter, z) is LitterRuleConfig l && checkedRules.Add(l) && Use(l))
            {
                var rp = ReferenceEquals(l, z.Litter) ? zp : p;
                Check(l.Classes, LitterDefaults.Classes, $"{rp}litter.classes");
                Check(l.PersonClasses, LitterDefaults.PersonClasses, $"{rp}litter.personClasses");
            }
            if (Applies(config.RoadCollapse, z.RoadCollapse, z) is RoadCollapseRuleConfig r && checkedRules.Add(r) && Use(r))
                Check(r.Classes, RoadDefaults.Classes, $"{(ReferenceEquals(r, z.RoadCollapse) ? zp : p)}roadCollapse.classes");
            if (Applies(config.IllegalFishing, z.IllegalFishing, z) is IllegalFishingRuleConfig f && checkedRules.Add(f) && Use(f))
            {
                var rp = ReferenceEquals(f, z.IllegalFishing) ? zp : p;
                Check(f.PersonClasses, FishingDefaults.PersonClasses, $"{rp}illegalFishing.personClasses");
                Check(f.GearClasses, FishingDefaults.GearClasses, $"{rp}illegalFishing.gearClasses");
                Check(f.BoatClasses, FishingDefaults.BoatClasses, $"{rp}illegalFishing.boatClasses");
            }
            if (Applies(config.Crowding, z.Crowding, z) is CrowdingRuleConfig c && checkedRules.Add(c) && Use(c))
                Check(c.PersonClasses, CrowdingDefaults.PersonClasses, $"{(ReferenceEquals(c, z.Crowding) ? zp : p)}crowding.personClasses");
        }
        return errors;
    }

    /// <summary>
    /// The enabled rules that watch at least one zone of the camera (as <see cref="ScenarioEngine"/> decides it), each once,
    /// with its config path ("litter", "zones[2].crowding"): the rules whose models a frame must run.
    /// </summary>
    public static IEnumerable<(string Path, RuleConfig Rule)> ActiveRules(ScenarioConfig config)
    {
        var zones = config.Zones ?? [];
        var seen = new HashSet<RuleConfig>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < zones.Count; i++)
        {
            if (zones[i] is not { } z) continue;
            foreach (var (name, camera, own) in new (string, RuleConfig?, RuleConfig?)[]
                     { ("litter", config.Litter, z.Litter), ("roadCollapse", config.RoadCollapse, z.RoadCollapse),
                       ("illegalFishing", config.IllegalFishing, z.IllegalFishing), ("crowding", config.Crowding, z.Crowding) })
            {
                if (Applies(camera, own, z) is { } rule && seen.Add(rule))
                    yield return (ReferenceEquals(rule, own) ? $"zones[{i}].{name}" : name, rule);
            }
        }
    }

    /// <summary>The zone's own rule if it has one (enabled or not), else the camera's when it targets this zone (as ScenarioEngine).</summary>
    private static RuleConfig? Applies(RuleConfig? camera, RuleConfig? zoneOverride, ZoneConfig zone)
    {
        if (zoneOverride is not null) return zoneOverride.Enabled ? zoneOverride : null;
        if (camera is null || !camera.Enabled) return null;
        var targeted = camera.Zones is { Count: > 0 } ids ? ids.Contains(zone.Id) : camera.ZoneTypes?.Contains(zone.Type) == true;
        return targeted ? camera : null;
    }

    private static readonly LitterRuleConfig LitterDefaults = new();
    private static readonly RoadCollapseRuleConfig RoadDefaults = new();
    private static readonly IllegalFishingRuleConfig FishingDefaults = new();
    private static readonly CrowdingRuleConfig CrowdingDefaults = new();

    private static string Shorten(IReadOnlyList<string> labels) =>
        labels.Count <= 10 ? string.Join(", ", labels) : string.Join(", ", labels.Take(8)) + ", …";

    /// <summary>The label closest to <paramref name="name"/> (case, plural, a typo or two), or null when none is close.</summary>
    internal static string? Closest(string name, IReadOnlyList<string> labels)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var l in labels)
        {
            var d = EdgeAi.Configuration.ConfigShapeChecker.Levenshtein(name.ToLowerInvariant().Replace(' ', '_'), l.ToLowerInvariant().Replace(' ', '_'));
            if (d < bestDistance) (best, bestDistance) = (l, d);
        }
        return bestDistance <= Math.Max(1, name.Length / 4) ? best : null;
    }

    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);
    private static readonly TimeSpan OneWeek = TimeSpan.FromDays(7);

    /// <summary>Non-negative and at most <paramref name="max"/>: "20" in config is 20 days for TimeSpan, almost surely meant as seconds.</summary>
    private static void Duration(TimeSpan value, string key, TimeSpan max, List<string> errors)
    {
        if (value < TimeSpan.Zero) errors.Add($"{key}: must not be negative (was {value})");
        else if (value > max) errors.Add($"{key}: {value} is longer than {max.TotalDays:0} day(s); write durations as hh:mm:ss, e.g. 00:00:20 for 20 seconds");
    }

    private static bool IsValidId(string id)
    {
        if (id.Length is < 1 or > 64) return false;
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return false;
        return true;
    }
}

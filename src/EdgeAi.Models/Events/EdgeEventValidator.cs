using System.Globalization;

namespace EdgeAi.Models.Events;

/// <summary>
/// Value rules of the v1 contract, shared by both sides: the worker checks an event before it enters the outbox,
/// Central after <see cref="EdgeEventParser"/> read it. Reasons are stable, name the field by its JSON path and quote
/// at most 64 characters of the offending value. Thread-safe.
/// </summary>
public static class EdgeEventValidator
{
    /// <summary>
    /// Null when <paramref name="evt"/> satisfies the contract, else the first rule it breaks.
    /// <paramref name="requireSequence"/>: false before the outbox has assigned <see cref="EdgeEvent.Sequence"/> (then 0 is allowed).
    /// </summary>
    public static string? Validate(EdgeEvent evt, bool requireSequence = true)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (evt.SchemaVersion is null) return Missing("schema_version");
        if (CheckSchemaVersion(evt.SchemaVersion) is { } version) return version;
        if (!UuidV7.IsV7(evt.EventId)) return "event_id must be a UUIDv7";
        if (evt.EpisodeId == Guid.Empty) return "episode_id must not be the nil UUID";
        if (!Enum.IsDefined(evt.Type)) return "type must be one of started, updated, ended";
        if (requireSequence ? evt.Sequence < 1 : evt.Sequence < 0) return requireSequence ? "sequence must be >= 1" : "sequence must be >= 0";
        if (Id(evt.DeviceId, "device_id") is { } device) return device;

        if (evt.Camera is not { } camera) return Missing("camera");
        if (Id(camera.Id, "camera.id") is { } cameraId) return cameraId;
        if (Text(camera.Name, "camera.name", EdgeEventSchema.MaxNameLength, allowEmpty: true) is { } cameraName) return cameraName;
        if (!(camera.Lat is >= -90 and <= 90)) return "camera.lat must be between -90 and 90";
        if (!(camera.Lon is >= -180 and <= 180)) return "camera.lon must be between -180 and 180";
        if (camera.Gb28181Id is { } gb && (gb.Length != 20 || !gb.All(char.IsAsciiDigit))) return "camera.gb28181_id must be 20 digits";

        if (evt.Scenario is null) return Missing("scenario");
        if (!Scenarios.IsKnown(evt.Scenario)) return $"scenario '{Clip(evt.Scenario)}' is not one of {string.Join(", ", Scenarios.All)}";

        if (evt.Zone is not { } zone) return Missing("zone");
        if (Id(zone.Id, "zone.id") is { } zoneId) return zoneId;
        if (Text(zone.Type, "zone.type", EdgeEventSchema.MaxTokenLength) is { } zoneType) return zoneType;
        if (zone.Name is { } zoneName && Text(zoneName, "zone.name", EdgeEventSchema.MaxNameLength, allowEmpty: true) is { } zn) return zn;
        if (zone.AreaM2 is { } area && !(area > 0 && double.IsFinite(area))) return "zone.area_m2 must be a positive number";

        if (evt.Rule is not { } rule) return Missing("rule");
        if (Text(rule.Name, "rule.name", EdgeEventSchema.MaxTokenLength) is { } ruleName) return ruleName;
        if (NumberMap(rule.Parameters, "rule.parameters") is { } parameters) return parameters;
        if (NumberMap(rule.Measured, "rule.measured") is { } measured) return measured;

        if (evt.Objects is not { } objects) return Missing("objects");
        if (objects.Count > EdgeEventSchema.MaxObjects) return $"objects has more than {EdgeEventSchema.MaxObjects} entries";
        for (var i = 0; i < objects.Count; i++)
        {
            if (Object(objects[i], $"objects[{i}]") is { } o) return o;
        }

        if (evt.Frame is not { } frame) return Missing("frame");
        if (frame.Time == default) return "frame.time must be set";
        if (frame.Width is < 1 or > EdgeEventSchema.MaxFrameSide) return $"frame.width must be between 1 and {EdgeEventSchema.MaxFrameSide}";
        if (frame.Height is < 1 or > EdgeEventSchema.MaxFrameSide) return $"frame.height must be between 1 and {EdgeEventSchema.MaxFrameSide}";
        if (evt.DetectionTime == default) return "detection_time must be set";

        if (evt.Model is not { } model) return Missing("model");
        if (Text(model.Name, "model.name", EdgeEventSchema.MaxNameLength) is { } modelName) return modelName;
        if (Text(model.Version, "model.version", EdgeEventSchema.MaxTokenLength) is { } modelVersion) return modelVersion;
        if (!IsSha256(model.Sha256)) return "model.sha256 must be 64 lower-case hex digits";

        var evidence = evt.Evidence ?? [];
        if (evidence.Count > EdgeEventSchema.MaxEvidence) return $"evidence has more than {EdgeEventSchema.MaxEvidence} entries";
        for (var i = 0; i < evidence.Count; i++)
        {
            if (Evidence(evidence[i], $"evidence[{i}]") is { } e) return e;
            for (var j = 0; j < i; j++)
            {
                if (evidence[j].Id == evidence[i].Id) return $"evidence[{i}].id '{Clip(evidence[i].Id)}' is duplicated";
            }
        }
        return null;
    }

    /// <summary>"major.minor" with the supported major; else the reason.</summary>
    public static string? CheckSchemaVersion(string version)
    {
        var dot = version.IndexOf('.');
        if (dot <= 0 || dot > 3 || version.Length - dot - 1 is < 1 or > 3
            || version.AsSpan(0, dot).ContainsAnyExceptInRange('0', '9') || version.AsSpan(dot + 1).ContainsAnyExceptInRange('0', '9'))
            return $"schema_version '{Clip(version)}' is not 'major.minor'";
        var major = int.Parse(version.AsSpan(0, dot), CultureInfo.InvariantCulture);
        return major == EdgeEventSchema.SupportedMajor
            ? null
            : $"unsupported schema major version {major} (supported: {EdgeEventSchema.SupportedMajor})";
    }

    /// <summary>An id that is also safe as an MQTT topic segment: 1–64 of [A-Za-z0-9._-].</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= EdgeEventSchema.MaxIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>At most <paramref name="max"/> characters of <paramref name="value"/>, for quoting in a reason.</summary>
    internal static string Clip(string value, int max = 64) => value.Length <= max ? value : value[..max] + "…";

    private static string Missing(string path) => $"missing required field '{path}'";

    private static string? Id(string? id, string path)
    {
        if (id is null) return Missing(path);
        return IsValidId(id) ? null : $"{path} must be 1-{EdgeEventSchema.MaxIdLength} characters of [A-Za-z0-9._-]";
    }

    private static string? Text(string? value, string path, int max, bool allowEmpty = false)
    {
        if (value is null) return Missing(path);
        if (value.Length > max || value.Length == 0 && !allowEmpty) return $"{path} must be {(allowEmpty ? 0 : 1)}-{max} characters";
        return null;
    }

    private static string? NumberMap(IReadOnlyDictionary<string, double>? map, string path)
    {
        if (map is null) return Missing(path);
        if (map.Count > EdgeEventSchema.MaxRuleEntries) return $"{path} has more than {EdgeEventSchema.MaxRuleEntries} entries";
        foreach (var (key, value) in map)
        {
            if (key.Length is 0 or > EdgeEventSchema.MaxTokenLength) return $"{path} keys must be 1-{EdgeEventSchema.MaxTokenLength} characters";
            if (!double.IsFinite(value)) return $"{path}.{Clip(key)} must be a finite number";
        }
        return null;
    }

    private static string? Object(DetectedObject? o, string path)
    {
        if (o is null) return Missing(path);
        if (Text(o.Class, path + ".class", EdgeEventSchema.MaxTokenLength) is { } cls) return cls;
        if (!(o.Confidence is >= 0 and <= 1)) return $"{path}.confidence must be between 0 and 1";
        if (o.Box is null) return Missing(path + ".box");
        if (o.Box.Count != 4) return $"{path}.box must have 4 numbers";
        if (!o.Box.All(v => v is >= 0 and <= 1)) return $"{path}.box values must be between 0 and 1";
        if (!(o.Box[0] < o.Box[2] && o.Box[1] < o.Box[3])) return $"{path}.box must have x1 < x2 and y1 < y2";
        if (o.TrackId is < 0) return $"{path}.track_id must be >= 0";
        return null;
    }

    private static string? Evidence(EvidenceRef? e, string path)
    {
        if (e is null) return Missing(path);
        if (Id(e.Id, path + ".id") is { } id) return id;
        if (!IsSha256(e.Sha256)) return $"{path}.sha256 must be 64 lower-case hex digits";
        if (e.Bytes is < 1 or > EdgeEventSchema.MaxEvidenceBytes) return $"{path}.bytes must be between 1 and {EdgeEventSchema.MaxEvidenceBytes}";
        if (Text(e.ContentType, path + ".content_type", EdgeEventSchema.MaxTokenLength) is { } ct) return ct;
        if (Text(e.Kind, path + ".kind", EdgeEventSchema.MaxTokenLength) is { } kind) return kind;
        if (e.Width is { } w && w is < 1 or > EdgeEventSchema.MaxFrameSide) return $"{path}.width must be between 1 and {EdgeEventSchema.MaxFrameSide}";
        if (e.Height is { } h && h is < 1 or > EdgeEventSchema.MaxFrameSide) return $"{path}.height must be between 1 and {EdgeEventSchema.MaxFrameSide}";
        if (e.StartTime is { } start && e.EndTime is { } end && end < start) return $"{path}.end_time must not be before start_time";
        if (!Enum.IsDefined(e.Delivery)) return $"{path}.delivery must be attached or on_device";
        return null;
    }

    private static bool IsSha256(string? s) => s is { Length: 64 } && s.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}

using System.Text.Json;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Scenarios;

namespace EdgeAi.Worker.Configuration;

/// <summary>The config file is unusable; <see cref="Errors"/> lists every problem as "file:line: key: reason".</summary>
public sealed class ConfigException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>Reads and validates the worker config file, reporting every error at once with its key path.</summary>
public static class WorkerConfigLoader
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static WorkerConfig Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ConfigException([$"{full}: config file not found"]);
        WorkerConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<WorkerConfig>(File.ReadAllBytes(full), Json);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } l ? $":{l + 1}" : "";
            throw new ConfigException([$"{full}{where}: {ex.Path ?? "$"}: {FirstSentence(ex.Message)}"]);
        }
        if (config is null) throw new ConfigException([$"{full}: empty config"]);
        var errors = Validate(config, Path.GetDirectoryName(full)!).Select(e => $"{full}: {e}").ToList();
        if (errors.Count > 0) throw new ConfigException(errors);
        return Resolve(config, Path.GetDirectoryName(full)!);
    }

    /// <summary>Every problem as "key.path: reason".</summary>
    public static IReadOnlyList<string> Validate(WorkerConfig c, string baseDir)
    {
        var errors = new List<string>();
        if (!Models.Events.EdgeEventValidator.IsValidId(c.DeviceId)) errors.Add($"device_id: '{c.DeviceId}' must be 1-64 characters of [A-Za-z0-9._-]");
        if (c.Mqtt.Port is < 1 or > 65535) errors.Add($"mqtt.port: {c.Mqtt.Port} is not a TCP port");
        if (c.Mqtt.PasswordFile is { } pf && !File.Exists(Path.Combine(baseDir, pf))) errors.Add($"mqtt.password_file: {pf} not found");
        if (c.Mqtt.Tls is { } tls && !File.Exists(Path.Combine(baseDir, tls.CaFile))) errors.Add($"mqtt.tls.ca_file: {tls.CaFile} not found");
        if (c.Models.Count == 0) errors.Add("models: at least one model is required");
        var modelIds = new HashSet<string>();
        for (var i = 0; i < c.Models.Count; i++)
        {
            var m = c.Models[i];
            if (!modelIds.Add(m.Id)) errors.Add($"models[{i}].id: duplicate model id '{m.Id}'");
            if (m.ExecutionProvider is not ("cpu" or "cuda")) errors.Add($"models[{i}].execution_provider: '{m.ExecutionProvider}' must be cpu or cuda");
            if (m.Threads is < 1 or > 64) errors.Add($"models[{i}].threads: {m.Threads} must be 1..64");
            if (m.BatchSize is < 1 or > 64) errors.Add($"models[{i}].batch_size: {m.BatchSize} must be 1..64");
            try
            {
                ModelManifestLoader.Load(Path.Combine(baseDir, m.Manifest));
            }
            catch (ModelManifestException ex)
            {
                errors.AddRange(ex.Message.Split(Environment.NewLine).Select(e => $"models[{i}].manifest: {e}"));
            }
        }
        errors.AddRange(c.Quality.Validate("quality"));
        if (c.Cameras.Count == 0) errors.Add("cameras: at least one camera is required");
        var cameraIds = new HashSet<string>();
        for (var i = 0; i < c.Cameras.Count; i++)
        {
            var cam = c.Cameras[i];
            var key = $"cameras[{i}]";
            if (!Models.Events.EdgeEventValidator.IsValidId(cam.Id)) errors.Add($"{key}.id: '{cam.Id}' must be 1-64 characters of [A-Za-z0-9._-]");
            else if (!cameraIds.Add(cam.Id)) errors.Add($"{key}.id: duplicate camera id '{cam.Id}'");
            if (!Uri.TryCreate(cam.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("rtsp" or "rtsps" or "file" or "http" or "https"))
                errors.Add($"{key}.url: '{cam.SafeUrl}' is not an rtsp:// (or file/http) URL");
            if (cam.Location.Lat is < -90 or > 90) errors.Add($"{key}.location.lat: {cam.Location.Lat} is out of range");
            if (cam.Location.Lon is < -180 or > 180) errors.Add($"{key}.location.lon: {cam.Location.Lon} is out of range");
            if (cam.Location.Gb28181Id is { } gb && (gb.Length != 20 || !gb.All(char.IsAsciiDigit))) errors.Add($"{key}.location.gb28181_id: must be 20 digits");
            if (cam.Decode.Mode is not ("keyframes" or "all")) errors.Add($"{key}.decode.mode: '{cam.Decode.Mode}' must be keyframes or all");
            if (cam.Decode.Fps is <= 0 or > 60) errors.Add($"{key}.decode.fps: {cam.Decode.Fps} must be in (0, 60]");
            if (cam.Hwaccel is not ("none" or "cuda" or "vaapi")) errors.Add($"{key}.hwaccel: '{cam.Hwaccel}' must be none, cuda or vaapi");
            if (cam.Model is { } mid && !modelIds.Contains(mid)) errors.Add($"{key}.model: unknown model '{mid}'");
            errors.AddRange(ScenarioConfigValidator.Validate(cam.Scenarios, $"{key}.scenarios"));
            if (cam.Quality is { } quality) errors.AddRange(quality.Validate($"{key}.quality"));
        }
        return errors;
    }

    /// <summary>Makes relative paths absolute and reads secrets (env EDGEAI_MQTT_PASSWORD, then the password file).</summary>
    private static WorkerConfig Resolve(WorkerConfig c, string baseDir)
    {
        var password = Environment.GetEnvironmentVariable("EDGEAI_MQTT_PASSWORD") is { Length: > 0 } env ? env
            : c.Mqtt.PasswordFile is { } pf ? File.ReadAllText(Path.Combine(baseDir, pf)).Trim() : c.Mqtt.Password;
        return c with
        {
            Mqtt = c.Mqtt with { Password = password, PasswordFile = null },
            Models = c.Models.Select(m => m with { Manifest = Path.GetFullPath(Path.Combine(baseDir, m.Manifest)) }).ToList(),
            Outbox = c.Outbox with { Path = Path.GetFullPath(Path.Combine(baseDir, c.Outbox.Path)) },
            Evidence = c.Evidence with { Directory = Path.GetFullPath(Path.Combine(baseDir, c.Evidence.Directory)) },
        };
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}

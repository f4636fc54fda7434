using System.Text.Json.Nodes;
using System.Text.Json;
using EdgeAi.Configuration;

namespace EdgeAi.Worker.Configuration;

/// <summary>
/// Reads the worker config file (JSON with comments, snake_case keys) through <see cref="JsonConfigFile"/> and reports
/// every problem at once as <c>file:line: key.path: reason</c> — the same list for <c>edgeai config validate</c>, at
/// <c>run</c> start-up and on a hot reload. The worker's own parts: zone rule sections inherit the camera's
/// (<see cref="InheritZoneRules"/>), the meaning (<see cref="WorkerConfigValidator"/>), and resolving paths and secrets.
/// </summary>
public static class WorkerConfigLoader
{
    internal static readonly JsonSerializerOptions Json = JsonConfigFile.SerializerOptions();

    /// <summary>Rule sections a zone may override; a zone's section starts from the camera's (only the keys that differ).</summary>
    private static readonly string[] RuleKeys = ["litter", "road_collapse", "illegal_fishing", "crowding"];

    /// <summary>Loads, validates and resolves (absolute paths, secrets from <paramref name="env"/>); throws <see cref="ConfigException"/>.</summary>
    public static WorkerConfig Load(string path, Func<string, string?>? env = null)
    {
        var (config, errors) = Read(path);
        if (errors.Count > 0) throw new ConfigException(errors);
        return Resolve(config!, BaseDir(path), SecretFiles.WithFiles(env ?? Environment.GetEnvironmentVariable));
    }

    /// <summary>Every problem in the file, formatted; empty when it is valid.</summary>
    /// <param name="loadModels">Also load each model into ONNX Runtime and check its tensors against its manifest
    /// (<c>edgeai config validate</c>; <c>run</c> does the same when it creates the detectors).</param>
    public static IReadOnlyList<string> Check(string path, bool loadModels = false) => Read(path, loadModels).Errors;

    private static (WorkerConfig? Config, IReadOnlyList<string> Errors) Read(string path, bool loadModels = false) =>
        JsonConfigFile.Read<WorkerConfig>(path, Json, c => WorkerConfigValidator.Validate(c, BaseDir(path), loadModels), InheritZoneRules);

    private static string BaseDir(string path) => Path.GetDirectoryName(Path.GetFullPath(path))!;

    /// <summary>
    /// A rule section inside a zone (<c>zones[i].litter</c>) starts from the camera's section of the same rule, so it
    /// only needs the keys that differ. Objects merge key by key; arrays and values replace. The camera's <c>zones</c>
    /// list is not inherited (it selects zones, which means nothing inside one).
    /// </summary>
    private static void InheritZoneRules(JsonObject root)
    {
        if (root["cameras"] is not JsonArray cameras) return;
        foreach (var camera in cameras.OfType<JsonObject>())
        {
            if (camera["scenarios"] is not JsonObject scenarios || scenarios["zones"] is not JsonArray zones) continue;
            foreach (var zone in zones.OfType<JsonObject>())
                foreach (var rule in RuleKeys)
                {
                    if (zone[rule] is not JsonObject own || scenarios[rule] is not JsonObject inherited) continue;
                    var merged = (JsonObject)inherited.DeepClone();
                    merged.Remove("zones");
                    Merge(merged, own);
                    zone[rule] = merged;
                }
        }
    }

    private static void Merge(JsonObject target, JsonObject overlay)
    {
        foreach (var (key, value) in overlay.ToList())
        {
            if (value is JsonObject o && target[key] is JsonObject t) Merge(t, o);
            else target[key] = value?.DeepClone();
        }
    }

    /// <summary>Makes relative paths absolute (relative to the config file) and applies the secrets from the environment.</summary>
    private static WorkerConfig Resolve(WorkerConfig c, string baseDir, Func<string, string?> env)
    {
        string Abs(string p) => Path.GetFullPath(Path.Combine(baseDir, p));
        var password = env(WorkerSecrets.MqttPassword)
            ?? (c.Mqtt.PasswordFile is { } pf ? File.ReadAllText(Abs(pf)).TrimEnd('\r', '\n') : c.Mqtt.Password);
        return c with
        {
            Mqtt = c.Mqtt with
            {
                Password = password,
                PasswordFile = null,
                Tls = c.Mqtt.Tls is { } tls ? new MqttTlsConfig(Abs(tls.CaFile), tls.CertFile is null ? null : Abs(tls.CertFile), tls.KeyFile is null ? null : Abs(tls.KeyFile)) : null,
            },
            Models = c.Models.Select(m => m with { Manifest = Abs(m.Manifest) }).ToList(),
            Outbox = c.Outbox with { Path = Abs(c.Outbox.Path) },
            Evidence = c.Evidence with { Directory = Abs(c.Evidence.Directory) },
            Recording = c.Recording with { Directory = Abs(c.Recording.Directory) },
            Logging = c.Logging with { File = c.Logging.File is { } f ? Abs(f) : null },
            Cameras = c.Cameras.Select(cam => cam with { Url = WorkerSecrets.CameraUrl(cam, env) }).ToList(),
        };
    }
}

using System.Text.Json;
using EdgeAi.Configuration;
using EdgeAi.Models.Events;
using EdgeAi.Observability.Logging;
using EdgeAi.Worker.Inference;
using EdgeAi.Worker.Scenarios;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeAi.Worker.Configuration;

/// <summary>
/// What the config means, once its shape is right: ids, ranges, URLs, files that must exist, zones and rules.
/// Reports every problem, each with its snake_case key path as written in the file.
/// </summary>
public static class WorkerConfigValidator
{
    /// <param name="loadModels">Also load each model into ONNX Runtime and check its input/output types and shapes against
    /// the manifest (what the detector would refuse at start).</param>
    public static IReadOnlyList<ConfigError> Validate(WorkerConfig c, string baseDir, bool loadModels = false)
    {
        var errors = new List<ConfigError>();
        void Add(string path, string reason) => errors.Add(new ConfigError(path, reason));
        string Abs(string p) => Path.GetFullPath(Path.Combine(baseDir, p));

        if (!EdgeEventValidator.IsValidId(c.DeviceId)) Add("device_id", $"'{c.DeviceId}' must be 1-64 characters of [A-Za-z0-9._-]");

        if (string.IsNullOrWhiteSpace(c.Mqtt.Host)) Add("mqtt.host", "must not be empty");
        if (c.Mqtt.Port is < 1 or > 65535) Add("mqtt.port", $"{c.Mqtt.Port} is not a TCP port (1-65535)");
        if (c.Mqtt.Username is { } user && !EdgeEventValidator.IsValidId(user)) Add("mqtt.username", $"'{user}' must be 1-64 characters of [A-Za-z0-9._-]");
        if (c.Mqtt.PasswordFile is { } pf && !File.Exists(Abs(pf))) Add("mqtt.password_file", $"file not found: {Abs(pf)}");
        if (c.Mqtt.Tls is { } tls)
        {
            if (!File.Exists(Abs(tls.CaFile))) Add("mqtt.tls.ca_file", $"file not found: {Abs(tls.CaFile)}");
            if (tls.CertFile is { } cert && !File.Exists(Abs(cert))) Add("mqtt.tls.cert_file", $"file not found: {Abs(cert)}");
            if (tls.KeyFile is { } key && !File.Exists(Abs(key))) Add("mqtt.tls.key_file", $"file not found: {Abs(key)}");
            if ((tls.CertFile is null) != (tls.KeyFile is null)) Add("mqtt.tls", "cert_file and key_file go together (client certificate)");
        }

        if (string.IsNullOrWhiteSpace(c.Outbox.Path)) Add("outbox.path", "must not be empty");
        if (c.Outbox.MaxBytes < 1 << 20) Add("outbox.max_bytes", $"{c.Outbox.MaxBytes} is below the minimum of 1 MiB (1048576)");
        if (c.Outbox.MaxAge <= TimeSpan.Zero || c.Outbox.MaxAge > TimeSpan.FromDays(365)) Add("outbox.max_age_hours", $"{c.Outbox.MaxAge.TotalHours} must be in (0, 8760]");
        foreach (var e in c.Evidence.Validate("evidence")) errors.Add(Parse(e));
        foreach (var e in c.Quality.Validate("quality")) errors.Add(Parse(e));
        foreach (var (path, reason) in c.Recording.Validate()) Add(path, reason);

        if (!TryListen(c.Http.Listen, out var listenProblem)) Add("http.listen", listenProblem);
        if (c.Logging.File is { Length: 0 }) Add("logging.file", "must not be empty (leave it out to log to stdout only)");
        void Seconds(string path, TimeSpan value, int min, int max)
        {
            if (value < TimeSpan.FromSeconds(min) || value > TimeSpan.FromSeconds(max)) Add(path, $"{value.TotalSeconds} must be between {min} and {max} seconds");
        }
        Seconds("health_interval_s", c.HealthInterval, 1, 3600);
        Seconds("watchdog.pipeline_stall_s", c.Watchdog.PipelineStall, 1, 86400);
        Seconds("watchdog.delivery_stall_s", c.Watchdog.DeliveryStall, 1, 86400);

        if (c.Models.Count == 0) Add("models", "at least one model is required");
        var modelIds = new HashSet<string>(StringComparer.Ordinal);
        var modelLabels = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);   // after each class map
        var modelInputs = new Dictionary<string, (int Width, int Height, ImageFit Fit)>(StringComparer.Ordinal);
        for (var i = 0; i < c.Models.Count; i++)
        {
            var m = c.Models[i];
            var key = $"models[{i}]";
            if (!EdgeEventValidator.IsValidId(m.Id)) Add($"{key}.id", $"'{m.Id}' must be 1-64 characters of [A-Za-z0-9._-]");
            else if (!modelIds.Add(m.Id)) Add($"{key}.id", $"duplicate model id '{m.Id}'");
            if (m.GpuDeviceId is < 0 or > 63) Add($"{key}.gpu_device_id", $"{m.GpuDeviceId} must be 0..63");
            if (m.Threads is < 1 or > 64) Add($"{key}.threads", $"{m.Threads} must be 1..64");
            if (m.BatchSize is < 1 or > 64) Add($"{key}.batch_size", $"{m.BatchSize} must be 1..64");
            if (m.BatchWait < TimeSpan.Zero || m.BatchWait > TimeSpan.FromSeconds(1)) Add($"{key}.batch_wait_ms", $"{m.BatchWait.TotalMilliseconds} must be 0..1000");
            if (string.IsNullOrWhiteSpace(m.Manifest)) continue;
            try
            {
                var manifest = ModelManifestLoader.Load(Abs(m.Manifest));
                modelLabels.TryAdd(m.Id, m.MapLabels(manifest.Labels));
                modelInputs.TryAdd(m.Id, (manifest.Input.Width, manifest.Input.Height, manifest.Input.Fit));
                foreach (var (from, to) in m.ClassMap ?? new Dictionary<string, string>())
                {
                    if (!manifest.Labels.Contains(from))
                        Add($"{key}.class_map.{from}", $"'{from}' is not a label of this model{(ScenarioConfigValidator.Closest(from, manifest.Labels) is { } near ? $" (did you mean '{near}'?)" : "")}");
                    if (string.IsNullOrWhiteSpace(to) || to.Length > 64) Add($"{key}.class_map.{from}", $"'{to}' must be 1-64 characters (the class name rules use)");
                }
                if (loadModels)
                {
                    using var detector = new OnnxDetector(manifest, new InferenceOptions { Threads = 1, BatchSize = 1 }, NullLogger.Instance);
                }
            }
            catch (ModelManifestException ex)
            {
                foreach (var line in ex.Message.Split(Environment.NewLine)) Add($"{key}.manifest", line);
            }
        }

        var cameraIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < c.Cameras.Count; i++)
        {
            var cam = c.Cameras[i];
            var key = $"cameras[{i}]";
            if (!EdgeEventValidator.IsValidId(cam.Id)) Add($"{key}.id", $"'{cam.Id}' must be 1-64 characters of [A-Za-z0-9._-]");
            else if (!cameraIds.Add(cam.Id)) Add($"{key}.id", $"duplicate camera id '{cam.Id}' (also cameras[{c.Cameras.ToList().FindIndex(x => x.Id == cam.Id)}])");
            if (UrlProblem(cam.Url) is { } urlProblem) Add($"{key}.url", $"'{cam.SafeUrl}' {urlProblem}");
            if (cam.Location.Lat is < -90 or > 90) Add($"{key}.location.lat", $"{cam.Location.Lat} is out of range -90..90");
            if (cam.Location.Lon is < -180 or > 180) Add($"{key}.location.lon", $"{cam.Location.Lon} is out of range -180..180");
            if (cam.Location.Gb28181Id is { } gb && (gb.Length != 20 || !gb.All(char.IsAsciiDigit))) Add($"{key}.location.gb28181_id", $"'{gb}' must be 20 digits");
            if (cam.Decode.Fps is <= 0 or > 60) Add($"{key}.decode.fps", $"{cam.Decode.Fps} must be in (0, 60]");
            if (cam.Decode.MaxFps is { } maxFps && maxFps is <= 0 or > 60) Add($"{key}.decode.max_fps", $"{maxFps} must be in (0, 60]");
            if (cam.Decode.MaxFps is not null && cam.Decode.Mode != DecodeMode.Keyframes) Add($"{key}.decode.max_fps", "applies to mode keyframes only (mode all samples to fps)");
            if (cam.Decode.MaxAnalysisInterval is { } maxInterval && (maxInterval < TimeSpan.FromMilliseconds(100) || maxInterval > TimeSpan.FromMinutes(10)))
                Add($"{key}.decode.max_analysis_interval", $"{maxInterval} must be between 00:00:00.1 and 00:10:00");
            if (cam.Decode.MaxAnalysisInterval is not null && cam.Decode.Mode != DecodeMode.Keyframes)
                Add($"{key}.decode.max_analysis_interval", "applies to mode keyframes only (mode all samples to fps)");
            if (cam.Decode.StallTimeout < TimeSpan.FromSeconds(1) || cam.Decode.StallTimeout > TimeSpan.FromMinutes(10))
                Add($"{key}.decode.stall_timeout", $"{cam.Decode.StallTimeout} must be between 00:00:01 and 00:10:00");
            if (cam.Decode.SocketTimeout < TimeSpan.FromSeconds(1) || cam.Decode.SocketTimeout > TimeSpan.FromMinutes(5))
                Add($"{key}.decode.socket_timeout", $"{cam.Decode.SocketTimeout} must be between 00:00:01 and 00:05:00");
            if (cam.Model is { } mid && !modelIds.Contains(mid)) Add($"{key}.model", $"unknown model '{mid}' (models: {string.Join(", ", modelIds)})");
            foreach (var e in ScenarioConfigValidator.Validate(cam.Scenarios, $"{key}.scenarios")) errors.Add(Parse(e));
            if (cam.Quality is { } quality) foreach (var e in quality.Validate($"{key}.quality")) errors.Add(Parse(e));
            // Each rule's models (its own list, else the camera's model or the first) must exist and have the classes it names.
            var defaultModel = c.Models.Count > 0 ? c.Models[0].Id : null;
            if (defaultModel is null) continue;
            foreach (var (rulePath, rule) in ScenarioConfigValidator.ActiveRules(cam.Scenarios))
                for (var j = 0; j < (rule.Models ?? []).Count; j++)
                    if (!modelIds.Contains(rule.Models![j]))
                        errors.Add(Parse($"{key}.scenarios.{rulePath}.models[{j}]: unknown model '{rule.Models[j]}' (models: {string.Join(", ", modelIds)})"));
            foreach (var e in ScenarioConfigValidator.ValidateClasses(cam.Scenarios, rule =>
            {
                var ids = CameraModels.OfRule(rule, cam, defaultModel);
                if (!ids.All(modelLabels.ContainsKey)) return null;
                return (ids.SelectMany(id => modelLabels[id]).Distinct(StringComparer.Ordinal).ToList(), string.Join("+", ids));
            }, $"{key}.scenarios")) errors.Add(Parse(e));
            // One decoder feeds all of a camera's models: they must take the same input size and letterbox.
            var used = CameraModels.For(cam, defaultModel).Where(modelInputs.ContainsKey).ToList();
            foreach (var other in used.Skip(1).Where(id => modelInputs[id] != modelInputs[used[0]]))
                Add($"{key}.scenarios", $"models '{used[0]}' ({Describe(modelInputs[used[0]])}) and '{other}' ({Describe(modelInputs[other])}) both analyse this camera " +
                    "but take different inputs; one camera's models must share input size and letterbox");
        }
        return errors;
    }

    private static string Describe((int Width, int Height, ImageFit Fit) input) =>
        $"{input.Width}x{input.Height} {input.Fit.Mode.ToString().ToLowerInvariant()} pad {input.Fit.PadValue}";

    /// <summary>Why <paramref name="url"/> cannot be a camera source, or null when it can.</summary>
    private static string? UrlProblem(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "is not an absolute URL (rtsp://host[:port]/path)";
        if (uri.Scheme is not ("rtsp" or "rtsps" or "http" or "https" or "file")) return $"has scheme '{uri.Scheme}'; use rtsp:// (rtsps, http(s) and file also work)";
        if (uri.Scheme != "file" && string.IsNullOrEmpty(uri.Host)) return "has no host";
        return null;
    }

    private static bool TryListen(string listen, out string problem)
    {
        problem = "";
        var url = listen.Contains("://", StringComparison.Ordinal) ? listen : "http://" + listen;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != "http" || string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath != "/")
        {
            problem = $"'{listen}' must be host:port or http://host:port, e.g. 127.0.0.1:8090";
            return false;
        }
        if (uri.IsDefaultPort && !url.Contains(":80", StringComparison.Ordinal))
        {
            problem = $"'{listen}' needs a port, e.g. {uri.Host}:8090";
            return false;
        }
        return true;
    }

    /// <summary>Turns a "camelCase.path: reason" message of the older validators into a snake_case <see cref="ConfigError"/>.</summary>
    internal static ConfigError Parse(string message)
    {
        var cut = message.IndexOf(": ", StringComparison.Ordinal);
        if (cut < 0) return new ConfigError("", message);
        return new ConfigError(SnakePath(message[..cut]), message[(cut + 2)..]);
    }

    internal static string SnakePath(string path) => string.Join('.', path.Split('.').Select(segment =>
    {
        var bracket = segment.IndexOf('[');
        var name = bracket < 0 ? segment : segment[..bracket];
        return JsonNamingPolicy.SnakeCaseLower.ConvertName(name) + (bracket < 0 ? "" : segment[bracket..]);
    }));
}

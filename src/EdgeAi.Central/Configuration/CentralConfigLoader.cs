using System.Text.Json;
using EdgeAi.Configuration;
using EdgeAi.Observability.Logging;

namespace EdgeAi.Central.Configuration;

/// <summary>
/// Loads and validates Central's JSON config file (see central.sample.json) and the secrets from the environment.
/// The file is read through the shared <see cref="JsonConfigFile"/> into <see cref="CentralFile"/> (unknown keys, wrong
/// types, missing keys); this checks ranges and meaning and builds <see cref="CentralOptions"/>. Reports every error at
/// once, each naming the file, the line, the key and the reason.
/// </summary>
internal static class CentralConfigLoader
{
    private static readonly JsonSerializerOptions Json = JsonConfigFile.SerializerOptions();

    public static CentralOptions Load(string file, Func<string, string?>? env = null)
    {
        env = SecretFiles.WithFiles(env ?? Environment.GetEnvironmentVariable);
        if (!File.Exists(file)) throw new ConfigException([$"{file}: file not found"]);
        CentralOptions? options = null;
        var (_, errors) = JsonConfigFile.Read<CentralFile>(file, Json, f =>
        {
            var check = new Checks();
            options = Build(f, env, check);
            return check.Errors;
        }, display: System.IO.Path.GetFileName(file));
        if (errors.Count > 0) throw new ConfigException(errors);
        return options! with { ConfigFile = file };
    }

    private static CentralOptions Build(CentralFile f, Func<string, string?> env, Checks r)
    {
        var instance = f.InstanceId ?? $"{Environment.MachineName}-{Environment.ProcessId}";
        var logLevel = f.LogLevel ?? LoggingLevel.Information;
        if (f.LogFile is { } lf && (lf.Length == 0 || !Directory.Exists(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(lf)))))
            r.Error("log_file", $"the folder of '{lf}' does not exist");

        var mqtt = new MqttSettings();
        if (f.Mqtt is { } m)
        {
            mqtt = new MqttSettings
            {
                Host = m.Host ?? mqtt.Host,
                Port = r.Int("mqtt.port", m.Port, mqtt.Port, 1, 65535),
                Username = m.Username ?? mqtt.Username,
                ShareGroup = m.ShareGroup ?? mqtt.ShareGroup,
                TlsCaFile = m.TlsCaFile,
                TlsCertFile = m.TlsCertFile,
                TlsKeyFile = m.TlsKeyFile,
                KeepAlive = r.Seconds("mqtt.keep_alive_s", m.KeepAlive, mqtt.KeepAlive, 5, 3600),
            };
            if (mqtt.ShareGroup.IndexOfAny(['/', '+', '#']) >= 0) r.Error("mqtt.share_group", "must not contain '/', '+' or '#'");
            if (mqtt.TlsCaFile is { } ca && !File.Exists(ca)) r.Error("mqtt.tls_ca_file", $"file not found: {ca}");
            if (mqtt.TlsCertFile is { } cert && !File.Exists(cert)) r.Error("mqtt.tls_cert_file", $"file not found: {cert}");
            if (mqtt.TlsKeyFile is { } key && !File.Exists(key)) r.Error("mqtt.tls_key_file", $"file not found: {key}");
            if ((mqtt.TlsCertFile is null) != (mqtt.TlsKeyFile is null)) r.Error(mqtt.TlsCertFile is null ? "mqtt.tls_cert_file" : "mqtt.tls_key_file", "tls_cert_file and tls_key_file go together");
            if (mqtt.TlsCertFile is not null && mqtt.TlsCaFile is null) r.Error("mqtt.tls_ca_file", "is required with a client certificate");
        }
        mqtt = mqtt with { Password = env(SecretNames.MqttPassword) };

        var connection = env(SecretNames.Database) ?? f.Database?.ConnectionString;
        if (f.Database is null && connection is null) r.Error("database", "is required (or set " + SecretNames.Database + ")");
        else if (string.IsNullOrWhiteSpace(connection)) r.Error("database.connection_string", $"is required (or set {SecretNames.Database})");

        var token = env(SecretNames.ApiToken);
        if (string.IsNullOrEmpty(token)) r.Error("api", $"the bearer token must be set in the environment variable {SecretNames.ApiToken}");
        else if (token.Length < 16) r.Error("api", $"{SecretNames.ApiToken} must be at least 16 characters");
        var api = new ApiSettings { Token = token ?? "" };
        if (f.Api is { } a)
        {
            api = api with
            {
                Listen = a.Listen ?? api.Listen,
                PublicBaseUrl = a.PublicBaseUrl,
                MaxRequestBytes = r.Int("api.max_request_bytes", a.MaxRequestBytes, (int)api.MaxRequestBytes, 1024, 64 << 20),
            };
            if (!Uri.TryCreate(api.Listen, UriKind.Absolute, out _)) r.Error("api.listen", $"must be an absolute URL such as http://127.0.0.1:8080, got '{api.Listen}'");
            if (api.PublicBaseUrl is { } p && !Uri.TryCreate(p, UriKind.Absolute, out _)) r.Error("api.public_base_url", "must be an absolute URL");
        }

        var access = ReadAccess(f.Access, r, env, token);

        var consumer = new ConsumerSettings();
        if (f.Consumer is { } c)
        {
            consumer = new ConsumerSettings
            {
                QueueCapacity = r.Int("consumer.queue_capacity", c.QueueCapacity, consumer.QueueCapacity, 16, 1_000_000),
                BatchSize = r.Int("consumer.batch_size", c.BatchSize, consumer.BatchSize, 1, 10_000),
                Connections = r.Int("consumer.connections", c.Connections, consumer.Connections, 1, 32),
                QueueMaxBytes = r.Int("consumer.queue_max_bytes", c.QueueMaxBytes, (int)consumer.QueueMaxBytes, 1 << 20, int.MaxValue),
                MaxEvidenceBytes = r.Int("consumer.max_evidence_bytes", c.MaxEvidenceBytes, consumer.MaxEvidenceBytes, 1024, 64 << 20),
                MaxClipBytes = r.Int("consumer.max_clip_bytes", c.MaxClipBytes, consumer.MaxClipBytes, 1024, 256 << 20),
                MaxJsonBytes = r.Int("consumer.max_json_bytes", c.MaxJsonBytes, consumer.MaxJsonBytes, 1024, 16 << 20),
                DeadLetterKeepBytes = r.Int("consumer.dead_letter_keep_bytes", c.DeadLetterKeepBytes, consumer.DeadLetterKeepBytes, 0, 16 << 20),
                ReceiveMaximum = r.Int("consumer.receive_maximum", c.ReceiveMaximum, consumer.ReceiveMaximum, 1, 65_535),
                EvidenceReceiveMaximum = r.Int("consumer.evidence_receive_maximum", c.EvidenceReceiveMaximum, consumer.EvidenceReceiveMaximum, 1, 1000),
                RejectLogPerMinute = r.Int("consumer.reject_log_per_minute", c.RejectLogPerMinute, consumer.RejectLogPerMinute, 0, 100_000),
            };
            const string NoSpool = "no longer used: Central acknowledges each message only once it is stored, so there is no inbound spool; remove the key";
            if (c.SpoolDir is not null) r.Error("consumer.spool_dir", NoSpool);
            if (c.SpoolSync is not null) r.Error("consumer.spool_sync", NoSpool);
            if ((long)consumer.Connections * consumer.ReceiveMaximum > consumer.QueueCapacity)
                r.Error("consumer.queue_capacity", $"must be at least connections × receive_maximum ({consumer.Connections} × {consumer.ReceiveMaximum}), got {consumer.QueueCapacity}");
        }

        var correlation = new CorrelationSettings();
        if (f.Correlation?.Scenarios is { } scenarios)
        {
            var map = new Dictionary<string, ScenarioCorrelation>(CorrelationSettings.Defaults);
            foreach (var (scenario, s) in scenarios)
            {
                var d = correlation.For(scenario);
                var key = $"correlation.scenarios.{scenario}";
                map[scenario] = new ScenarioCorrelation(
                    r.Seconds($"{key}.window_s", s.Window, d.Window, 1, 7 * 86400),
                    r.Number($"{key}.min_iou", s.MinIou, d.MinIou, 0, 1),
                    r.Number($"{key}.radius_m", s.RadiusM, d.RadiusMetres, 1, 100_000),
                    r.Seconds($"{key}.cooldown_s", s.Cooldown, d.Cooldown, 0, 30 * 86400),
                    r.Seconds($"{key}.idle_close_s", s.IdleClose, d.IdleClose, 1, 30 * 86400));
            }
            correlation = new CorrelationSettings { Scenarios = map };
        }

        var platform = ReadPlatform(f.Platform, r, env);

        var verification = new VerificationSettings();
        if (f.Verification is { } v)
        {
            verification = new VerificationSettings
            {
                Enabled = v.Enabled ?? true,
                ReplyTimeout = r.Seconds("verification.reply_timeout_s", v.ReplyTimeout, verification.ReplyTimeout, 0.1, 7 * 86400),
                MaxAttempts = r.Int("verification.max_attempts", v.MaxAttempts, verification.MaxAttempts, 1, 100),
            };
        }

        var retention = new RetentionSettings();
        if (f.Retention is { } rt)
        {
            retention = new RetentionSettings
            {
                EvidenceMaxAge = r.Seconds("retention.evidence_max_age_s", rt.EvidenceMaxAge, retention.EvidenceMaxAge, 1, 3650 * 86400.0),
                EvidenceMaxBytes = (long)r.Number("retention.evidence_max_bytes", rt.EvidenceMaxBytes, retention.EvidenceMaxBytes, 0, 1e15),
                ClipMaxAge = r.Seconds("retention.clip_max_age_s", rt.ClipMaxAge, retention.ClipMaxAge, 1, 3650 * 86400.0),
                ClipMaxBytes = (long)r.Number("retention.clip_max_bytes", rt.ClipMaxBytes, retention.ClipMaxBytes, 0, 1e15),
                DeadLetterMaxAge = r.Seconds("retention.dead_letters_max_age_s", rt.DeadLettersMaxAge, retention.DeadLetterMaxAge, 1, 3650 * 86400.0),
                DeadLetterMaxRows = (long)r.Number("retention.dead_letters_max_rows", rt.DeadLettersMaxRows, retention.DeadLetterMaxRows, 0, 1e12),
                Interval = r.Seconds("retention.interval_s", rt.Interval, retention.Interval, 0.05, 86400),
            };
        }

        var (review, grids, routing, supervision) = ReadCaseLoop(f, r);
        var cockpit = new CockpitSettings();
        if (f.Cockpit?.Thresholds is { } thresholds)
        {
            var map = new Dictionary<string, Threshold>(CockpitSettings.Defaults, StringComparer.Ordinal);
            foreach (var (indicator, t) in thresholds)
            {
                var key = $"cockpit.thresholds.{indicator}";
                if (!CockpitSettings.Defaults.TryGetValue(indicator, out var d)) { r.Error(key, $"unknown indicator; known: {string.Join(", ", CockpitSettings.Defaults.Keys)}"); continue; }
                var th = new Threshold(r.Number($"{key}.yellow", t.Yellow, d.Yellow, 0, 1e9), r.Number($"{key}.red", t.Red, d.Red, 0, 1e9));
                if (th.Red < th.Yellow) r.Error($"{key}.red", "must not be below yellow");
                map[indicator] = th;
            }
            cockpit = new CockpitSettings { Thresholds = map };
        }
        var deviceFaults = new DeviceFaultSettings();
        if (f.DeviceFaults is { } df)
        {
            deviceFaults = new DeviceFaultSettings
            {
                After = r.Seconds("device_faults.after_s", df.After, deviceFaults.After, 1, 7 * 86400),
                FileCases = df.FileCases ?? deviceFaults.FileCases,
                Department = df.Department ?? deviceFaults.Department,
                CheckInterval = r.Seconds("device_faults.check_interval_s", df.CheckInterval, deviceFaults.CheckInterval, 0.05, 3600),
            };
        }

        return new CentralOptions
        {
            InstanceId = instance,
            LogLevel = logLevel,
            LogJson = f.LogJson ?? false,
            LogFile = f.LogFile,
            Mqtt = mqtt,
            Database = new DatabaseSettings { ConnectionString = connection ?? "" },
            Api = api,
            Consumer = consumer,
            Access = access,
            Correlation = correlation,
            Platform = platform,
            Verification = verification,
            Retention = retention,
            Review = review,
            Grids = grids,
            Routing = routing,
            Supervision = supervision,
            DeviceFaults = deviceFaults,
            Cockpit = cockpit,
        };
    }

    /// <summary>The governance platform: kind, URL, timeouts, retries, categories and its secrets.</summary>
    private static PlatformSettings ReadPlatform(PlatformFile? ps, Checks r, Func<string, string?> env)
    {
        var defaults = new PlatformSettings { Url = new Uri("http://localhost/") };
        if (ps is null)
        {
            r.Error("platform", "is required");
            return defaults;
        }
        var kindText = ps.Kind ?? "webhook";
        var kind = kindText switch
        {
            "webhook" => PlatformKind.Webhook,
            "open311" => PlatformKind.Open311,
            _ => (PlatformKind?)null,
        };
        if (kind is null) r.Error("platform.kind", $"must be 'webhook' or 'open311', got '{kindText}'");
        Uri? url = null;
        if (string.IsNullOrWhiteSpace(ps.Url)) r.Error("platform.url", "must not be empty");
        else if (!Uri.TryCreate(ps.Url, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https"))
            r.Error("platform.url", $"must be an absolute http(s) URL, got '{ps.Url}'");
        var retry = new RetrySettings();
        if (ps.Retry is { } rs)
        {
            retry = new RetrySettings
            {
                InitialDelay = r.Seconds("platform.retry.initial_delay_s", rs.InitialDelay, retry.InitialDelay, 0.01, 3600),
                MaxDelay = r.Seconds("platform.retry.max_delay_s", rs.MaxDelay, retry.MaxDelay, 0.01, 86400),
                MaxAttempts = r.Int("platform.retry.max_attempts", rs.MaxAttempts, retry.MaxAttempts, 1, 10_000),
                MaxAge = r.Seconds("platform.retry.max_age_s", rs.MaxAge, retry.MaxAge, 1, 365 * 86400),
            };
        }
        var categories = new Dictionary<string, PlatformCategory>(PlatformSettings.DefaultCategories);
        foreach (var (scenario, cat) in ps.Categories ?? new Dictionary<string, CategoryFile>())
        {
            foreach (var (key, value) in new[] { ("class", cat.Class), ("subclass", cat.Subclass), ("code", cat.Code) })
                if (string.IsNullOrWhiteSpace(value)) r.Error($"platform.categories.{scenario}.{key}", "must not be empty");
            categories[scenario] = new PlatformCategory(cat.Class, cat.Subclass, cat.Code);
        }
        var secret = env(SecretNames.PlatformSecret);
        var platform = new PlatformSettings
        {
            Kind = kind ?? PlatformKind.Webhook,
            Url = url ?? defaults.Url,
            Secret = secret,
            CallbackSecret = env(SecretNames.CallbackSecret) ?? secret,
            Open311ApiKey = env(SecretNames.Open311ApiKey),
            RequestTimeout = r.Seconds("platform.request_timeout_s", ps.RequestTimeout, defaults.RequestTimeout, 0.1, 600),
            PollInterval = r.Seconds("platform.poll_interval_s", ps.PollInterval, defaults.PollInterval, 0, 86400),
            OutboxPollInterval = r.Seconds("platform.outbox_poll_interval_s", ps.OutboxPollInterval, defaults.OutboxPollInterval, 0.05, 600),
            CallbackMaxSkew = r.Seconds("platform.callback_max_skew_s", ps.CallbackMaxSkew, defaults.CallbackMaxSkew, 1, 86400),
            Retry = retry,
            Categories = categories,
        };
        if (platform.Kind == PlatformKind.Webhook && string.IsNullOrEmpty(secret))
            r.Error("platform", $"the webhook signing secret must be set in the environment variable {SecretNames.PlatformSecret}");
        return platform;
    }

    /// <summary>The access key: the API token's permissions and further API users with tokens from the environment.</summary>
    private static AccessSettings ReadAccess(AccessFile? a, Checks r, Func<string, string?> env, string? apiToken)
    {
        var access = new AccessSettings();
        if (a is null) return access;
        List<string> Permissions(string key, IReadOnlyList<string>? list)
        {
            foreach (var p in (list ?? []).Where(p => !AccessSettings.Permissions.All.Contains(p))) r.Error(key, $"unknown permission '{p}'; known: {string.Join(", ", AccessSettings.Permissions.All)}");
            return [.. list ?? []];
        }
        List<string> Cameras(string key, IReadOnlyList<string>? list)
        {
            foreach (var c in (list ?? []).Where(c => c.Split('/').Length != 2 || c.Split('/').Any(x => x.Length == 0))) r.Error(key, $"'{c}' must be written device_id/camera_id");
            return [.. list ?? []];
        }
        var users = new List<ApiUser>();
        var names = new HashSet<string>(StringComparer.Ordinal) { "api", "dashboard" };
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        if (apiToken is not null) tokens.Add(apiToken);
        var userList = a.Users ?? [];
        for (var i = 0; i < userList.Count; i++)
        {
            var u = userList[i];
            var key = $"access.users[{i}]";
            var userName = u.Name;
            if (string.IsNullOrWhiteSpace(userName)) r.Error($"{key}.name", "must not be empty");
            else if (!names.Add(userName)) r.Error($"{key}.name", $"'{userName}' is taken (api and dashboard are reserved; names are unique)");
            if (userName.Length > 64 || userName.Any(ch => !char.IsAsciiLetterOrDigit(ch) && ch is not ('.' or '_' or '-' or '@'))) r.Error($"{key}.name", "must be 1-64 of [A-Za-z0-9._@-]");
            var tokenEnv = u.TokenEnv;
            var userToken = string.IsNullOrWhiteSpace(tokenEnv) ? null : env(tokenEnv);
            if (string.IsNullOrWhiteSpace(tokenEnv)) r.Error($"{key}.token_env", "must not be empty");
            else if (string.IsNullOrEmpty(userToken)) r.Error($"{key}.token_env", $"the environment variable {tokenEnv} (or {tokenEnv}_FILE) is not set");
            else if (userToken.Length < 16) r.Error($"{key}.token_env", $"{tokenEnv} must be at least 16 characters");
            else if (!tokens.Add(userToken)) r.Error($"{key}.token_env", $"{tokenEnv} holds a token another user (or the API token) has");
            users.Add(new ApiUser(userName, userToken ?? "", Permissions($"{key}.permissions", u.Permissions), Cameras($"{key}.cameras", u.Cameras)));
        }
        return new AccessSettings
        {
            ApiTokenPermissions = Permissions("access.api_token_permissions", a.ApiTokenPermissions),
            ApiTokenCameras = Cameras("access.api_token_cameras", a.ApiTokenCameras),
            Users = users,
            FetchTimeout = r.Seconds("access.fetch_timeout_s", a.FetchTimeout, access.FetchTimeout, 0.1, 600),
        };
    }

    /// <summary>The case loop's keys: review, grids (the GeoJSON file is loaded and checked here), routing, supervision.</summary>
    private static (ReviewSettings, GridSettings, RoutingSettings, SupervisionSettings) ReadCaseLoop(CentralFile f, Checks r)
    {
        var review = new ReviewSettings();
        if (f.Review is { } rv)
        {
            string Policy(string key, string value, IReadOnlyList<string> allowed)
            {
                if (!allowed.Contains(value)) r.Error(key, $"must be one of {string.Join(", ", allowed)}, got '{value}'");
                return value;
            }
            Dictionary<string, string> Map(string key, IReadOnlyDictionary<string, string>? map) =>
                (map ?? new Dictionary<string, string>()).ToDictionary(e => e.Key, e => Policy($"review.{key}.{e.Key}", e.Value, ReviewPolicies.Policies), StringComparer.Ordinal);
            review = new ReviewSettings
            {
                Default = Policy("review.default", rv.Default ?? review.Default, ReviewPolicies.Policies),
                Scenarios = Map("scenarios", rv.Scenarios),
                Cameras = Map("cameras", rv.Cameras),
                Grids = Map("grids", rv.Grids),
                Timeout = r.Seconds("review.timeout_s", rv.Timeout, review.Timeout, 1, 30 * 86400),
                TimeoutAction = Policy("review.timeout_action", rv.TimeoutAction ?? review.TimeoutAction, [ReviewPolicies.File, ReviewPolicies.Dismiss]),
                CheckInterval = r.Seconds("review.check_interval_s", rv.CheckInterval, review.CheckInterval, 0.05, 3600),
            };
            foreach (var camera in review.Cameras.Keys.Where(k => k.Split('/').Length != 2)) r.Error($"review.cameras.{camera}", "must be written device_id/camera_id");
        }

        var grids = new GridSettings();
        if (f.Grids is { } gs)
        {
            var file = gs.File;
            if (string.IsNullOrWhiteSpace(file)) r.Error("grids.file", "must not be empty");
            else if (!File.Exists(file)) r.Error("grids.file", $"file not found: {file}");
            else
            {
                try
                {
                    grids = new GridSettings { File = file, Map = Grids.GridMap.Load(file) };
                }
                catch (FormatException ex)
                {
                    r.Error("grids.file", $"{file}: {ex.Message}");
                }
            }
        }
        foreach (var code in review.Grids.Keys.Where(c => grids.Map.Get(c) is null))
            r.Error($"review.grids.{code}", "no grid with this code in grids.file");

        var routing = new RoutingSettings();
        if (f.Routing is { } rt)
        {
            var rules = new List<RoutingRule>();
            var ruleList = rt.Rules ?? [];
            for (var i = 0; i < ruleList.Count; i++)
            {
                var rule = ruleList[i];
                if (rule.Grid is { } grid && grids.Map.Get(grid) is null) r.Error($"routing.rules[{i}].grid", $"no grid '{grid}' in grids.file");
                if (string.IsNullOrWhiteSpace(rule.Department)) r.Error($"routing.rules[{i}].department", "must not be empty");
                rules.Add(new RoutingRule(rule.Scenario, rule.Grid, rule.Street, rule.Community, rule.Department));
            }
            routing = new RoutingSettings { Rules = rules, Fallback = rt.Fallback ?? routing.Fallback };
        }

        var supervision = new SupervisionSettings();
        if (f.Supervision is { } sv)
        {
            var deadlines = new Dictionary<string, TimeSpan>(SupervisionSettings.DefaultDeadlines, StringComparer.Ordinal);
            foreach (var (scenario, seconds) in sv.DeadlinesS ?? new Dictionary<string, double>())
                deadlines[scenario] = TimeSpan.FromSeconds(r.Number($"supervision.deadlines_s.{scenario}", seconds, supervision.DeadlineFor(scenario).TotalSeconds, 1, 365 * 86400));
            supervision = new SupervisionSettings
            {
                Deadlines = deadlines,
                DefaultDeadline = r.Seconds("supervision.default_deadline_s", sv.DefaultDeadline, supervision.DefaultDeadline, 1, 365 * 86400),
                ReopenEscalateAfter = r.Int("supervision.reopen_escalate_after", sv.ReopenEscalateAfter, supervision.ReopenEscalateAfter, 1, 1000),
                CheckInterval = r.Seconds("supervision.check_interval_s", sv.CheckInterval, supervision.CheckInterval, 0.05, 3600),
            };
        }
        return (review, grids, routing, supervision);
    }

    /// <summary>Range and meaning errors by key path, in the messages Central has always given.</summary>
    private sealed class Checks
    {
        public List<ConfigError> Errors { get; } = [];

        public void Error(string path, string reason) => Errors.Add(new ConfigError(path, reason));

        public double Number(string path, double? value, double fallback, double min, double max)
        {
            if (value is not { } d) return fallback;
            if (d >= min && d <= max) return d;
            Error(path, $"must be between {min} and {max}, got {d}");
            return fallback;
        }

        public int Int(string path, long? value, int fallback, int min, int max)
        {
            if (value is not { } l) return fallback;
            if (l >= min && l <= max) return (int)l;
            Error(path, $"must be between {min} and {max}, got {l}");
            return fallback;
        }

        /// <summary>A duration the file writes in seconds (keys ending in <c>_s</c>, read by <see cref="SecondsJsonConverter"/>):
        /// <paramref name="value"/> when it lies within [<paramref name="min"/>, <paramref name="max"/>] seconds, else an error
        /// naming the seconds the file said and <paramref name="fallback"/>; <paramref name="fallback"/> when absent.</summary>
        public TimeSpan Seconds(string path, TimeSpan? value, TimeSpan fallback, double min, double max)
        {
            if (value is not { } t) return fallback;
            var seconds = t.TotalSeconds;
            if (seconds >= min && seconds <= max) return t;
            Error(path, $"must be between {min} and {max}, got {seconds}");
            return fallback;
        }
    }
}

using System.Text.Json;
using EdgeAi.Configuration;

namespace EdgeAi.Central.Configuration;

/// <summary>
/// Loads and validates Central's JSON config file (see central.sample.json) and the secrets from the environment.
/// Reports every error at once, each naming the file, the key and the reason.
/// </summary>
internal static class CentralConfigLoader
{
    public static CentralOptions Load(string file, Func<string, string?>? env = null)
    {
        env = SecretFiles.WithFiles(env ?? Environment.GetEnvironmentVariable);
        var name = System.IO.Path.GetFileName(file);
        if (!File.Exists(file)) throw new ConfigException([$"{file}: file not found"]);
        var bytes = File.ReadAllBytes(file);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ConfigException([new ConfigError("", $"not valid JSON: {ex.Message}").Format(name, (int)(ex.LineNumber ?? 0) + 1)]);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new ConfigException([$"{name}: the top level must be a JSON object"]);
            var lines = JsonLineMap.Build(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return Read(doc.RootElement, name, env, lines) with { ConfigFile = file };
        }
    }

    public static CentralOptions Read(JsonElement root, string name, Func<string, string?> env, JsonLineMap? lines = null)
    {
        var errors = new List<string>();
        var r = new ConfigSection(root, "", name, errors, lines);

        var instance = r.String("instance_id") ?? $"{Environment.MachineName}-{Environment.ProcessId}";
        var logLevel = r.String("log_level", "Information")!;
        if (logLevel is not ("Verbose" or "Debug" or "Information" or "Warning" or "Error")) r.Error("log_level", "must be Verbose, Debug, Information, Warning or Error");
        var logJson = r.Bool("log_json", false);
        var logFile = r.String("log_file");
        if (logFile is { } lf && (lf.Length == 0 || !Directory.Exists(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(lf)))))
            r.Error("log_file", $"the folder of '{lf}' does not exist");

        var mqttSection = r.Section("mqtt");
        var mqtt = new MqttSettings();
        if (mqttSection is { } m)
        {
            mqtt = new MqttSettings
            {
                Host = m.String("host", mqtt.Host)!,
                Port = m.Int("port", mqtt.Port, 1, 65535),
                Username = m.String("username", mqtt.Username)!,
                ShareGroup = m.String("share_group", mqtt.ShareGroup)!,
                TlsCaFile = m.String("tls_ca_file"),
                TlsCertFile = m.String("tls_cert_file"),
                TlsKeyFile = m.String("tls_key_file"),
                KeepAlive = m.Seconds("keep_alive_s", mqtt.KeepAlive, 5, 3600),
            };
            if (mqtt.ShareGroup.IndexOfAny(['/', '+', '#']) >= 0) m.Error("share_group", "must not contain '/', '+' or '#'");
            if (mqtt.TlsCaFile is { } ca && !File.Exists(ca)) m.Error("tls_ca_file", $"file not found: {ca}");
            if (mqtt.TlsCertFile is { } cert && !File.Exists(cert)) m.Error("tls_cert_file", $"file not found: {cert}");
            if (mqtt.TlsKeyFile is { } key && !File.Exists(key)) m.Error("tls_key_file", $"file not found: {key}");
            if ((mqtt.TlsCertFile is null) != (mqtt.TlsKeyFile is null)) m.Error(mqtt.TlsCertFile is null ? "tls_cert_file" : "tls_key_file", "tls_cert_file and tls_key_file go together");
            if (mqtt.TlsCertFile is not null && mqtt.TlsCaFile is null) m.Error("tls_ca_file", "is required with a client certificate");
        }
        mqtt = mqtt with { Password = env(SecretNames.MqttPassword) };

        var dbSection = r.Section("database");
        var connection = env(SecretNames.Database) ?? dbSection?.String("connection_string");
        if (dbSection is null && connection is null) r.Error("database", "is required (or set " + SecretNames.Database + ")");
        else if (string.IsNullOrWhiteSpace(connection)) errors.Add($"{name}: database.connection_string: is required (or set {SecretNames.Database})");

        var apiSection = r.Section("api");
        var token = env(SecretNames.ApiToken);
        if (string.IsNullOrEmpty(token)) errors.Add($"{name}: api: the bearer token must be set in the environment variable {SecretNames.ApiToken}");
        else if (token.Length < 16) errors.Add($"{name}: api: {SecretNames.ApiToken} must be at least 16 characters");
        var api = new ApiSettings { Token = token ?? "" };
        if (apiSection is { } a)
        {
            api = api with
            {
                Listen = a.String("listen", api.Listen)!,
                PublicBaseUrl = a.String("public_base_url"),
                MaxRequestBytes = a.Int("max_request_bytes", (int)api.MaxRequestBytes, 1024, 64 << 20),
            };
            if (!Uri.TryCreate(api.Listen, UriKind.Absolute, out _)) a.Error("listen", $"must be an absolute URL such as http://127.0.0.1:8080, got '{api.Listen}'");
            if (api.PublicBaseUrl is { } p && !Uri.TryCreate(p, UriKind.Absolute, out _)) a.Error("public_base_url", "must be an absolute URL");
        }

        var access = ReadAccess(r, env, token);

        var consumer = new ConsumerSettings();
        if (r.Section("consumer") is { } c)
        {
            consumer = new ConsumerSettings
            {
                QueueCapacity = c.Int("queue_capacity", consumer.QueueCapacity, 16, 1_000_000),
                BatchSize = c.Int("batch_size", consumer.BatchSize, 1, 10_000),
                Connections = c.Int("connections", consumer.Connections, 1, 32),
                QueueMaxBytes = c.Int("queue_max_bytes", (int)consumer.QueueMaxBytes, 1 << 20, int.MaxValue),
                MaxEvidenceBytes = c.Int("max_evidence_bytes", consumer.MaxEvidenceBytes, 1024, 64 << 20),
                MaxClipBytes = c.Int("max_clip_bytes", consumer.MaxClipBytes, 1024, 256 << 20),
                MaxJsonBytes = c.Int("max_json_bytes", consumer.MaxJsonBytes, 1024, 16 << 20),
                DeadLetterKeepBytes = c.Int("dead_letter_keep_bytes", consumer.DeadLetterKeepBytes, 0, 16 << 20),
                ReceiveMaximum = c.Int("receive_maximum", consumer.ReceiveMaximum, 1, 65_535),
                EvidenceReceiveMaximum = c.Int("evidence_receive_maximum", consumer.EvidenceReceiveMaximum, 1, 1000),
                RejectLogPerMinute = c.Int("reject_log_per_minute", consumer.RejectLogPerMinute, 0, 100_000),
            };
            foreach (var gone in new[] { "spool_dir", "spool_sync" })
                if (c.String(gone) is not null) c.Error(gone, "no longer used: Central acknowledges each message only once it is stored, so there is no inbound spool; remove the key");
            if ((long)consumer.Connections * consumer.ReceiveMaximum > consumer.QueueCapacity)
                c.Error("queue_capacity", $"must be at least connections × receive_maximum ({consumer.Connections} × {consumer.ReceiveMaximum}), got {consumer.QueueCapacity}");
        }

        var correlation = new CorrelationSettings();
        if (r.Section("correlation") is { } corr && corr.Section("scenarios") is { } scen)
        {
            var map = new Dictionary<string, ScenarioCorrelation>(CorrelationSettings.Defaults);
            foreach (var (scenario, s) in scen.Entries())
            {
                var d = correlation.For(scenario);
                map[scenario] = new ScenarioCorrelation(
                    s.Seconds("window_s", d.Window, 1, 7 * 86400),
                    s.Number("min_iou", d.MinIou, 0, 1),
                    s.Number("radius_m", d.RadiusMetres, 1, 100_000),
                    s.Seconds("cooldown_s", d.Cooldown, 0, 30 * 86400),
                    s.Seconds("idle_close_s", d.IdleClose, 1, 30 * 86400));
            }
            correlation = new CorrelationSettings { Scenarios = map };
        }

        PlatformSettings? platform = null;
        var ps = r.Section("platform");
        if (ps is null) r.Error("platform", "is required");
        else
        {
            var kindText = ps.String("kind", "webhook")!;
            var kind = kindText switch
            {
                "webhook" => PlatformKind.Webhook,
                "open311" => PlatformKind.Open311,
                _ => (PlatformKind?)null,
            };
            if (kind is null) ps.Error("kind", $"must be 'webhook' or 'open311', got '{kindText}'");
            var urlText = ps.String("url", required: true);
            Uri? url = null;
            if (urlText is not null && (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https")))
                ps.Error("url", $"must be an absolute http(s) URL, got '{urlText}'");
            var retry = new RetrySettings();
            if (ps.Section("retry") is { } rs)
            {
                retry = new RetrySettings
                {
                    InitialDelay = rs.Seconds("initial_delay_s", retry.InitialDelay, 0.01, 3600),
                    MaxDelay = rs.Seconds("max_delay_s", retry.MaxDelay, 0.01, 86400),
                    MaxAttempts = rs.Int("max_attempts", retry.MaxAttempts, 1, 10_000),
                    MaxAge = rs.Seconds("max_age_s", retry.MaxAge, 1, 365 * 86400),
                };
            }
            var categories = new Dictionary<string, PlatformCategory>(PlatformSettings.DefaultCategories);
            if (ps.Section("categories") is { } cs)
            {
                foreach (var (scenario, cat) in cs.Entries())
                {
                    categories[scenario] = new PlatformCategory(
                        cat.String("class", required: true) ?? "", cat.String("subclass", required: true) ?? "", cat.String("code", required: true) ?? "");
                }
            }
            var secret = env(SecretNames.PlatformSecret);
            var defaults = new PlatformSettings { Url = new Uri("http://localhost/") };
            platform = new PlatformSettings
            {
                Kind = kind ?? PlatformKind.Webhook,
                Url = url ?? defaults.Url,
                Secret = secret,
                CallbackSecret = env(SecretNames.CallbackSecret) ?? secret,
                Open311ApiKey = env(SecretNames.Open311ApiKey),
                RequestTimeout = ps.Seconds("request_timeout_s", defaults.RequestTimeout, 0.1, 600),
                PollInterval = ps.Seconds("poll_interval_s", defaults.PollInterval, 0, 86400),
                OutboxPollInterval = ps.Seconds("outbox_poll_interval_s", defaults.OutboxPollInterval, 0.05, 600),
                CallbackMaxSkew = ps.Seconds("callback_max_skew_s", defaults.CallbackMaxSkew, 1, 86400),
                Retry = retry,
                Categories = categories,
            };
            if (platform.Kind == PlatformKind.Webhook && string.IsNullOrEmpty(secret))
                errors.Add($"{name}: platform: the webhook signing secret must be set in the environment variable {SecretNames.PlatformSecret}");
        }

        var verification = new VerificationSettings();
        if (r.Section("verification") is { } v)
        {
            verification = new VerificationSettings
            {
                Enabled = v.Bool("enabled", true),
                ReplyTimeout = v.Seconds("reply_timeout_s", verification.ReplyTimeout, 0.1, 7 * 86400),
                MaxAttempts = v.Int("max_attempts", verification.MaxAttempts, 1, 100),
            };
        }

        var retention = new RetentionSettings();
        if (r.Section("retention") is { } rt)
        {
            retention = new RetentionSettings
            {
                EvidenceMaxAge = rt.Seconds("evidence_max_age_s", retention.EvidenceMaxAge, 1, 3650 * 86400.0),
                EvidenceMaxBytes = (long)rt.Number("evidence_max_bytes", retention.EvidenceMaxBytes, 0, 1e15),
                ClipMaxAge = rt.Seconds("clip_max_age_s", retention.ClipMaxAge, 1, 3650 * 86400.0),
                ClipMaxBytes = (long)rt.Number("clip_max_bytes", retention.ClipMaxBytes, 0, 1e15),
                DeadLetterMaxAge = rt.Seconds("dead_letters_max_age_s", retention.DeadLetterMaxAge, 1, 3650 * 86400.0),
                DeadLetterMaxRows = (long)rt.Number("dead_letters_max_rows", retention.DeadLetterMaxRows, 0, 1e12),
                Interval = rt.Seconds("interval_s", retention.Interval, 0.05, 86400),
            };
        }

        var (review, grids, routing, supervision) = ReadCaseLoop(r);
        var cockpit = new CockpitSettings();
        if (r.Section("cockpit") is { } cp && cp.Section("thresholds") is { } ths)
        {
            var map = new Dictionary<string, Threshold>(CockpitSettings.Defaults, StringComparer.Ordinal);
            foreach (var (indicator, t) in ths.Entries())
            {
                if (!CockpitSettings.Defaults.ContainsKey(indicator)) { ths.Error(indicator, $"unknown indicator; known: {string.Join(", ", CockpitSettings.Defaults.Keys)}"); continue; }
                var d = CockpitSettings.Defaults[indicator];
                var th = new Threshold(t.Number("yellow", d.Yellow, 0, 1e9), t.Number("red", d.Red, 0, 1e9));
                if (th.Red < th.Yellow) t.Error("red", "must not be below yellow");
                map[indicator] = th;
            }
            cockpit = new CockpitSettings { Thresholds = map };
        }
        var deviceFaults = new DeviceFaultSettings();
        if (r.Section("device_faults") is { } df)
        {
            deviceFaults = new DeviceFaultSettings
            {
                After = df.Seconds("after_s", deviceFaults.After, 1, 7 * 86400),
                FileCases = df.Bool("file_cases", deviceFaults.FileCases),
                Department = df.String("department", deviceFaults.Department)!,
                CheckInterval = df.Seconds("check_interval_s", deviceFaults.CheckInterval, 0.05, 3600),
            };
        }

        r.ReportUnknownKeys();
        if (errors.Count > 0) throw new ConfigException(errors);

        return new CentralOptions
        {
            InstanceId = instance,
            LogLevel = logLevel,
            LogJson = logJson,
            LogFile = logFile,
            Mqtt = mqtt,
            Database = new DatabaseSettings { ConnectionString = connection! },
            Api = api,
            Consumer = consumer,
            Access = access,
            Correlation = correlation,
            Platform = platform!,
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

    /// <summary>The access key: the API token's permissions and further API users with tokens from the environment.</summary>
    private static AccessSettings ReadAccess(ConfigSection r, Func<string, string?> env, string? apiToken)
    {
        var access = new AccessSettings();
        if (r.Section("access") is not { } a) return access;
        List<string> Permissions(ConfigSection s, string key)
        {
            var list = s.Strings(key);
            foreach (var p in list.Where(p => !AccessSettings.Permissions.All.Contains(p))) s.Error(key, $"unknown permission '{p}'; known: {string.Join(", ", AccessSettings.Permissions.All)}");
            return list;
        }
        List<string> Cameras(ConfigSection s, string key)
        {
            var list = s.Strings(key);
            foreach (var c in list.Where(c => c.Split('/').Length != 2 || c.Split('/').Any(x => x.Length == 0))) s.Error(key, $"'{c}' must be written device_id/camera_id");
            return list;
        }
        var users = new List<ApiUser>();
        var names = new HashSet<string>(StringComparer.Ordinal) { "api", "dashboard" };
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        if (apiToken is not null) tokens.Add(apiToken);
        foreach (var u in a.Array("users"))
        {
            var userName = u.String("name", required: true) ?? "";
            if (userName.Length > 0 && !names.Add(userName)) u.Error("name", $"'{userName}' is taken (api and dashboard are reserved; names are unique)");
            if (userName.Length > 64 || userName.Any(ch => !char.IsAsciiLetterOrDigit(ch) && ch is not ('.' or '_' or '-' or '@'))) u.Error("name", "must be 1-64 of [A-Za-z0-9._@-]");
            var tokenEnv = u.String("token_env", required: true);
            var userToken = tokenEnv is null ? null : env(tokenEnv);
            if (tokenEnv is not null && string.IsNullOrEmpty(userToken)) u.Error("token_env", $"the environment variable {tokenEnv} (or {tokenEnv}_FILE) is not set");
            else if (userToken is { Length: < 16 }) u.Error("token_env", $"{tokenEnv} must be at least 16 characters");
            else if (userToken is not null && !tokens.Add(userToken)) u.Error("token_env", $"{tokenEnv} holds a token another user (or the API token) has");
            users.Add(new ApiUser(userName, userToken ?? "", Permissions(u, "permissions"), Cameras(u, "cameras")));
        }
        return new AccessSettings
        {
            ApiTokenPermissions = Permissions(a, "api_token_permissions"),
            ApiTokenCameras = Cameras(a, "api_token_cameras"),
            Users = users,
            FetchTimeout = a.Seconds("fetch_timeout_s", access.FetchTimeout, 0.1, 600),
        };
    }

    /// <summary>The case loop's keys: review, grids (the GeoJSON file is loaded and checked here), routing, supervision.</summary>
    private static (ReviewSettings, GridSettings, RoutingSettings, SupervisionSettings) ReadCaseLoop(ConfigSection r)
    {
        var review = new ReviewSettings();
        if (r.Section("review") is { } rv)
        {
            string Policy(ConfigSection sec, string key, string value, IReadOnlyList<string> allowed)
            {
                if (!allowed.Contains(value)) sec.Error(key, $"must be one of {string.Join(", ", allowed)}, got '{value}'");
                return value;
            }
            Dictionary<string, string> Map(string key) =>
                rv.Section(key) is { } m ? m.StringEntries().ToDictionary(e => e.Name, e => Policy(m, e.Name, e.Value, ReviewPolicies.Policies), StringComparer.Ordinal) : new(StringComparer.Ordinal);
            review = new ReviewSettings
            {
                Default = Policy(rv, "default", rv.String("default", review.Default)!, ReviewPolicies.Policies),
                Scenarios = Map("scenarios"),
                Cameras = Map("cameras"),
                Grids = Map("grids"),
                Timeout = rv.Seconds("timeout_s", review.Timeout, 1, 30 * 86400),
                TimeoutAction = Policy(rv, "timeout_action", rv.String("timeout_action", review.TimeoutAction)!, [ReviewPolicies.File, ReviewPolicies.Dismiss]),
                CheckInterval = rv.Seconds("check_interval_s", review.CheckInterval, 0.05, 3600),
            };
            foreach (var camera in review.Cameras.Keys.Where(k => k.Split('/').Length != 2)) rv.Error($"cameras.{camera}", "must be written device_id/camera_id");
        }

        var grids = new GridSettings();
        if (r.Section("grids") is { } gs)
        {
            var file = gs.String("file", required: true);
            if (file is not null)
            {
                if (!File.Exists(file)) gs.Error("file", $"file not found: {file}");
                else
                {
                    try
                    {
                        grids = new GridSettings { File = file, Map = Grids.GridMap.Load(file) };
                    }
                    catch (FormatException ex)
                    {
                        gs.Error("file", $"{file}: {ex.Message}");
                    }
                }
            }
        }
        foreach (var code in review.Grids.Keys.Where(c => grids.Map.Get(c) is null))
            r.Error($"review.grids.{code}", "no grid with this code in grids.file");

        var routing = new RoutingSettings();
        if (r.Section("routing") is { } rt)
        {
            var rules = new List<RoutingRule>();
            foreach (var rule in rt.Array("rules"))
            {
                var grid = rule.String("grid");
                if (grid is not null && grids.Map.Get(grid) is null) rule.Error("grid", $"no grid '{grid}' in grids.file");
                rules.Add(new RoutingRule(rule.String("scenario"), grid, rule.String("street"), rule.String("community"), rule.String("department", required: true) ?? ""));
            }
            routing = new RoutingSettings { Rules = rules, Fallback = rt.String("fallback", routing.Fallback)! };
        }

        var supervision = new SupervisionSettings();
        if (r.Section("supervision") is { } sv)
        {
            var deadlines = new Dictionary<string, TimeSpan>(SupervisionSettings.DefaultDeadlines, StringComparer.Ordinal);
            if (sv.Section("deadlines_s") is { } d)
            {
                foreach (var scenario in d.Names()) deadlines[scenario] = d.Seconds(scenario, supervision.DeadlineFor(scenario), 1, 365 * 86400);
            }
            supervision = new SupervisionSettings
            {
                Deadlines = deadlines,
                DefaultDeadline = sv.Seconds("default_deadline_s", supervision.DefaultDeadline, 1, 365 * 86400),
                ReopenEscalateAfter = sv.Int("reopen_escalate_after", supervision.ReopenEscalateAfter, 1, 1000),
                CheckInterval = sv.Seconds("check_interval_s", supervision.CheckInterval, 0.05, 3600),
            };
        }
        return (review, grids, routing, supervision);
    }
}

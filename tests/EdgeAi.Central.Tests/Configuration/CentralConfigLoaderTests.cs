using EdgeAi.Central.Configuration;
using EdgeAi.Configuration;
using EdgeAi.Testing;

namespace EdgeAi.Central.Tests.Configuration;

public sealed class CentralConfigLoaderTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDir("cfg");

    private static readonly Dictionary<string, string> Secrets = new()
    {
        [SecretNames.ApiToken] = "0123456789abcdef0123",
        [SecretNames.PlatformSecret] = "platform-secret",
    };

    private string Write(string json)
    {
        var path = Path.Combine(_dir, "central.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Load_ValidFile_OptionsWithSecretsFromEnvironment()
    {
        var path = Write("""
            { "database": { "connection_string": "Host=db;Username=central;Database=central" },
              "platform": { "kind": "open311", "url": "http://platform.local/api", "retry": { "max_attempts": 5 },
                            "categories": { "litter": { "class": "市容环境", "subclass": "暴露垃圾", "code": "A01" } } },
              "correlation": { "scenarios": { "crowding": { "radius_m": 250 } } } }
            """);
        var o = CentralConfigLoader.Load(path, n => Secrets.GetValueOrDefault(n));
        Assert.Equal(DatabaseProvider.Postgres, o.Database.Provider);
        Assert.Equal(PlatformKind.Open311, o.Platform.Kind);
        Assert.Equal(5, o.Platform.Retry.MaxAttempts);
        Assert.Equal("A01", o.Platform.CategoryFor("litter").Code);
        Assert.Equal(250, o.Correlation.For("crowding").RadiusMetres);
        Assert.Equal(CorrelationSettings.Defaults["crowding"].Window, o.Correlation.For("crowding").Window);
        Assert.Equal("0123456789abcdef0123", o.Api.Token);
    }

    [Fact]
    public void Load_AccessUsers_TokensFromEnvironmentPermissionsAndCameras()
    {
        var path = Write("""
            { "database": { "connection_string": "Data Source=x.db" }, "platform": { "url": "http://platform.local/" },
              "consumer": { "max_clip_bytes": 8388608, "evidence_receive_maximum": 4 },
              "retention": { "clip_max_bytes": 1000000000, "clip_max_age_s": 86400 },
              "access": { "fetch_timeout_s": 12, "api_token_permissions": [],
                          "users": [ { "name": "alice", "token_env": "TOKEN_ALICE", "permissions": ["evidence_unblurred"], "cameras": ["edge-01/cam-1"] },
                                     { "name": "bob", "token_env": "TOKEN_BOB" } ] } }
            """);
        var env = new Dictionary<string, string>(Secrets) { ["TOKEN_ALICE"] = "alice-token-0123456789", ["TOKEN_BOB"] = "bob-token-0123456789" };
        var o = CentralConfigLoader.Load(path, n => env.GetValueOrDefault(n));
        Assert.Equal(TimeSpan.FromSeconds(12), o.Access.FetchTimeout);
        Assert.Equal(["alice", "bob"], o.Access.Users.Select(u => u.Name));
        Assert.Equal("alice-token-0123456789", o.Access.Users[0].Token);
        Assert.Equal(["edge-01/cam-1"], o.Access.Users[0].Cameras);
        Assert.Equal((8 << 20, 4), (o.Consumer.MaxClipBytes, o.Consumer.EvidenceReceiveMaximum));
        Assert.Equal((1_000_000_000L, TimeSpan.FromDays(1)), (o.Retention.ClipMaxBytes, o.Retention.ClipMaxAge));
        var policy = new EdgeAi.Central.Evidence.AccessPolicy(o);
        Assert.Equal("alice", policy.Authenticate("alice-token-0123456789"));
        Assert.Equal("api", policy.Authenticate("0123456789abcdef0123"));
        Assert.Null(policy.Authenticate("alice-token-012345678"));
        Assert.True(policy.CanSeeUnblurred("alice", "edge-01", "cam-1").Allowed);
        Assert.Contains("only, not edge-01/cam-2", policy.CanSeeUnblurred("alice", "edge-01", "cam-2").Reason);
        Assert.Contains("lacks the evidence_unblurred permission", policy.CanSeeUnblurred("bob", "edge-01", "cam-1").Reason);
        Assert.False(policy.CanSeeUnblurred("api", "edge-01", "cam-1").Allowed);   // privacy by default
    }

    [Fact]
    public void Load_BadAccess_EveryErrorNamed()
    {
        var path = Write("""
            { "database": { "connection_string": "Data Source=x.db" }, "platform": { "url": "http://platform.local/" },
              "access": { "users": [ { "name": "api", "token_env": "T1", "permissions": ["see_everything"] },
                                     { "name": "carol", "token_env": "T_MISSING", "cameras": ["cam-1"] },
                                     { "name": "dave", "token_env": "T_SHORT" },
                                     { "name": "erin", "token_env": "T_API" } ] } }
            """);
        var env = new Dictionary<string, string>(Secrets) { ["T1"] = "token-one-0123456789", ["T_SHORT"] = "short", ["T_API"] = Secrets[SecretNames.ApiToken] };
        var ex = Assert.Throws<ConfigException>(() => CentralConfigLoader.Load(path, n => env.GetValueOrDefault(n)));
        var all = string.Join("\n", ex.Errors);
        Assert.Contains("access.users[0].name: 'api' is taken", all);
        Assert.Contains("access.users[0].permissions: unknown permission 'see_everything'; known: evidence_unblurred", all);
        Assert.Contains("access.users[1].token_env: the environment variable T_MISSING (or T_MISSING_FILE) is not set", all);
        Assert.Contains("access.users[1].cameras: 'cam-1' must be written device_id/camera_id", all);
        Assert.Contains("access.users[2].token_env: T_SHORT must be at least 16 characters", all);
        Assert.Contains("access.users[3].token_env: T_API holds a token another user (or the API token) has", all);
    }

    [Fact]
    public void Load_BrokenFile_EveryErrorNamesFileKeyAndReason()
    {
        var path = Write("""
            { "mqtt": { "port": 70000, "colour": "red" },
              "database": { "connection_string": 5 },
              "platform": { "kind": "fax", "url": "ftp://x" },
              "correlation": { "scenarios": { "litter": { "min_iou": 2 } } } }
            """);
        var ex = Assert.Throws<ConfigException>(() => CentralConfigLoader.Load(path, _ => null));
        var all = string.Join("\n", ex.Errors);
        Assert.Contains("central.json:1: mqtt.port: must be between 1 and 65535, got 70000", all);
        Assert.Contains("central.json:1: mqtt.colour: unknown key", all);
        Assert.Contains("central.json:2: database.connection_string: must be a string, got a number (5)", all);
        Assert.Contains("central.json:3: platform.kind: must be 'webhook' or 'open311', got 'fax'", all);
        Assert.Contains("central.json:3: platform.url: must be an absolute http(s) URL, got 'ftp://x'", all);
        Assert.Contains("central.json:4: correlation.scenarios.litter.min_iou: must be between 0 and 1, got 2", all);
        Assert.Contains("EDGEAI_CENTRAL_API_TOKEN", all);
    }

    [Fact]
    public void Load_SharedReader_SuggestsSnakeCaseKeysAndChecksMapValues()
    {
        var path = Write("""
            { "database": { "connectionString": "Data Source=x.db" }, "platform": { "url": "http://p/" },
              "review": { "scenarios": { "litter": 5 } },
              "supervision": { "deadlines_s": { "litter": "1h" } } }
            """);
        var ex = Assert.Throws<ConfigException>(() => CentralConfigLoader.Load(path, n => Secrets.GetValueOrDefault(n)));
        Assert.Contains("central.json:1: database.connectionString: unknown key (did you mean 'connection_string'? keys are snake_case)", ex.Errors);
        Assert.Contains("central.json:2: review.scenarios.litter: must be a string, got a number (5)", ex.Errors);
        Assert.Contains("central.json:3: supervision.deadlines_s.litter: must be a number, got a string (\"1h\")", ex.Errors);
    }

    [Fact]
    public void Load_SecretFromFile_Read()
    {
        var tokenFile = Path.Combine(_dir, "token");
        File.WriteAllText(tokenFile, "token-from-a-file-123\n");
        var path = Write("""{ "database": { "connection_string": "Data Source=x.db" }, "platform": { "url": "http://p/" } }""");
        var env = new Dictionary<string, string> { [SecretNames.ApiToken + "_FILE"] = tokenFile, [SecretNames.PlatformSecret] = "s" };
        Assert.Equal("token-from-a-file-123", CentralConfigLoader.Load(path, n => env.GetValueOrDefault(n)).Api.Token);
    }

    [Fact]
    public void Load_NotJson_LineReported()
    {
        var ex = Assert.Throws<ConfigException>(() => CentralConfigLoader.Load(Write("{\n  \"mqtt\": {\n  oops\n}"), _ => null));
        Assert.Contains("central.json:3: not valid JSON", ex.Errors[0]);
    }

    [Fact]
    public void Load_ShippedSample_ValidWithDocumentedDefaults()
    {
        var o = CentralConfigLoader.Load(TestPaths.InRepo("src", "EdgeAi.Central", "central.sample.json"), n => Secrets.GetValueOrDefault(n));
        Assert.Equal(100, o.Consumer.ReceiveMaximum);
        Assert.Equal(64 << 20, o.Consumer.QueueMaxBytes);
        Assert.Equal(20, o.Consumer.RejectLogPerMinute);
        Assert.Equal(TimeSpan.FromSeconds(300), o.Verification.ReplyTimeout);
        Assert.Equal(3, o.Verification.MaxAttempts);
        Assert.Equal(TimeSpan.FromDays(90), o.Retention.EvidenceMaxAge);
        Assert.Equal(20L << 30, o.Retention.EvidenceMaxBytes);
    }

    [Fact]
    public void Load_ReliabilityKeysWrong_EachNamed()
    {
        var path = Write("""
            { "mqtt": { "tls_cert_file": "/nonexistent/central.crt" },
              "database": { "connection_string": "Data Source=x.db" },
              "consumer": { "spool_sync": "fsync", "queue_max_bytes": 10, "queue_capacity": 100, "receive_maximum": 1000 },
              "verification": { "reply_timeout_s": 0, "max_attempts": 0 },
              "retention": { "evidence_max_bytes": -1, "interval_s": "often" },
              "platform": { "url": "http://p/" } }
            """);
        var ex = Assert.Throws<ConfigException>(() => CentralConfigLoader.Load(path, n => Secrets.GetValueOrDefault(n)));
        var all = string.Join("\n", ex.Errors);
        Assert.Contains("central.json:1: mqtt.tls_cert_file: file not found: /nonexistent/central.crt", all);
        Assert.Contains("central.json:1: mqtt.tls_key_file: tls_cert_file and tls_key_file go together", all);
        Assert.Contains("central.json:1: mqtt.tls_ca_file: is required with a client certificate", all);
        Assert.Contains("central.json:3: consumer.spool_sync: no longer used: Central acknowledges each message only once it is stored", all);
        Assert.Contains("central.json:3: consumer.queue_capacity: must be at least connections × receive_maximum (8 × 1000), got 100", all);
        Assert.Contains("central.json:3: consumer.queue_max_bytes: must be between", all);
        Assert.Contains("central.json:4: verification.reply_timeout_s: must be between", all);
        Assert.Contains("central.json:4: verification.max_attempts: must be between 1 and 100, got 0", all);
        Assert.Contains("central.json:5: retention.evidence_max_bytes: must be between", all);
        Assert.Contains("central.json:5: retention.interval_s: must be a number", all);
    }

    [Fact]
    public void Load_DurationsAndLogLevel_SecondsReadIntoTimeSpansLevelIntoEnumBothChecked()
    {
        var ok = Write("""
            { "database": { "connection_string": "Data Source=x.db" },
              "platform": { "url": "http://p/", "request_timeout_s": 2.5, "retry": { "initial_delay_s": 0.25 } },
              "device_faults": { "after_s": 90 } }
            """);
        var o = CentralConfigLoader.Load(ok, n => Secrets.GetValueOrDefault(n));
        Assert.Equal(TimeSpan.FromMilliseconds(2500), o.Platform.RequestTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), o.Platform.Retry.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(90), o.DeviceFaults.After);
        Assert.Equal(EdgeAi.Observability.Logging.LoggingLevel.Information, o.LogLevel);

        var bad = Write("""
            { "database": { "connection_string": "Data Source=x.db" }, "platform": { "url": "http://p/" },
              "mqtt": { "keep_alive_s": 4 }, "review": { "timeout_s": null, "check_interval_s": "1m" }, "log_level": "information" }
            """);
        var ex = Assert.Throws<ConfigException>(() => CentralConfigLoader.Load(bad, n => Secrets.GetValueOrDefault(n)));
        Assert.Contains("central.json:2: mqtt.keep_alive_s: must be between 5 and 3600, got 4", ex.Errors);
        Assert.Contains("central.json:2: review.check_interval_s: must be a number of seconds, got a string (\"1m\")", ex.Errors);
        Assert.Contains("central.json:2: log_level: 'information' must be one of Verbose, Debug, Information, Warning, Error", ex.Errors);
        Assert.Equal(3, ex.Errors.Count);
    }

    [Fact]
    public void Load_CaseLoopKeys_ReviewGridsRoutingSupervision()
    {
        var grids = TestPaths.InRepo("config", "grids", "demo-grids.geojson");
        var path = Write($$"""
            { "database": { "connection_string": "Data Source=/tmp/x.db" }, "platform": { "url": "http://p/" },
              "review": { "default": "file", "scenarios": { "crowding": "hold", "illegal_fishing": "record" },
                          "cameras": { "edge-01/cam-3": "hold" }, "grids": { "310101013002003": "hold" },
                          "timeout_s": 600, "timeout_action": "dismiss" },
              "grids": { "file": "{{grids}}" },
              "routing": { "rules": [ { "scenario": "litter", "grid": "310101002001001", "department": "环卫一所" },
                                      { "street": "310101013", "department": "外滩街道" } ], "fallback": "指挥中心" },
              "supervision": { "deadlines_s": { "litter": 3600, "road_collapse": 900 }, "reopen_escalate_after": 3 } }
            """);
        var o = CentralConfigLoader.Load(path, n => Secrets.GetValueOrDefault(n));
        Assert.Equal("hold", o.Review.PolicyFor("crowding", "edge-01", "cam-1", null));
        Assert.Equal("hold", o.Review.PolicyFor("litter", "edge-01", "cam-3", null));
        Assert.Equal("hold", o.Review.PolicyFor("litter", "edge-02", "cam-1", "310101013002003"));
        Assert.Equal("record", o.Review.PolicyFor("illegal_fishing", "edge-02", "cam-1", null));
        Assert.Equal("file", o.Review.PolicyFor("litter", "edge-02", "cam-1", null));
        Assert.Equal(TimeSpan.FromMinutes(10), o.Review.Timeout);
        Assert.Equal("dismiss", o.Review.TimeoutAction);
        Assert.Equal(6, o.Grids.Map.Grids.Count);
        Assert.Equal("环卫一所", o.Routing.DepartmentFor("litter", o.Grids.Map.Get("310101002001001")));
        Assert.Equal("外滩街道", o.Routing.DepartmentFor("crowding", o.Grids.Map.Locate(31.24, 121.49)));
        Assert.Equal(TimeSpan.FromHours(1), o.Supervision.DeadlineFor("litter"));
        Assert.Equal(TimeSpan.FromMinutes(15), o.Supervision.DeadlineFor("road_collapse"));
        Assert.Equal(TimeSpan.FromMinutes(30), o.Supervision.DeadlineFor("crowding"));
        Assert.Equal(3, o.Supervision.ReopenEscalateAfter);
    }

    [Fact]
    public void Load_BrokenCaseLoopKeys_EveryErrorNamed()
    {
        var badGrids = Path.Combine(_dir, "bad.geojson");
        File.WriteAllText(badGrids, """{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}""");
        var path = Write($$"""
            { "database": { "connection_string": "Data Source=/tmp/x.db" }, "platform": { "url": "http://p/" },
              "review": { "default": "maybe", "scenarios": { "litter": "later" }, "cameras": { "cam-1": "hold" }, "timeout_action": "record", "grids": { "nowhere": "hold" } },
              "grids": { "file": "{{badGrids}}" },
              "routing": { "rules": [ { "scenario": "litter" }, "x" ] },
              "supervision": { "deadlines_s": { "litter": 0 } } }
            """);
        var ex = Assert.Throws<ConfigException>(() => CentralConfigLoader.Load(path, n => Secrets.GetValueOrDefault(n)));
        var all = string.Join("\n", ex.Errors);
        Assert.Contains("central.json:2: review.default: must be one of file, hold, record, got 'maybe'", all);
        Assert.Contains("central.json:2: review.scenarios.litter: must be one of file, hold, record, got 'later'", all);
        Assert.Contains("central.json:2: review.cameras.cam-1: must be written device_id/camera_id", all);
        Assert.Contains("central.json:2: review.timeout_action: must be one of file, dismiss, got 'record'", all);
        Assert.Contains("central.json:2: review.grids.nowhere: no grid with this code in grids.file", all);
        Assert.Contains("central.json:3: grids.file: " + badGrids + ": feature 0: property 'code' is required", all);
        Assert.Contains("central.json:4: routing.rules[0].department: is required", all);
        Assert.Contains("central.json:4: routing.rules[1]: must be an object", all);
        Assert.Contains("central.json:5: supervision.deadlines_s.litter: must be between 1 and", all);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

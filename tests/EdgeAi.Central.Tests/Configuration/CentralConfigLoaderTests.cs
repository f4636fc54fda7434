using EdgeAi.Central.Configuration;
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
        Assert.Contains("central.json: mqtt.port: must be between 1 and 65535, got 70000", all);
        Assert.Contains("central.json: mqtt.colour: unknown key", all);
        Assert.Contains("central.json: database.connection_string: must be a string, got number", all);
        Assert.Contains("central.json: platform.kind: must be 'webhook' or 'open311', got 'fax'", all);
        Assert.Contains("central.json: platform.url: must be an absolute http(s) URL, got 'ftp://x'", all);
        Assert.Contains("central.json: correlation.scenarios.litter.min_iou: must be between 0 and 1, got 2", all);
        Assert.Contains("EDGEAI_CENTRAL_API_TOKEN", all);
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
        Assert.Contains("central.json: line 3: not valid JSON", ex.Errors[0]);
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
        Assert.Contains("central.json: mqtt.tls_cert_file: file not found: /nonexistent/central.crt", all);
        Assert.Contains("central.json: mqtt.tls_key_file: tls_cert_file and tls_key_file go together", all);
        Assert.Contains("central.json: mqtt.tls_ca_file: is required with a client certificate", all);
        Assert.Contains("central.json: consumer.spool_sync: no longer used: Central acknowledges each message only once it is stored", all);
        Assert.Contains("central.json: consumer.queue_capacity: must be at least connections × receive_maximum (8 × 1000), got 100", all);
        Assert.Contains("central.json: consumer.queue_max_bytes: must be between", all);
        Assert.Contains("central.json: verification.reply_timeout_s: must be between", all);
        Assert.Contains("central.json: verification.max_attempts: must be between 1 and 100, got 0", all);
        Assert.Contains("central.json: retention.evidence_max_bytes: must be between", all);
        Assert.Contains("central.json: retention.interval_s: must be a number", all);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

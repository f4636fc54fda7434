using EdgeAi.Central.Configuration;
using EdgeAi.Central.TestPlatform;
using EdgeAi.Testing;

namespace EdgeAi.Central.Tests.Infrastructure;

/// <summary>
/// A real mosquitto, the test platform (in this process, real HTTP) and a SQLite file, for tests that run Central as a
/// child process (<see cref="CentralProcess"/>) so that they can kill it, read its whole log or sample its memory.
/// Secrets are random per run and reach Central as NAME_FILE variables.
/// </summary>
internal sealed class CentralRig : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _cleanup = [];

    private CentralRig(MosquittoBroker broker, TestPlatformServer platform, string dir, int centralPort, int platformPort)
    {
        Broker = broker;
        Platform = platform;
        Dir = dir;
        CentralPort = centralPort;
        PlatformPort = platformPort;
        Database = $"Data Source={Path.Combine(dir, "central.db")}";
        _cleanup.Add(platform);
    }

    public MosquittoBroker Broker { get; }

    public TestPlatformServer Platform { get; }

    public string Dir { get; }

    public int CentralPort { get; }

    public int PlatformPort { get; }

    public string Database { get; }


    public string Token { get; } = "tok-" + CentralHarness.Secret();

    public required string PlatformSecret { get; init; }

    public required string CallbackSecret { get; init; }

    public IReadOnlyDictionary<string, string> Secrets => new Dictionary<string, string>
    {
        [SecretNames.ApiToken] = Token,
        [SecretNames.MqttPassword] = Broker.Passwords["central"],
        [SecretNames.PlatformSecret] = PlatformSecret,
        [SecretNames.CallbackSecret] = CallbackSecret,
    };

    public static async Task<CentralRig> StartAsync(string prefix)
    {
        var dir = TestPaths.NewTempDir(prefix);
        var broker = await MosquittoBroker.StartNewAsync("edge-01", "edge-02");
        try
        {
            var (centralPort, platformPort) = (FreePort.Get(), FreePort.Get());
            var (platformSecret, callbackSecret) = (CentralHarness.Secret(), CentralHarness.Secret());
            var platform = await TestPlatformServer.StartNewAsync(new TestPlatformOptions
            {
                Listen = $"http://127.0.0.1:{platformPort}",
                Secret = platformSecret,
                CallbackSecret = callbackSecret,
                CallbackUrl = new Uri($"http://127.0.0.1:{centralPort}/api/v1/platform/callback"),
            });
            return new CentralRig(broker, platform, dir, centralPort, platformPort) { PlatformSecret = platformSecret, CallbackSecret = callbackSecret };
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    public T Track<T>(T d) where T : IAsyncDisposable
    {
        _cleanup.Add(d);
        return d;
    }

    /// <summary>Starts Central as a child process; <paramref name="consumer"/> replaces the consumer section (default: empty);
    /// <paramref name="environment"/> adds variables (e.g. .NET GC settings).</summary>
    public async Task<CentralProcess> CentralAsync(string name, object? consumer = null, object? platformRetry = null, string logLevel = "Information",
        IReadOnlyDictionary<string, string>? environment = null) =>
        Track(await CentralProcess.StartAsync(Dir, name, new
        {
            instance_id = "central-a",
            log_level = logLevel,
            mqtt = new { host = Broker.Host, port = Broker.Port, username = "central" },
            database = new { connection_string = Database },
            api = new { listen = $"http://127.0.0.1:{CentralPort}", max_request_bytes = 65536 },
            consumer = consumer ?? new { },
            platform = new
            {
                url = $"http://127.0.0.1:{PlatformPort}/",
                request_timeout_s = 5,
                outbox_poll_interval_s = 0.2,
                retry = platformRetry ?? new { initial_delay_s = 0.1, max_delay_s = 1 },
            },
        }, $"http://127.0.0.1:{CentralPort}", Secrets, environment));

    public async ValueTask DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--) await _cleanup[i].DisposeAsync();
        await Broker.DisposeAsync();
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
    }
}

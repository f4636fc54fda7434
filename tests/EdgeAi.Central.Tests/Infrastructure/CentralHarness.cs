using System.Net.Http.Headers;
using System.Security.Cryptography;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Hosting;
using EdgeAi.Central.Storage;
using EdgeAi.Central.TestPlatform;
using EdgeAi.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeAi.Central.Tests.Infrastructure;

/// <summary>
/// A real mosquitto, the test platform (real HTTP) and Central in this process on a free loopback port (Kestrel),
/// with a SQLite file (default) or a given PostgreSQL database.
/// </summary>
internal sealed class CentralHarness : IAsyncDisposable
{
    private readonly string _dir;
    private readonly Dictionary<string, TestDevice> _devices = new();

    private CentralHarness(string dir, MosquittoBroker broker, TestPlatformServer platform, WebApplication app, CentralOptions options, ErrorLogSink logs)
    {
        _dir = dir;
        Broker = broker;
        Platform = platform;
        App = app;
        Options = options;
        Logs = logs;
        Api = new HttpClient { BaseAddress = new Uri(options.Api.Listen), Timeout = TimeSpan.FromSeconds(30) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Api.Token);
    }

    public MosquittoBroker Broker { get; }

    public TestPlatformServer Platform { get; }

    public WebApplication App { get; }

    public CentralOptions Options { get; }

    public ErrorLogSink Logs { get; }

    /// <summary>An HTTP client with the bearer token.</summary>
    public HttpClient Api { get; }

    public CentralStore Store => App.Services.GetRequiredService<CentralStore>();

    public static string Secret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <param name="tls">Use the production broker config (TLS only, client certificates; Central connects as CN=central).</param>
    /// <param name="waitReady">Wait until /readyz answers 200 (false: return once the HTTP server runs).</param>
    public static async Task<CentralHarness> StartAsync(Func<CentralOptions, CentralOptions>? configure = null, string? connectionString = null, TestPlatformOptions? platformOptions = null, bool tls = false, bool waitReady = true)
    {
        var dir = TestPaths.NewTempDir("central");
        var broker = tls ? await MosquittoBroker.StartNewTlsAsync("edge-01", "edge-02", "edge-03") : await MosquittoBroker.StartNewAsync("edge-01", "edge-02", "edge-03");
        TestPlatformServer? platform = null;
        WebApplication? app = null;
        try
        {
            var centralPort = FreePort.Get();
            var platformPort = FreePort.Get();
            var platformSecret = Secret();
            var callbackSecret = Secret();
            var options = new CentralOptions
            {
                InstanceId = "test-" + Guid.NewGuid().ToString("N")[..8],
                LogLevel = EdgeAi.Observability.Logging.LoggingLevel.Information,
                Mqtt = tls
                    ? new MqttSettings { Host = broker.Host, Port = broker.Port, Username = "central", TlsCaFile = broker.CaFile, TlsCertFile = broker.CertFile("central"), TlsKeyFile = broker.KeyFile("central") }
                    : new MqttSettings { Host = broker.Host, Port = broker.Port, Username = "central", Password = broker.Passwords["central"] },
                Database = new DatabaseSettings { ConnectionString = connectionString ?? $"Data Source={Path.Combine(dir, "central.db")}" },
                Api = new ApiSettings { Listen = $"http://127.0.0.1:{centralPort}", Token = "tok-" + Secret() },
                Platform = new PlatformSettings
                {
                    Url = new Uri($"http://127.0.0.1:{platformPort}/"),
                    Secret = platformSecret,
                    CallbackSecret = callbackSecret,
                    RequestTimeout = TimeSpan.FromSeconds(2),
                    OutboxPollInterval = TimeSpan.FromMilliseconds(200),
                    Retry = new RetrySettings { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), MaxAttempts = 20 },
                },
            };
            if (configure is not null) options = configure(options);
            platform = await TestPlatformServer.StartNewAsync((platformOptions ?? new TestPlatformOptions()) with
            {
                Listen = $"http://127.0.0.1:{platformPort}",
                Secret = platformSecret,
                CallbackSecret = callbackSecret,
                CallbackUrl = new Uri($"{options.Api.Listen}/api/v1/platform/callback"),
            });
            var logs = new ErrorLogSink();
            app = CentralApp.Build(options, logging: l => l.WriteTo.Sink(logs));
            await app.StartAsync();
            var harness = new CentralHarness(dir, broker, platform, app, options, logs);
            if (waitReady) await Wait.UntilAsync(async () => (await harness.Api.GetAsync("/readyz")).IsSuccessStatusCode, "Central ready",
                diagnostics: async () => await (await harness.Api.GetAsync("/readyz")).Content.ReadAsStringAsync());
            return harness;
        }
        catch
        {
            // A failed start must not leave a broker or servers behind.
            if (app is not null) await app.DisposeAsync();
            if (platform is not null) await platform.DisposeAsync();
            await broker.DisposeAsync();
            throw;
        }
    }

    public async Task<TestDevice> DeviceAsync(string id)
    {
        if (!_devices.TryGetValue(id, out var d)) _devices[id] = d = await TestDevice.ConnectAsync(Broker, id);
        return d;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _devices.Values) await d.DisposeAsync();
        Api.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await Platform.DisposeAsync();
        await Broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeAi.Testing;

namespace EdgeAi.Browser.Tests;

/// <summary>
/// What every browser test shares: a temporary folder, Central's API token, and the processes it starts (broker,
/// Central, platform …), disposed in reverse order of <see cref="Track"/> once the test is done.
/// </summary>
public abstract class BrowserSystemTest(string folderPrefix) : IAsyncLifetime
{
    protected const string Device = "edge-01";
    private readonly List<IAsyncDisposable> _cleanup = [];

    /// <summary>The test's own folder (configs, database, rendered media); deleted at the end.</summary>
    protected string Dir { get; } = TestPaths.NewTempDir(folderPrefix);

    /// <summary>Central's API token for this test.</summary>
    protected string Token { get; } = "tok-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--) await _cleanup[i].DisposeAsync();
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>A built binary beside the tests (edgeai.dll, edgeai-central.dll).</summary>
    protected static string Binary(string dll) => Path.Combine(AppContext.BaseDirectory, dll);

    /// <summary>The last 6000 characters of a process's output, for a failure message.</summary>
    protected static string Tail(string s) => s.Length <= 6000 ? s : s[^6000..];

    /// <summary>
    /// Starts a real <c>edgeai-central</c> on <paramref name="port"/> against the broker and the stand-in platform and waits
    /// until it is ready. Secrets (API token, MQTT password, platform secret, and <paramref name="moreSecrets"/>) are files
    /// named by NAME_FILE, never arguments; <paramref name="edit"/> may change the generated config before it is written.
    /// </summary>
    protected async Task<ServerProcess> StartCentralAsync(MosquittoBroker broker, int port, int platformPort, string instanceId,
        Action<JsonObject>? edit = null, IReadOnlyDictionary<string, string>? moreSecrets = null, string? db = null)
    {
        var secrets = new Dictionary<string, string>
        {
            ["EDGEAI_CENTRAL_API_TOKEN"] = Token,
            ["EDGEAI_CENTRAL_MQTT_PASSWORD"] = broker.Passwords["central"],
            ["EDGEAI_CENTRAL_PLATFORM_SECRET"] = "platform-" + Guid.NewGuid().ToString("N"),
        };
        foreach (var (name, value) in moreSecrets ?? new Dictionary<string, string>()) secrets[name] = value;
        var args = new List<string>();
        foreach (var (name, value) in secrets)
        {
            var file = Path.Combine(Dir, name.ToLowerInvariant());
            await File.WriteAllTextAsync(file, value);
            args.Add($"{name}_FILE={file}");   // secrets by file, never on the command line
        }
        var config = JsonSerializer.SerializeToNode(new
        {
            instance_id = instanceId,
            mqtt = new { host = broker.Host, port = broker.Port, username = "central" },
            database = new { connection_string = $"Data Source={db ?? Path.Combine(Dir, "central.db")}" },
            api = new { listen = $"http://127.0.0.1:{port}" },
            platform = new { url = $"http://127.0.0.1:{platformPort}/", request_timeout_s = 5, outbox_poll_interval_s = 0.5 },
        })!.AsObject();
        edit?.Invoke(config);
        var path = Path.Combine(Dir, "central.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        args.AddRange(["dotnet", Binary("edgeai-central.dll"), "run", "--config", path]);
        var central = ServerProcess.Start("edgeai-central", "/usr/bin/env", args);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.UntilAsync(() =>
        {
            if (central.HasExited) throw new InvalidOperationException($"Central exited:\n{central.Output}");
            try { return http.GetAsync("/readyz").GetAwaiter().GetResult().IsSuccessStatusCode; }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        }, TimeSpan.FromSeconds(90), () => $"Central not ready:\n{central.Output}");
        return central;
    }

    /// <summary>Disposes <paramref name="d"/> when the test ends.</summary>
    protected T Track<T>(T d) where T : IAsyncDisposable
    {
        _cleanup.Add(d);
        return d;
    }
}

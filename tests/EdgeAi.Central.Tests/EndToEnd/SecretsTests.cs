using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Models;
using EdgeAi.Models.Events;
using EdgeAi.Testing;

namespace EdgeAi.Central.Tests.EndToEnd;

/// <summary>
/// Secrets come from files named by NAME_FILE variables (never the command line, the config file or the repo) and never
/// reach a log: a full run — Central and the test platform as real processes at Debug level, a case filed, moved by the
/// platform to resolved, verified by the device and closed, plus refused requests — then every log is searched for them.
/// </summary>
[Collection(CentralProcessCollection.Name)]
public sealed class SecretsTests : IAsyncLifetime
{
    private readonly string _dir = TestPaths.NewTempDir("centrals");
    private readonly List<IAsyncDisposable> _cleanup = [];
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartNewAsync("edge-01");

    public async Task DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--) await _cleanup[i].DisposeAsync();
        await _broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        Assert.DoesNotContain(ServerProcess.Running, p => p.Name.StartsWith("edgeai-central", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FullRun_KnownTestSecrets_NeverInAnyLogCommandLineEnvironmentOrConfig()
    {
        // Recognisable values, so that a partial leak (a prefix, an escaped copy) is found too.
        var secrets = new Dictionary<string, string>
        {
            [SecretNames.ApiToken] = "TEST-API-TOKEN-" + CentralHarness.Secret(),
            [SecretNames.MqttPassword] = _broker.Passwords["central"],
            [SecretNames.PlatformSecret] = "TEST-PLATFORM-SECRET-" + CentralHarness.Secret(),
            [SecretNames.CallbackSecret] = "TEST-CALLBACK-SECRET-" + CentralHarness.Secret(),
        };
        var (centralPort, platformPort) = (FreePort.Get(), FreePort.Get());

        // The test platform as a process, its secrets from files.
        var platformEnv = new List<string>();
        foreach (var name in new[] { SecretNames.PlatformSecret, SecretNames.CallbackSecret })
        {
            var file = Path.Combine(_dir, "platform." + name);
            await File.WriteAllTextAsync(file, secrets[name] + "\n");
            platformEnv.Add($"{name}_FILE={file}");
        }
        var platform = ServerProcess.Start("edgeai-central test-platform", "/usr/bin/env",
            [.. platformEnv, "dotnet", Path.Combine(AppContext.BaseDirectory, "edgeai-central.dll"), "test-platform",
             "--listen", $"http://127.0.0.1:{platformPort}", "--callback", $"http://127.0.0.1:{centralPort}/api/v1/platform/callback", "--auto-progress-s", "1"]);
        _cleanup.Add(platform);
        await platform.WaitForOutputAsync("READY", TimeSpan.FromSeconds(60));

        var central = await CentralProcess.StartAsync(_dir, "central", new
        {
            instance_id = "central-secrets",
            log_level = "Debug",
            mqtt = new { host = _broker.Host, port = _broker.Port, username = "central" },
            database = new { connection_string = $"Data Source={Path.Combine(_dir, "central.db")}" },
            api = new { listen = $"http://127.0.0.1:{centralPort}" },
            platform = new { url = $"http://127.0.0.1:{platformPort}/", outbox_poll_interval_s = 0.2, retry = new { initial_delay_s = 0.1, max_delay_s = 1 } },
        }, $"http://127.0.0.1:{centralPort}", secrets);
        _cleanup.Add(central);

        // The loop: event → incident → case filed (signed) → platform progresses it to resolved (signed callbacks) →
        // Central asks the device to verify → cleared → verified → the platform closes it.
        await using var device = await TestDevice.ConnectAsync(_broker, "edge-01");
        await device.PublishAsync(TestEvents.Make("edge-01", "cam-1", TestEvents.Offset(0, 0), Scenarios.Litter, UuidV7.New(), EventType.Started, 1, DateTimeOffset.UtcNow));
        await Wait.UntilAsync(async () => (await central.Api.GetFromJsonAsync<JsonElement>("/api/v1/cases?state=closed")).GetArrayLength() == 1,
            "case closed after verification", TimeSpan.FromSeconds(90), () => Task.FromResult(central.Output + "\n--- platform ---\n" + platform.Output));

        // Refusals that log: a wrong token, a forged callback.
        using (var anonymous = new HttpClient { BaseAddress = new Uri(central.Url) })
        {
            anonymous.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + secrets[SecretNames.ApiToken] + "x");
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/cases")).StatusCode);
            using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/v1/platform/callback") { Content = new StringContent("{\"case_ref\":\"x\",\"status\":\"closed\"}", Encoding.UTF8) };
            forged.Headers.Add("X-EdgeAi-Timestamp", "1");
            forged.Headers.Add("X-EdgeAi-Signature", "sha256=" + new string('0', 64));
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(forged)).StatusCode);
        }

        var centralEnvironment = await File.ReadAllTextAsync($"/proc/{central.Pid}/environ");
        var centralCommandLine = await File.ReadAllTextAsync($"/proc/{central.Pid}/cmdline");
        var platformEnvironment = await File.ReadAllTextAsync($"/proc/{platform.Pid}/environ");
        await central.StopAsync();
        await platform.StopAsync(TimeSpan.FromSeconds(30));

        var places = new Dictionary<string, string>
        {
            ["Central's log"] = central.Output,
            ["the test platform's log"] = platform.Output,
            ["the broker's log"] = _broker.Log,
            ["Central's command line"] = centralCommandLine,
            ["Central's environment"] = centralEnvironment,
            ["the platform's environment"] = platformEnvironment,
            ["Central's config file"] = await File.ReadAllTextAsync(Path.Combine(_dir, "central.json")),
        };
        Assert.Contains(" DBG] ", central.Output, StringComparison.Ordinal);   // Debug logging was on
        Assert.Contains("READY", platform.Output, StringComparison.Ordinal);
        Assert.Contains("_FILE=", centralEnvironment, StringComparison.Ordinal);   // they did come from files
        foreach (var (name, secret) in secrets)
        {
            foreach (var (where, text) in places)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{name} found in {where}");
                Assert.False(text.Contains(secret[^16..], StringComparison.Ordinal), $"the random part of {name} found in {where}");
            }
        }
    }
}

using System.Net.Sockets;
using System.Text;
using EdgeAi.Central.Storage;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Tests.Infrastructure;
using EdgeAi.Testing;

namespace EdgeAi.Central.Tests.Hosting;

/// <summary>The real edgeai-central process: sd_notify to a test notify socket, and /metrics read by the prometheus_client parser.</summary>
[Collection(CentralProcessCollection.Name)]
public sealed class CentralObservabilityTests : IAsyncLifetime
{
    private readonly string _dir = TestPaths.NewTempDir("centralobs");
    private readonly List<string> _notifications = [];
    private MosquittoBroker _broker = null!;
    private Socket _notify = null!;
    private CentralProcess _central = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartNewAsync("edge-01");
        var socketPath = Path.Combine(_dir, "notify.sock");
        _notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        _notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        _ = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var n = await _notify.ReceiveAsync(buffer, SocketFlags.None);
                    lock (_notifications) _notifications.Add(Encoding.UTF8.GetString(buffer, 0, n));
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        });
        var port = FreePort.Get();
        _central = await CentralProcess.StartAsync(_dir, "central", new
        {
            instance_id = "obs",
            log_json = true,
            mqtt = new { host = _broker.Host, port = _broker.Port, username = "central" },
            database = new { connection_string = $"Data Source={Path.Combine(_dir, "central.db")}" },
            api = new { listen = $"http://127.0.0.1:{port}" },
            platform = new { url = $"http://127.0.0.1:{FreePort.Get()}/" },
        }, $"http://127.0.0.1:{port}", new Dictionary<string, string>
        {
            [SecretNames.ApiToken] = "tok-" + CentralHarness.Secret(),
            [SecretNames.MqttPassword] = _broker.Passwords["central"],
            [SecretNames.PlatformSecret] = CentralHarness.Secret(),
        }, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "2000000" });
    }

    private string Notifications { get { lock (_notifications) return string.Join(" | ", _notifications); } }

    [Fact]
    public async Task Run_WithNotifySocket_SendsReadyWatchdogAndCaseStatus()
    {
        var patience = TimeSpan.FromSeconds(60);
        await Eventually.UntilAsync(() => Notifications.Contains("READY=1"), patience, () => $"no READY=1: {Notifications}\n{_central.Output}");
        await Eventually.UntilAsync(() => { lock (_notifications) return _notifications.Count(n => n.Contains("WATCHDOG=1")) >= 2; },
            patience, () => $"fewer than two WATCHDOG=1: {Notifications}");
        await Eventually.UntilAsync(() => Notifications.Contains("STATUS=central: consuming, 0 cases open"), patience, () => $"no status: {Notifications}");
    }

    [Fact]
    public async Task Metrics_Scrape_ParsesWithCasesByStateAndCounters()
    {
        using var response = await _central.Api.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);

        var parsed = PrometheusParser.Parse(text);

        foreach (var state in EdgeAi.Central.Storage.CaseStates.All) Assert.Equal(0, parsed.Value("edgeai_central_cases", ("state", EdgeAi.Central.Storage.StoredText.ToText(state))));
        Assert.Equal("gauge", parsed.Types["edgeai_central_cases"]);
        Assert.Equal(0, parsed.Value("edgeai_central_events_accepted_total"));
        Assert.Equal("counter", parsed.Types["edgeai_central_events_accepted"]);
        Assert.Equal(1, parsed.Value("edgeai_central_mqtt_connected"));
        Assert.Equal(0, parsed.Value("edgeai_central_open_incidents"));
    }

    public async Task DisposeAsync()
    {
        await _central.DisposeAsync();
        _notify.Dispose();
        await _broker.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

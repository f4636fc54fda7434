using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeAi.Central.Cases;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Consuming;
using EdgeAi.Central.Diagnostics;
using EdgeAi.Central.Incidents;
using EdgeAi.Central.Storage;
using EdgeAi.Models;
using EdgeAi.Models.Events;
using EdgeAi.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace EdgeAi.Browser.Tests;

/// <summary>
/// The operator cockpit in real headless Chromium against a real <c>edgeai-central</c> process, its stand-in platform and
/// mosquitto (tests/browser/cockpit.test.cjs): sign in, the grid map drawn by echarts from the GeoJSON layer, one held
/// incident reviewed and seen filed, an overdue case turning red. And the load figures: first paint and filter response
/// with 10 000 incidents in 500 grids.
/// </summary>
public sealed class CockpitBrowserTests(ITestOutputHelper output) : BrowserSystemTest("cockpit")
{
    [Fact]
    public async Task Cockpit_ReviewHeldIncident_FiledAndOverdueCaseTurnsRed()
    {
        var broker = Track(await MosquittoBroker.StartNewAsync(Device));
        var (platformPort, centralPort) = (FreePort.Get(), FreePort.Get());
        var platform = Track(ServerProcess.Start("test-platform", "dotnet", [Binary("edgeai-central.dll"), "test-platform", "--listen", $"http://127.0.0.1:{platformPort}"]));
        await platform.WaitForOutputAsync("READY", TimeSpan.FromSeconds(90));
        var central = Track(await StartCentralAsync(broker, centralPort, platformPort, new
        {
            review = new { scenarios = new Dictionary<string, string> { ["litter"] = "hold" }, check_interval_s = 0.5 },
            grids = new { file = TestPaths.InRepo("config", "grids", "demo-grids.geojson") },
            routing = new { rules = new[] { new { scenario = "road_collapse", department = "市政设施管理所" } } },
            supervision = new { deadlines_s = new Dictionary<string, double> { ["road_collapse"] = 20 }, check_interval_s = 0.5 },
        }));

        // the demo cameras' places: litter held for review, road collapse filed at once with a 20 s deadline
        Publish(broker, Event("cam-litter", 31.2304, 121.4737, Scenarios.Litter, 1));
        Publish(broker, Event("cam-road", 31.2330, 121.4760, Scenarios.RoadCollapse, 2));

        var (code, log) = await BrowserScript.RunAsync("cockpit.test.cjs", new Dictionary<string, string>
        {
            ["DASHBOARD_URL"] = $"http://127.0.0.1:{centralPort}/",
            ["DASHBOARD_TOKEN"] = Token,
            ["SCREENSHOT_DIR"] = Screenshots(),
            ["STEP_TIMEOUT_MS"] = "120000",
        }, line => { output.WriteLine(line); return Task.FromResult<string?>(null); }, TimeSpan.FromMinutes(6));
        Assert.True(code == 0 && log.Contains("\nPASS", StringComparison.Ordinal), $"browser script exit {code}:\n{log}\n--- central\n{Tail(central.Output)}");
        Assert.DoesNotContain(Token, central.Output + log);
    }

    [Fact]
    public async Task Cockpit_TenThousandIncidentsInFiveHundredGrids_FirstPaintAndFilterMeasured()
    {
        // 500 grids of 0.01° (25 × 20) and 20 incidents in each, seeded through Central's own ingest before it starts
        var gridFile = Path.Combine(Dir, "grids.geojson");
        await File.WriteAllTextAsync(gridFile, Grids(25, 20));
        var db = Path.Combine(Dir, "central.db");
        var seeded = System.Diagnostics.Stopwatch.StartNew();
        await SeedAsync(db, gridFile, 25, 20, perGrid: 20);
        output.WriteLine($"seeded 10 000 incidents in {seeded.Elapsed.TotalSeconds:0.0} s");

        var broker = Track(await MosquittoBroker.StartNewAsync(Device));
        var (platformPort, centralPort) = (FreePort.Get(), FreePort.Get());
        var central = Track(await StartCentralAsync(broker, centralPort, platformPort, new
        {
            review = new { @default = "record" },
            grids = new { file = gridFile },
        }, db));
        var (code, log) = await BrowserScript.RunAsync("cockpit.test.cjs", new Dictionary<string, string>
        {
            ["DASHBOARD_URL"] = $"http://127.0.0.1:{centralPort}/",
            ["DASHBOARD_TOKEN"] = Token,
            ["SCREENSHOT_DIR"] = Screenshots(),
            ["LOAD"] = "1",
            ["FILTER_GRID"] = "G0260",
            ["STEP_TIMEOUT_MS"] = "120000",
        }, line => { output.WriteLine(line); return Task.FromResult<string?>(null); }, TimeSpan.FromMinutes(6));
        Assert.True(code == 0 && log.Contains("\nPASS", StringComparison.Ordinal), $"browser script exit {code}:\n{log}\n--- central\n{Tail(central.Output)}");
        var figures = log.Split('\n').Where(l => l.StartsWith("MEASURE ", StringComparison.Ordinal)).ToList();
        Assert.Contains(figures, f => f.StartsWith("MEASURE first_paint_ms", StringComparison.Ordinal));
        Assert.Contains(figures, f => f.StartsWith("MEASURE filter_grid_ms", StringComparison.Ordinal));
        var results = TestPaths.InRepo("TestResults");
        Directory.CreateDirectory(results);
        await File.WriteAllLinesAsync(Path.Combine(results, "cockpit-load.txt"), figures);
    }

    private static async Task SeedAsync(string db, string gridFile, int rows, int columns, int perGrid)
    {
        var options = new CentralOptions
        {
            Mqtt = new MqttSettings(),
            Database = new DatabaseSettings { ConnectionString = $"Data Source={db}" },
            Api = new ApiSettings { Token = "unused-token-unused" },
            Platform = new PlatformSettings { Url = new Uri("http://127.0.0.1:9/"), Secret = "s" },
            Review = new ReviewSettings { Default = ReviewPolicies.Record },
            Grids = new GridSettings { File = gridFile, Map = EdgeAi.Central.Grids.GridMap.Load(gridFile) },
        };
        await using var store = new CentralStore(CentralStore.CreateDialect(options.Database), NullLogger<CentralStore>.Instance, TimeProvider.System);
        await store.MigrateAsync(default);
        var incidents = new IncidentService(store, options, TimeProvider.System, new OutboxSignal(), new CentralMetrics(), NullLogger<IncidentService>.Instance);
        var scenarios = new[] { Scenarios.Litter, Scenarios.RoadCollapse, Scenarios.IllegalFishing, Scenarios.Crowding };
        var now = DateTimeOffset.UtcNow;
        var batch = new List<ReceivedEvent>();
        long seq = 0;
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < columns; c++)
        for (var k = 0; k < perGrid; k++)
        {
            // 20 places per grid on a 5 × 4 lattice, 0.002° apart (about 200 m: each its own incident)
            var lat = 31.0 + r * 0.01 + 0.001 + (k / 4) * 0.0018;
            var lon = 121.0 + c * 0.01 + 0.001 + (k % 4) * 0.0024;
            var e = Event($"cam-{r}-{c}-{k}", lat, lon, scenarios[k % 4], ++seq, now.AddMinutes(-(seq % 20_000)));
            batch.Add(new ReceivedEvent(e, Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(e, EdgeAiJsonContext.Default.EdgeEvent)), now));
            if (batch.Count == 500)
            {
                await incidents.IngestAsync(batch, default);
                batch.Clear();
            }
        }
        if (batch.Count > 0) await incidents.IngestAsync(batch, default);
    }

    private static string Grids(int rows, int columns)
    {
        var sb = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < columns; c++)
        {
            var (lat0, lon0) = (31.0 + r * 0.01, 121.0 + c * 0.01);
            if (r + c > 0) sb.Append(',');
            sb.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"Feature\",\"properties\":{{\"code\":\"G{r * columns + c:D4}\",\"name\":\"网格 {r * columns + c}\",\"street\":\"S{r / 5:D2}\"}},")
              .Append(CultureInfo.InvariantCulture, $"\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[[{lon0},{lat0}],[{lon0 + 0.01},{lat0}],[{lon0 + 0.01},{lat0 + 0.01}],[{lon0},{lat0 + 0.01}],[{lon0},{lat0}]]]}}}}");
        }
        return sb.Append("]}").ToString();
    }

    private static EdgeEvent Event(string camera, double lat, double lon, string scenario, long sequence, DateTimeOffset? at = null)
    {
        var time = at ?? DateTimeOffset.UtcNow;
        return new EdgeEvent
        {
            SchemaVersion = EdgeEventSchema.CurrentVersion, EventId = UuidV7.New(), EpisodeId = UuidV7.New(), Type = EventType.Started, Sequence = sequence,
            DeviceId = Device, Camera = new CameraInfo(camera, $"camera {camera}", lat, lon), Scenario = scenario,
            Zone = new ZoneInfo("zone-1", "street", "street"),
            Rule = new RuleEvaluation(scenario + "-rule", new Dictionary<string, double> { ["min_duration_s"] = 10 }, new Dictionary<string, double> { ["duration_s"] = 12 }),
            Objects = [new DetectedObject("litter", 0.8, [0.4, 0.4, 0.6, 0.6])], Frame = new FrameInfo(time, 1920, 1080), DetectionTime = time,
            Model = new ModelInfo("demo", "1.0", new string('a', 64)),
        };
    }

    /// <summary>Publishes one event as the device would (QoS 1, MQTT 5) with Debian's mosquitto_pub.</summary>
    private void Publish(MosquittoBroker broker, EdgeEvent e)
    {
        var file = Path.Combine(Dir, $"{e.EventId}.json");
        File.WriteAllBytes(file, JsonSerializer.SerializeToUtf8Bytes(e, EdgeAiJsonContext.Default.EdgeEvent));
        var (code, text) = Tool.Exec("mosquitto_pub", ["-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-V", "mqttv5", "-q", "1",
            "-u", Device, "-P", broker.Passwords[Device], "-i", Device + "-pub", "-t", Topics.Events(Device), "-f", file], Dir);
        Assert.True(code == 0, $"mosquitto_pub failed ({code}): {text}");
    }

    private static string Screenshots()
    {
        var dir = TestPaths.InRepo("TestResults", "screenshots");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private Task<ServerProcess> StartCentralAsync(MosquittoBroker broker, int port, int platformPort, object caseLoop, string? db = null) =>
        StartCentralAsync(broker, port, platformPort, "central-cockpit",
            config => { foreach (var (k, v) in JsonSerializer.SerializeToNode(caseLoop)!.AsObject().ToList()) config[k] = v?.DeepClone(); }, db: db);
}

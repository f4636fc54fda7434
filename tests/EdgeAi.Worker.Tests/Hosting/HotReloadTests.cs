using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using EdgeAi.Interop.Processes;
using EdgeAi.Testing;
using EdgeAi.Worker.Ingest;
using EdgeAi.Worker.Tests.Cli;

namespace EdgeAi.Worker.Tests.Hosting;

/// <summary>
/// Hot reload on the real <c>edgeai run</c> process: SIGHUP after editing the config file adds and removes cameras
/// and changes one camera's zones without touching the other cameras' ffmpeg; an invalid file is refused and the
/// running cameras stay.
/// </summary>
public sealed class HotReloadTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string _dir = TestPaths.NewTempDir("reload");
    private readonly int _httpPort = FreePort.Get();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private MosquittoBroker _broker = null!;
    private RtspCameraServer _cameras = null!;
    private ServerProcess _worker = null!;

    private string ConfigPath => Path.Combine(_dir, "edgeai.json");

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartNewAsync("edge-reload");
        var clip = Clips.TestPattern(320, 180, fps: 10, seconds: 4, gop: 10);
        _cameras = await RtspCameraServer.StartNewAsync(new[] { "north", "south", "west", "east" }.ToDictionary(n => n, _ => clip));
        WriteConfig(["north", "south", "west"], southZones: false);
        // A test run started under nohup hands every child an ignored SIGHUP, and .NET then installs no handler: the worker
        // would never see the reload (it says so in a warning). Give the worker SIGHUP's default disposition, as systemd does.
        SignalDisposition.RestoreSighup();
        _worker = ServerProcess.Start("edgeai", "dotnet", [EdgeAiCli.Dll, "run", "--config", ConfigPath], _dir,
            new Dictionary<string, string> { ["EDGEAI_MQTT_PASSWORD"] = _broker.Passwords["edge-reload"] });
    }

    private void WriteConfig(IEnumerable<string> cameras, bool southZones, bool duplicate = false)
    {
        var list = cameras.Select(id => new Dictionary<string, object>
        {
            ["id"] = id,
            ["url"] = _cameras.Url(id),
            ["scenarios"] = id == "south" && southZones
                ? new { zones = new[] { new { id = "road", type = "road", polygon = new[] { new[] { 0.0, 0.5 }, [1.0, 0.5], [1.0, 1.0], [0.0, 1.0] } } } }
                : new { zones = Array.Empty<object>() },
        }).ToList();
        if (duplicate) list.Add(list[0]);
        var config = new
        {
            device_id = "edge-reload",
            mqtt = new { host = "127.0.0.1", port = _broker.Port },
            outbox = new { path = "outbox.db" },
            evidence = new { directory = "evidence" },
            http = new { listen = $"127.0.0.1:{_httpPort}" },
            models = new[] { new { id = "demo", manifest = TestPaths.InRepo("models", "demo", "edgeai-demo.manifest.json"), threads = 1, batch_size = 2 } },
            cameras = list,
        };
        var tmp = ConfigPath + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(config));
        File.Move(tmp, ConfigPath, overwrite: true);
    }

    /// <summary>Camera id → state, from the worker's /api/health (empty while it is not up).</summary>
    private async Task<Dictionary<string, string>> StatesAsync()
    {
        try
        {
            var health = await _http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{_httpPort}/api/health");
            return health.GetProperty("cameras").EnumerateArray().ToDictionary(c => c.GetProperty("camera_id").GetString()!, c => c.GetProperty("state").GetString()!);
        }
        catch (HttpRequestException) { return []; }
    }

    private async Task WaitStreamingAsync(params string[] cameras) =>
        await Eventually.UntilAsync(async () =>
        {
            if (_worker.HasExited) throw new InvalidOperationException($"worker exited:\n{_worker.Output}");
            var states = await StatesAsync();
            return states.Keys.Order().SequenceEqual(cameras.Order()) && states.Values.All(s => s == "streaming");
        }, Patience, () => $"expected {string.Join(",", cameras)} streaming: {string.Join(", ", StatesAsync().Result)}\n{_worker.Output}");

    /// <summary>The ffmpeg process reading <paramref name="camera"/>'s stream (by its URL on the command line), or null.</summary>
    private int? FfmpegOf(string camera)
    {
        var url = _cameras.Url(camera);
        foreach (var dir in Directory.GetDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (Path.GetFileName(cmdline[0]) == "ffmpeg" && cmdline.Contains(url)) return int.Parse(Path.GetFileName(dir));
            }
            catch (IOException) { }
        }
        return null;
    }

    [Fact]
    public async Task Sighup_AddsRemovesAndRezones_OtherCamerasKeepTheirFfmpeg_InvalidFileRefused()
    {
        await WaitStreamingAsync("north", "south", "west");
        var north = FfmpegOf("north");
        var south = FfmpegOf("south");
        var west = FfmpegOf("west");
        Assert.True(north is not null && south is not null && west is not null, "ffmpeg per camera not found");
        Assert.Equal(new IngestOptions().DecoderNice, Priority.ReadNice(north!.Value));   // decoders yield to inference and delivery

        // west removed, east added, south gets a zone (rules only), north untouched.
        WriteConfig(["north", "south", "east"], southZones: true);
        Tool.Run("kill", "-HUP", _worker.Pid.ToString());
        await WaitStreamingAsync("north", "south", "east");
        await Eventually.UntilAsync(() => _worker.Output.Contains("Cameras reloaded: 1 added, 1 removed, 0 restarted, 1 with new zones/rules, 1 untouched", StringComparison.Ordinal),
            Patience, () => _worker.Output);
        Assert.Equal(north, FfmpegOf("north"));
        Assert.Equal(south, FfmpegOf("south"));
        await Eventually.UntilAsync(() => FfmpegOf("west") is null, Patience, () => "west's ffmpeg still running");

        // A broken file (duplicate camera id) is refused with its message; the running cameras stay.
        WriteConfig(["north", "south", "east"], southZones: true, duplicate: true);
        Tool.Run("kill", "-HUP", _worker.Pid.ToString());
        await Eventually.UntilAsync(() => _worker.Output.Contains("Reload refused", StringComparison.Ordinal), Patience, () => _worker.Output);
        Assert.Contains("duplicate camera id", _worker.Output);
        await WaitStreamingAsync("north", "south", "east");
        Assert.Equal(north, FfmpegOf("north"));
        Assert.False(_worker.HasExited);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_worker is not null) await _worker.DisposeAsync();
        await _cameras.DisposeAsync();
        await _broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The test process's signal dispositions, which child processes inherit across exec.</summary>
internal static partial class SignalDisposition
{
    private const int Sighup = 1;
    private const nint Default = 0;   // SIG_DFL

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signum, nint handler);

    /// <summary>SIGHUP back to its default action in this process, so the processes it starts inherit that and not SIG_IGN.</summary>
    public static void RestoreSighup() => Signal(Sighup, Default);
}

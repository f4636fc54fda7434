namespace EdgeAi.Testing;

/// <summary>
/// Test RTSP cameras: tools/rtsp/rtsp_server.py (GStreamer rtsp-server) serving H.264 MP4 clips, looped,
/// in real time, at rtsp://127.0.0.1:PORT/NAME. One server process may carry many mounts; a test that
/// needs to stop one camera gives it a server of its own. Stop and start keep the port.
/// </summary>
public sealed class RtspCameraServer : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _mounts;
    private ServerProcess? _process;

    private RtspCameraServer(IReadOnlyDictionary<string, string> mounts)
    {
        _mounts = mounts;
        Port = FreePort.Get();
    }

    public int Port { get; }

    public bool IsRunning => _process is { HasExited: false };

    public IEnumerable<string> Names => _mounts.Keys;

    public string Url(string name) => _mounts.ContainsKey(name)
        ? $"rtsp://127.0.0.1:{Port}/{name}"
        : throw new KeyNotFoundException($"no camera '{name}' on this server");

    /// <summary>Mount value for an audio-only stream (a live tone, no video track) instead of an MP4 file.</summary>
    public const string AudioOnly = "audio-only:";

    /// <summary>Starts a server with mounts NAME → MP4 file (or <see cref="AudioOnly"/>).</summary>
    public static async Task<RtspCameraServer> StartNewAsync(IReadOnlyDictionary<string, string> mounts)
    {
        var server = new RtspCameraServer(mounts);
        await server.StartAsync();
        return server;
    }

    public static Task<RtspCameraServer> StartNewAsync(string name, string clip) =>
        StartNewAsync(new Dictionary<string, string> { [name] = clip });

    public async Task StartAsync()
    {
        if (IsRunning) return;
        var args = new List<string> { TestPaths.InRepo("tools", "rtsp", "rtsp_server.py"), "--port", Port.ToString() };
        foreach (var (name, file) in _mounts) args.AddRange(file == AudioOnly ? ["--audio-mount", name] : ["--mount", $"{name}={file}"]);
        _process = ServerProcess.Start("rtsp-server", "/usr/bin/python3", args);
        await _process.WaitForOutputAsync($"READY {Port}", TimeSpan.FromSeconds(20));
    }

    /// <summary>Stops the server: every camera on it disappears (clients see the connection drop).</summary>
    public async Task StopAsync()
    {
        if (_process is not null) await _process.StopAsync(TimeSpan.FromSeconds(2));
    }

    public string Log => _process?.Output ?? "";

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
    }
}

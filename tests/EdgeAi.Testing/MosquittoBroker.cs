using System.Security.Cryptography;
using EdgeAi.Interop.Mqtt;

namespace EdgeAi.Testing;

/// <summary>
/// A real mosquitto broker on a free loopback port, configured from config/mosquitto/ in the repo
/// (authentication and the per-device ACL on). Users get random passwords per run; none is committed.
/// <see cref="StopAsync"/>/<see cref="StartAsync"/> take it down and bring it back on the same port with
/// its persistence database, as a real outage would.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _dataDir;
    private readonly string _configFile;
    private ServerProcess? _process;

    private MosquittoBroker(IEnumerable<string> users)
    {
        _dataDir = TestPaths.NewTempDir("mqtt");
        Port = FreePort.Get();
        foreach (var user in users) Passwords[user] = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

        // mosquitto_passwd -U hashes a plaintext "user:password" file in place.
        var passwd = Path.Combine(_dataDir, "passwd");
        File.WriteAllLines(passwd, Passwords.Select(p => $"{p.Key}:{p.Value}"));
        Run("mosquitto_passwd", "-U", passwd);

        var confDir = TestPaths.InRepo("config", "mosquitto");
        var template = File.ReadAllText(Path.Combine(confDir, "mosquitto.conf"));
        _configFile = Path.Combine(_dataDir, "mosquitto.conf");
        File.WriteAllText(_configFile, template
            .Replace("${PORT}", Port.ToString())
            .Replace("${DATA_DIR}", _dataDir)
            .Replace("${CONF_DIR}", confDir));
    }

    public int Port { get; }

    public string Host => "127.0.0.1";

    /// <summary>User name → password. "central" plus the device ids asked for.</summary>
    public Dictionary<string, string> Passwords { get; } = new();

    public bool IsRunning => _process is { HasExited: false };

    public string Log => _process?.Output ?? "";

    /// <summary>Starts a broker with the user "central" and the given device users (default edge-01, edge-02).</summary>
    public static async Task<MosquittoBroker> StartNewAsync(params string[] deviceIds)
    {
        var broker = new MosquittoBroker(["central", .. deviceIds.Length == 0 ? ["edge-01", "edge-02"] : deviceIds]);
        await broker.StartAsync();
        return broker;
    }

    public async Task StartAsync()
    {
        if (IsRunning) return;
        _process = ServerProcess.Start("mosquitto", "/usr/sbin/mosquitto", ["-c", _configFile]);
        await FreePort.WaitListeningAsync(Port, TimeSpan.FromSeconds(10), () => _process.Output);
    }

    /// <summary>Graceful stop (SIGTERM): the broker saves its persistence database.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        await _process.StopAsync();
    }

    /// <summary>Client options for <paramref name="user"/> with its password.</summary>
    public MqttClientOptions ClientOptions(string user, string? clientId = null) => new()
    {
        Host = Host,
        Port = Port,
        ClientId = clientId ?? $"{user}-{Guid.NewGuid():N}"[..24],
        Username = user,
        Password = Passwords[user],
        ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
        ReconnectMaxDelay = TimeSpan.FromSeconds(2),
    };

    private static void Run(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({p.ExitCode}): {err}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }
}

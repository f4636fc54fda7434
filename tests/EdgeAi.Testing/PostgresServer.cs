using System.Diagnostics;

namespace EdgeAi.Testing;

/// <summary>
/// A throw-away PostgreSQL 15 server (Debian package) on a free loopback port: initdb on a temporary folder owned
/// by the "postgres" user (PostgreSQL refuses to run as root), trust authentication on loopback only, fsync off.
/// The server runs through <c>runuser</c> and <c>setpriv --pdeathsig KILL</c>, so it dies with the test process
/// even after SIGKILL; <see cref="DisposeAsync"/> stops it (fast shutdown) and removes the folder.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string BinDir = "/usr/lib/postgresql/15/bin";

    private readonly string _dataDir;
    private ServerProcess? _process;

    private PostgresServer(string dataDir, int port)
    {
        _dataDir = dataDir;
        Port = port;
    }

    public int Port { get; }

    public string Log => _process?.Output ?? "";

    /// <summary>True when the Debian package is installed (tests that need it fail with this reason otherwise).</summary>
    public static bool IsInstalled => File.Exists(Path.Combine(BinDir, "postgres")) && File.Exists("/usr/sbin/runuser");

    public static async Task<PostgresServer> StartNewAsync()
    {
        if (!IsInstalled) throw new InvalidOperationException($"PostgreSQL 15 not found in {BinDir}: install the Debian package 'postgresql'");
        var dir = TestPaths.NewTempDir("pg");
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        Run("/bin/chown", "-R", "postgres:postgres", dir);
        Run("/usr/sbin/runuser", "-u", "postgres", "--", Path.Combine(BinDir, "initdb"), "-D", data, "-A", "trust", "-U", "postgres",
            "--no-sync", "-E", "UTF8", "--locale=C");
        var server = new PostgresServer(dir, FreePort.Get());
        await server.StartAsync(data);
        return server;
    }

    private async Task StartAsync(string data)
    {
        _process = ServerProcess.Start("postgres", "/usr/sbin/runuser",
        [
            "-u", "postgres", "--", "/usr/bin/setpriv", "--pdeathsig", "KILL", "--",
            Path.Combine(BinDir, "postgres"), "-D", data, "-p", Port.ToString(), "-k", _dataDir,
            "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=300", "-c", "shared_buffers=64MB",
        ]);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"postgres exited at start:\n{_process.Output}");
            if (TryRun(Path.Combine(BinDir, "pg_isready"), "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres")) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"postgres not ready on port {Port} after 60 s:\n{_process.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Creates an empty database and returns its Npgsql connection string.</summary>
    public string CreateDatabase(string name)
    {
        Run(Path.Combine(BinDir, "createdb"), "-h", "127.0.0.1", "-p", Port.ToString(), "-U", "postgres", name);
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Maximum Pool Size=40;Timeout=30;Command Timeout=60";

    private static void Run(string file, params string[] args) => Tool.Run(file, args);

    private static bool TryRun(string file, params string[] args) => Tool.Exec(file, args).Code == 0;

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // Fast shutdown: a plain SIGTERM would wait for pooled client connections to close.
            TryRun("/usr/sbin/runuser", "-u", "postgres", "--", Path.Combine(BinDir, "pg_ctl"), "stop", "-D", Path.Combine(_dataDir, "data"), "-m", "fast", "-w", "-t", "20");
        }
        if (_process is not null) await _process.DisposeAsync();
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

using System.Runtime.InteropServices;
using System.Threading.Channels;
using EdgeAi.Configuration;
using EdgeAi.Worker.Configuration;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Worker.Pipeline;

/// <summary>
/// Hot reload (<c>systemctl reload</c> sends SIGHUP): applies the config file again on each SIGHUP. An invalid file is
/// refused with every error logged and the running cameras stay as they are; a valid one changes only the cameras that
/// differ (<see cref="WorkerPipeline.ApplyAsync"/>). Cameras, zones and rules apply at once; other sections at the next
/// restart. Requests that arrive while one is being applied fold into one.
/// </summary>
internal sealed class ConfigReloader : IDisposable
{
    private readonly Channel<bool> _requests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly PosixSignalRegistration _sighup;

    public ConfigReloader() => _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => { c.Cancel = true; _requests.Writer.TryWrite(true); });

    public void Dispose() => _sighup.Dispose();

    /// <summary>
    /// True when SIGHUP is ignored in this process — inherited across exec, e.g. when started under <c>nohup</c>. .NET then
    /// installs no handler and no reload request ever arrives. Read from <c>/proc/self/status</c> (SigIgn, bit 0 = SIGHUP).
    /// </summary>
    internal static bool SighupIgnored()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
                    return (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 1UL) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return false;
    }

    /// <summary>Applies each SIGHUP until <paramref name="ct"/> is cancelled; <paramref name="running"/> is the config the worker started with.</summary>
    public async Task RunAsync(string path, WorkerConfig running, IReadOnlySet<string> models, WorkerPipeline pipeline, ILogger log, CancellationToken ct)
    {
        if (SighupIgnored())
            log.LogWarning("SIGHUP is ignored in this process (inherited, e.g. started under nohup): hot reload (systemctl reload, kill -HUP) will not work until the worker is started without it");
        try
        {
            await foreach (var _ in _requests.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                log.LogInformation("Reload requested (SIGHUP): reading {Path}", path);
                WorkerConfig next;
                try
                {
                    next = WorkerConfigLoader.Load(path);
                }
                catch (ConfigException ex)
                {
                    log.LogError("Reload refused, still running the previous cameras: {Count} config error(s)\n{Errors}", ex.Errors.Count, string.Join("\n", ex.Errors));
                    continue;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Anything else (an unreadable manifest, I/O) must not end the reload loop silently: later SIGHUPs still work.
                    log.LogError(ex, "Reload failed, still running the previous cameras");
                    continue;
                }
                var unknown = next.Cameras.Where(c => c.Model is { } m && !models.Contains(m)).Select(c => $"{c.Id} uses model '{c.Model}'").ToList();
                if (unknown.Count > 0)
                {
                    log.LogError("Reload refused: models are loaded at start only ({Unknown}); restart the service to add a model", string.Join(", ", unknown));
                    continue;
                }
                var restartOnly = SectionsChangedOutsideCameras(running, next);
                if (restartOnly.Count > 0) log.LogWarning("Reload: {Sections} changed; that applies at the next restart", string.Join(", ", restartOnly));
                try
                {
                    await pipeline.ApplyAsync(next.Cameras, ct).ConfigureAwait(false);
                }
                catch (InvalidOperationException ex)
                {
                    log.LogWarning("Reload not applied: {Reason}", ex.Message);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogError(ex, "Reload failed while applying the cameras; the next SIGHUP tries again");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Top-level sections (other than cameras) whose content differs between two configs.</summary>
    private static List<string> SectionsChangedOutsideCameras(WorkerConfig a, WorkerConfig b)
    {
        var sections = new (string Name, Func<WorkerConfig, object?> Get)[]
        {
            ("device_id", c => c.DeviceId), ("mqtt", c => c.Mqtt with { Password = null }), ("outbox", c => c.Outbox), ("evidence", c => c.Evidence),
            ("models", c => c.Models), ("http", c => c.Http), ("logging", c => c.Logging), ("health_interval_s", c => c.HealthInterval), ("quality", c => c.Quality), ("recording", c => c.Recording),
        };
        return [.. sections.Where(s => !ConfigEquality.Equal(s.Get(a), s.Get(b))).Select(s => s.Name)];
    }
}

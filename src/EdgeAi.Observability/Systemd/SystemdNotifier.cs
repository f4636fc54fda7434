using System.Net.Sockets;
using System.Text;

namespace EdgeAi.Observability.Systemd;

/// <summary>
/// sd_notify(3) without libsystemd: sends <c>READY=1</c>, <c>WATCHDOG=1</c>, <c>STATUS=…</c> and <c>STOPPING=1</c>
/// as datagrams to the Unix socket named by <c>$NOTIFY_SOCKET</c> (a leading '@' means an abstract socket).
/// Without <c>$NOTIFY_SOCKET</c> (not started by systemd with Type=notify) every call does nothing.
/// </summary>
/// <remarks>
/// The watchdog interval comes from <c>$WATCHDOG_USEC</c> (set by systemd from WatchdogSec=); it applies only when
/// <c>$WATCHDOG_PID</c> is unset or is this process. <see cref="RunAsync"/> pings at half that interval,
/// as sd_watchdog_enabled(3) recommends. Thread-safe; send failures are swallowed (a notification is advisory,
/// and the service must not die because systemd went away).
/// </remarks>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly Lock _lock = new();

    public SystemdNotifier(Func<string, string?>? env = null)
    {
        env ??= Environment.GetEnvironmentVariable;
        var path = env("NOTIFY_SOCKET");
        if (!string.IsNullOrEmpty(path) && (path[0] == '/' || path[0] == '@'))
        {
            _endpoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
            _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        }
        var pid = env("WATCHDOG_PID");
        if (long.TryParse(env("WATCHDOG_USEC"), out var usec) && usec > 0 && (string.IsNullOrEmpty(pid) || pid == Environment.ProcessId.ToString()))
            WatchdogInterval = TimeSpan.FromMicroseconds(usec);
    }

    /// <summary>True when started by systemd with a notify socket.</summary>
    public bool Enabled => _socket is not null;

    /// <summary>WatchdogSec= of the unit; null when no watchdog is configured for this process.</summary>
    public TimeSpan? WatchdogInterval { get; }

    public void Ready(string? status = null) => Send(status is null ? "READY=1" : $"READY=1\nSTATUS={status}");

    public void Status(string status) => Send($"STATUS={status}");

    public void Watchdog() => Send("WATCHDOG=1");

    public void Stopping() => Send("STOPPING=1");

    /// <summary>Sends one notification (newline-separated VAR=value assignments); false when not sent.</summary>
    public bool Send(string state)
    {
        if (_socket is null || _endpoint is null) return false;
        try
        {
            lock (_lock) _socket.SendTo(Encoding.UTF8.GetBytes(state), _endpoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Until cancelled: pings the watchdog at half its interval (when one is configured) and sends the line from
    /// <paramref name="status"/> with each ping, or every <paramref name="statusPeriod"/> when that is sooner.
    /// Returns at once when not started by systemd.
    /// </summary>
    public async Task RunAsync(Func<string?>? status, TimeSpan statusPeriod, CancellationToken ct)
    {
        if (!Enabled) return;
        var period = WatchdogInterval is { } w && w / 2 < statusPeriod ? w / 2 : statusPeriod;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var parts = new List<string>(2);
                if (WatchdogInterval is not null) parts.Add("WATCHDOG=1");
                if (status?.Invoke() is { } line) parts.Add($"STATUS={line}");
                if (parts.Count > 0) Send(string.Join('\n', parts));
                await Task.Delay(period, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    public void Dispose() => _socket?.Dispose();
}

namespace EdgeAi.Observability.Systemd;

/// <summary>What a service reports to systemd each watchdog period: its status line, and whether it is making progress.</summary>
/// <param name="Status">The <c>STATUS=</c> line shown by <c>systemctl status</c>.</param>
/// <param name="Stalled">Null while the service makes progress; otherwise why not. While set, <c>WATCHDOG=1</c> is withheld,
/// so systemd kills and restarts a service that stays hung for <c>WatchdogSec=</c>.</param>
public readonly record struct ServiceProgress(string Status, string? Stalled = null);

/// <summary>The service-specific progress check behind the systemd watchdog (<see cref="SystemdWatchdog"/>).</summary>
public interface IServiceProgress
{
    /// <summary>Called once per watchdog period, from one thread at a time; must not block (read counters, no I/O).</summary>
    ServiceProgress Check();
}

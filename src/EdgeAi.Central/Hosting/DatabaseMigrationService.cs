using System.Data.Common;
using EdgeAi.Central.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Hosting;

/// <summary>
/// Applies migrations before any other service starts (it is registered first; hosted services start in order).
/// Retries for about a minute while the database is unreachable, then fails the start with the reason.
/// </summary>
internal sealed partial class DatabaseMigrationService(CentralStore store, ILogger<DatabaseMigrationService> logger) : IHostedService
{
    public bool Done { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var applied = await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
                LogReady(store.Dialect.Describe(), applied);
                Done = true;
                return;
            }
            catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException && attempt < 20 && !cancellationToken.IsCancellationRequested)
            {
                LogRetry(store.Dialect.Describe(), attempt, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "Database {Database} ready ({Applied} migrations applied now)")]
    private partial void LogReady(string database, int applied);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Database {Database} not reachable (attempt {Attempt}): {Reason}; retrying")]
    private partial void LogRetry(string database, int attempt, string reason);
}

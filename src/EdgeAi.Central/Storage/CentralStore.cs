using Dapper;
using EdgeAi.Central.Configuration;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Storage;

/// <summary>
/// Central's database: incidents, events, evidence, devices, cases and their outbox, in SQLite or PostgreSQL
/// (the <see cref="ISqlDialect"/> is the only difference). Thread-safe; every method opens its own connection.
/// </summary>
internal sealed partial class CentralStore : IAsyncDisposable
{
    static CentralStore() => StoredTextColumns.Register();

    private readonly ILogger _logger;

    public CentralStore(ISqlDialect dialect, ILogger<CentralStore> logger, TimeProvider time)
    {
        Dialect = dialect;
        _logger = logger;
        Time = time;
    }

    public ISqlDialect Dialect { get; }

    public TimeProvider Time { get; }

    public static ISqlDialect CreateDialect(DatabaseSettings settings) => settings.Provider switch
    {
        DatabaseProvider.Postgres => new PostgresDialect(settings.ConnectionString),
        _ => new SqliteDialect(settings.ConnectionString),
    };

    public Task<int> MigrateAsync(CancellationToken ct) => SchemaMigrator.MigrateAsync(Dialect, _logger, ct);

    /// <summary>Opens a write transaction locking the given scenarios for incident correlation.</summary>
    public async Task<IncidentBatch> BeginIncidentBatchAsync(IEnumerable<string> scenarios, CancellationToken ct)
    {
        var scope = await Dialect.BeginWriteAsync(scenarios.Select(s => "scenario:" + s), ct).ConfigureAwait(false);
        return new IncidentBatch(scope, Dialect, ct);
    }

    /// <summary>True when the database answers a trivial query.</summary>
    public async Task<bool> PingAsync(CancellationToken ct)
    {
        await using var c = await Dialect.OpenAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT 1", cancellationToken: ct)).ConfigureAwait(false) == 1;
    }

    public ValueTask DisposeAsync() => Dialect.DisposeAsync();
}

using System.Data.Common;
using EdgeAi.Central.Configuration;
using Microsoft.Data.Sqlite;

namespace EdgeAi.Central.Storage;

/// <summary>
/// SQLite in WAL mode with synchronous=FULL (a committed transaction survives a crash). Writers in this process
/// queue on a semaphore; other processes on the same file are kept out by BEGIN IMMEDIATE and the busy timeout.
/// </summary>
internal sealed class SqliteDialect : ISqlDialect
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);

    public SqliteDialect(string connectionString)
    {
        var b = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = 60 };
        if (b.DataSource is { Length: > 0 } file && file != ":memory:" && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file)) is { } dir)
            Directory.CreateDirectory(dir);
        _connectionString = b.ToString();
        DataSource = b.DataSource;
    }

    public string DataSource { get; }

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string MigrationFolder => "Sqlite";

    public IReadOnlyDictionary<string, string> ColumnTypes { get; } = new Dictionary<string, string> { ["int"] = "INTEGER", ["real"] = "REAL", ["blob"] = "BLOB", ["id"] = "INTEGER PRIMARY KEY AUTOINCREMENT" };

    public string InList(string column, string parameter) => $"{column} IN @{parameter}";

    public string Describe() => $"sqlite {DataSource}";

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=60000;";
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return c;
    }

    public async Task<WriteScope> BeginWriteAsync(IEnumerable<string> locks, CancellationToken ct)
    {
        await _writer.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var c = (SqliteConnection)await OpenAsync(ct).ConfigureAwait(false);
            try
            {
                var tx = c.BeginTransaction(deferred: false);   // BEGIN IMMEDIATE: takes the write lock now
                return new WriteScope(c, tx, () => _writer.Release());
            }
            catch
            {
                await c.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            _writer.Release();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}

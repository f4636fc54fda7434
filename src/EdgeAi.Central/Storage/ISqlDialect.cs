using System.Data.Common;
using EdgeAi.Central.Configuration;

namespace EdgeAi.Central.Storage;

/// <summary>
/// What differs between the SQLite and PostgreSQL stores: connections, write transactions with locks and the
/// migration scripts. The SQL of <see cref="CentralStore"/> itself is shared.
/// </summary>
internal interface ISqlDialect : IAsyncDisposable
{
    DatabaseProvider Provider { get; }

    /// <summary>
    /// Folder of the migration scripts for this database only (Storage/Migrations/{folder}/NNN_name.sql), beside the
    /// shared ones (Storage/Migrations/NNN_name.sql) whose column types are placeholders, see <see cref="ColumnTypes"/>.
    /// </summary>
    string MigrationFolder { get; }

    /// <summary>
    /// The column types the shared migration scripts name in braces: <c>{int}</c> (64-bit integer), <c>{real}</c>
    /// (double), <c>{blob}</c> (bytes) and <c>{id}</c> (a 64-bit key the database numbers).
    /// </summary>
    IReadOnlyDictionary<string, string> ColumnTypes { get; }

    /// <summary>"column matches any element of the list parameter": <c>IN @p</c> (Dapper expands it) or <c>= ANY(@p)</c> (a PostgreSQL array).</summary>
    string InList(string column, string parameter);

    /// <summary>The connection string without secrets, for logs.</summary>
    string Describe();

    /// <summary>An open connection for reads (or single-statement writes).</summary>
    Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>
    /// Begins a write transaction that holds the named locks until it ends. PostgreSQL: transaction-scoped advisory
    /// locks, taken in ordinal order so that two writers never deadlock; SQLite: BEGIN IMMEDIATE (one writer at a time).
    /// </summary>
    Task<WriteScope> BeginWriteAsync(IEnumerable<string> locks, CancellationToken ct);
}

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

    /// <summary>Folder of the embedded migration scripts (Storage/Migrations/{folder}/NNN_name.sql).</summary>
    string MigrationFolder { get; }

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

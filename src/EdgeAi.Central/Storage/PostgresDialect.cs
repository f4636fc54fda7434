using System.Data.Common;
using EdgeAi.Central.Configuration;
using Npgsql;

namespace EdgeAi.Central.Storage;

/// <summary>PostgreSQL through a pooled <see cref="NpgsqlDataSource"/>; write locks are transaction-scoped advisory locks.</summary>
internal sealed class PostgresDialect : ISqlDialect
{
    private readonly NpgsqlDataSource _source;
    private readonly string _describe;

    public PostgresDialect(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(ToKeyValue(connectionString));
        _describe = $"postgresql {b.Username}@{b.Host}:{b.Port}/{b.Database}";
        _source = NpgsqlDataSource.Create(b.ConnectionString);
    }

    public DatabaseProvider Provider => DatabaseProvider.Postgres;

    public string MigrationFolder => "Postgres";

    public string InList(string column, string parameter) => $"{column} = ANY(@{parameter})";

    public string Describe() => _describe;

    public async Task<DbConnection> OpenAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct).ConfigureAwait(false);

    public async Task<WriteScope> BeginWriteAsync(IEnumerable<string> locks, CancellationToken ct)
    {
        var c = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        try
        {
            var tx = await c.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct).ConfigureAwait(false);
            foreach (var key in locks.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                await using var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", c, tx);
                cmd.Parameters.AddWithValue("k", "edgeai:" + key);
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            return new WriteScope(c, tx, null);
        }
        catch
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Accepts postgres://user:pass@host:port/db URLs as well as key=value connection strings.</summary>
    private static string ToKeyValue(string s)
    {
        if (!s.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) || !Uri.TryCreate(s, UriKind.Absolute, out var u)) return s;
        var b = new NpgsqlConnectionStringBuilder { Host = u.Host, Port = u.IsDefaultPort || u.Port < 0 ? 5432 : u.Port, Database = u.AbsolutePath.Trim('/') };
        if (u.UserInfo.Split(':', 2) is [var user, ..] && user.Length > 0) b.Username = Uri.UnescapeDataString(user);
        if (u.UserInfo.Split(':', 2) is [_, var pass]) b.Password = Uri.UnescapeDataString(pass);
        return b.ConnectionString;
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}

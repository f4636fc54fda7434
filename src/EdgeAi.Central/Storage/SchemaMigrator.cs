using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Storage;

/// <summary>
/// Applies the embedded, versioned SQL scripts (NNN_name.sql) not yet recorded in schema_migrations, in order,
/// in one transaction under the "migrations" lock, so that two instances starting together migrate once.
/// </summary>
internal static partial class SchemaMigrator
{
    public static async Task<int> MigrateAsync(ISqlDialect dialect, ILogger logger, CancellationToken ct)
    {
        var scripts = Scripts(dialect);
        await using var w = await dialect.BeginWriteAsync(["migrations"], ct).ConfigureAwait(false);
        await w.Connection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            transaction: w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
        var applied = (await w.Connection.QueryAsync<long>(new CommandDefinition(
            "SELECT version FROM schema_migrations", transaction: w.Transaction, cancellationToken: ct)).ConfigureAwait(false)).ToHashSet();
        var count = 0;
        foreach (var (version, name, sql) in scripts)
        {
            if (applied.Contains(version)) continue;
            await w.Connection.ExecuteAsync(new CommandDefinition(sql, transaction: w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
            await w.Connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version, name, at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, w.Transaction, cancellationToken: ct)).ConfigureAwait(false);
            LogApplied(logger, version, name, dialect.Describe());
            count++;
        }
        await w.CommitAsync(ct).ConfigureAwait(false);
        return count;
    }

    /// <summary>
    /// (version, name, sql) of every embedded script for the dialect, by version: the shared scripts
    /// (Storage/Migrations/NNN_name.sql) with their column-type placeholders filled in by the dialect, and the
    /// dialect's own (Storage/Migrations/{folder}/NNN_name.sql) as they are. A version may appear once only.
    /// </summary>
    public static IReadOnlyList<(long Version, string Name, string Sql)> Scripts(ISqlDialect dialect)
    {
        var asm = typeof(SchemaMigrator).Assembly;
        var own = $"migrations/{dialect.MigrationFolder}/";
        var list = new List<(long Version, string Name, string Sql)>();
        foreach (var res in asm.GetManifestResourceNames())
        {
            if (!res.StartsWith("migrations/", StringComparison.Ordinal) || !res.EndsWith(".sql", StringComparison.Ordinal)) continue;
            var shared = res.IndexOf('/', "migrations/".Length) < 0;
            if (!shared && !res.StartsWith(own, StringComparison.Ordinal)) continue;   // another database's own script
            var name = res[(shared ? "migrations/".Length : own.Length)..^4];
            var digits = name.Split('_', 2)[0];
            if (!long.TryParse(digits, out var version)) throw new InvalidOperationException($"migration {res}: name must start with a version number");
            if (list.Any(s => s.Version == version)) throw new InvalidOperationException($"migration {res}: version {version} is there twice");
            using var s = asm.GetManifestResourceStream(res)!;
            using var r = new StreamReader(s);
            var sql = r.ReadToEnd();
            list.Add((version, name, shared ? FillColumnTypes(res, sql, dialect.ColumnTypes) : sql));
        }
        if (list.Count == 0) throw new InvalidOperationException($"no migration scripts embedded under migrations/ (resources: {string.Join(", ", asm.GetManifestResourceNames())})");
        return [.. list.OrderBy(x => x.Version)];
    }

    private static string FillColumnTypes(string script, string sql, IReadOnlyDictionary<string, string> types) =>
        ColumnType().Replace(sql, m => types.TryGetValue(m.Groups[1].Value, out var type)
            ? type
            : throw new InvalidOperationException($"migration {script}: unknown column type {m.Value} (known: {string.Join(", ", types.Keys.Select(k => $"{{{k}}}"))})"));

    [GeneratedRegex(@"\{([a-z]+)\}")]
    private static partial Regex ColumnType();

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Applied migration {Version} {Name} to {Database}")]
    private static partial void LogApplied(ILogger logger, long version, string name, string database);
}

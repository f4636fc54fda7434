using System.Reflection;
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
        var scripts = Scripts(dialect.MigrationFolder);
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

    /// <summary>(version, name, sql) of every embedded script of the folder, by version.</summary>
    public static IReadOnlyList<(long Version, string Name, string Sql)> Scripts(string folder)
    {
        var asm = typeof(SchemaMigrator).Assembly;
        var prefix = $"migrations/{folder}/";
        var list = new List<(long, string, string)>();
        foreach (var res in asm.GetManifestResourceNames())
        {
            if (!res.StartsWith(prefix, StringComparison.Ordinal) || !res.EndsWith(".sql", StringComparison.Ordinal)) continue;
            var name = res[prefix.Length..^4];
            var digits = name.Split('_', 2)[0];
            if (!long.TryParse(digits, out var version)) throw new InvalidOperationException($"migration {res}: name must start with a version number");
            using var s = asm.GetManifestResourceStream(res)!;
            using var r = new StreamReader(s);
            list.Add((version, name, r.ReadToEnd()));
        }
        if (list.Count == 0) throw new InvalidOperationException($"no migration scripts embedded under {prefix} (resources: {string.Join(", ", asm.GetManifestResourceNames())})");
        return list.OrderBy(x => x.Item1).ToList();
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Applied migration {Version} {Name} to {Database}")]
    private static partial void LogApplied(ILogger logger, long version, string name, string database);
}

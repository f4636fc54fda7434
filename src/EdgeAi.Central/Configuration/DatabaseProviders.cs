namespace EdgeAi.Central.Configuration;

internal static class DatabaseProviders
{
    /// <summary>PostgreSQL when the connection string names a host or is a postgres URL; SQLite otherwise.</summary>
    public static DatabaseProvider Detect(string connectionString)
    {
        var s = connectionString.TrimStart();
        if (s.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return DatabaseProvider.Postgres;
        foreach (var part in s.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var key = part.Split('=', 2)[0].Trim();
            if (key.Equals("Host", StringComparison.OrdinalIgnoreCase) || key.Equals("Server", StringComparison.OrdinalIgnoreCase))
                return DatabaseProvider.Postgres;
        }
        return DatabaseProvider.Sqlite;
    }
}

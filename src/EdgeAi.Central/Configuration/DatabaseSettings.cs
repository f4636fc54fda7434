namespace EdgeAi.Central.Configuration;

/// <summary>
/// Case store (key <c>database</c>). A connection string with <c>Host=</c> (or a postgres:// URL) selects PostgreSQL;
/// anything else is a SQLite <c>Data Source=</c>. EDGEAI_CENTRAL_DATABASE overrides the file's value (for passwords).
/// </summary>
internal sealed record DatabaseSettings
{
    public required string ConnectionString { get; init; }

    public DatabaseProvider Provider => DatabaseProviders.Detect(ConnectionString);
}

using EdgeAi.Testing;

namespace EdgeAi.Central.Tests.Storage;

/// <summary>One PostgreSQL server for a test class; each test makes its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private int _next;

    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartNewAsync();

    public string NewDatabase() => Server.CreateDatabase($"central_{Interlocked.Increment(ref _next)}");

    public async Task DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await Server.DisposeAsync();
    }
}

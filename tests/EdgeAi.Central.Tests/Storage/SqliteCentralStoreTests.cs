using EdgeAi.Testing;

namespace EdgeAi.Central.Tests.Storage;

public sealed class SqliteCentralStoreTests : CentralStoreContractTests
{
    private readonly string _dir = TestPaths.NewTempDir("sqlite");

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult($"Data Source={Path.Combine(_dir, "central.db")}");

    protected override Task DropAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        return Task.CompletedTask;
    }
}

namespace EdgeAi.Central.Tests.Storage;

public sealed class PostgresCentralStoreTests(PostgresFixture postgres) : CentralStoreContractTests, IClassFixture<PostgresFixture>
{
    protected override Task<string> CreateDatabaseAsync() => Task.FromResult(postgres.NewDatabase());
}

namespace EdgeAi.Central.Configuration;

internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

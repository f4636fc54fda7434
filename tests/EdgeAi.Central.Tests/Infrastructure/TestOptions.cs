using EdgeAi.Central.Configuration;

namespace EdgeAi.Central.Tests.Infrastructure;

internal static class TestOptions
{
    /// <summary>Options for components tested without the whole service (no broker or platform behind them).</summary>
    public static CentralOptions For(string connectionString) => new()
    {
        Mqtt = new MqttSettings(),
        Database = new DatabaseSettings { ConnectionString = connectionString },
        Api = new ApiSettings { Token = "test-token-test-token" },
        Platform = new PlatformSettings { Url = new Uri("http://127.0.0.1:9/"), Secret = "s" },
    };
}

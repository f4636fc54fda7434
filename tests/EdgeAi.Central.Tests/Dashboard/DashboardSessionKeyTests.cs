using EdgeAi.Central.Api;
using EdgeAi.Central.Configuration;

namespace EdgeAi.Central.Tests.Dashboard;

public sealed class DashboardSessionKeyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static DashboardSessionKey Key(string token) => new(new CentralOptions
    {
        Mqtt = new MqttSettings(), Database = new DatabaseSettings { ConnectionString = "Data Source=:memory:" }, Platform = new PlatformSettings { Url = new Uri("http://127.0.0.1:9/") },
        Api = new ApiSettings { Token = token },
    });

    [Fact]
    public void Verify_IssuedSession_ValidUntilLifetimeEnds()
    {
        var key = Key("tok-0123456789abcdef");
        var session = key.Issue(Now);

        Assert.True(key.Verify(session, Now.AddHours(11)));
        Assert.False(key.Verify(session, Now + DashboardSessionKey.Lifetime));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("9999999999.")]
    [InlineData("9999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Verify_ForgedValue_Refused(string value) => Assert.False(Key("tok-0123456789abcdef").Verify(value, Now));

    [Fact]
    public void Verify_ExpiryEditedOrTokenRotated_Refused()
    {
        var key = Key("tok-0123456789abcdef");
        var session = key.Issue(Now);
        var signature = session[(session.IndexOf('.') + 1)..];

        Assert.False(key.Verify($"{Now.AddYears(1).ToUnixTimeSeconds()}.{signature}", Now));
        Assert.False(Key("tok-rotated-0123456789").Verify(session, Now));
    }

    [Fact]
    public void IsToken_ComparesTheConfiguredToken()
    {
        var key = Key("tok-0123456789abcdef");

        Assert.True(key.IsToken("tok-0123456789abcdef"));
        Assert.False(key.IsToken("tok-0123456789abcdeF"));
        Assert.False(key.IsToken(null));
    }

    [Fact]
    public void Verify_UserSession_CarriesTheUserAndEndsWhenTheirTokenChanges()
    {
        CentralOptions Options(string aliceToken) => new()
        {
            Mqtt = new MqttSettings(), Database = new DatabaseSettings { ConnectionString = "Data Source=:memory:" }, Platform = new PlatformSettings { Url = new Uri("http://127.0.0.1:9/") },
            Api = new ApiSettings { Token = "tok-0123456789abcdef" },
            Access = new AccessSettings { Users = [new ApiUser("alice", aliceToken, [AccessSettings.Permissions.EvidenceUnblurred], [])] },
        };
        var key = new DashboardSessionKey(Options("alice-0123456789abcdef"));
        Assert.Equal("alice", key.Principal("alice-0123456789abcdef"));
        Assert.Equal("dashboard", key.Principal("tok-0123456789abcdef"));
        Assert.Null(key.Principal("nobody-0123456789abcdef"));

        var session = key.Issue(Now, "alice");
        Assert.True(key.Verify(session, Now.AddHours(1), out var principal));
        Assert.Equal("alice", principal);
        Assert.False(key.Verify(session.Replace("~alice.", "~mallory.", StringComparison.Ordinal), Now, out _));   // another name: signature fails
        Assert.False(key.Verify(session[..session.IndexOf('~')] + session[session.LastIndexOf('.')..], Now, out _));   // name stripped: API token's session refused
        Assert.False(new DashboardSessionKey(Options("alice-rotated-0123456789")).Verify(session, Now, out _));
    }
}

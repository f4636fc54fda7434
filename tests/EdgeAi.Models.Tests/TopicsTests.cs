namespace EdgeAi.Models.Tests;

public sealed class TopicsTests
{
    [Theory]
    [InlineData("edgeai/v1/edge-01/events", "edge-01", "events", null)]
    [InlineData("edgeai/v1/edge-01/evidence/abc", "edge-01", "evidence", "abc")]
    public void TryParse_ValidTopic_SplitsDeviceKindRest(string topic, string device, string kind, string? rest)
    {
        Assert.True(Topics.TryParse(topic, out var d, out var k, out var r));
        Assert.Equal((device, kind, rest), (d, k, r));
    }

    [Theory]
    [InlineData("edgeai/v2/edge-01/events")]
    [InlineData("edgeai/v1//events")]
    [InlineData("edgeai/v1/edge-01")]
    public void TryParse_ForeignTopic_False(string topic) => Assert.False(Topics.TryParse(topic, out _, out _, out _));

    [Fact]
    public void Builders_RoundTripThroughTryParse()
    {
        Assert.True(Topics.TryParse(Topics.Evidence("d1", "e1"), out var d, out var k, out var r));
        Assert.Equal(("d1", "evidence", "e1"), (d, k, r));
    }
}

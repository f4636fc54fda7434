using EdgeAi.Worker.Detection;
using EdgeAi.Worker.Scenarios;

namespace EdgeAi.Worker.Tests.Scenarios;

public sealed class ZoneTests
{
    // An L-shaped (concave) zone: the notch (0.5..1, 0..0.5) is outside.
    private static readonly Zone L = new(new ZoneConfig
    {
        Id = "l", Type = ZoneTypes.Plaza, Polygon = [[0, 0], [0.5, 0], [0.5, 0.5], [1, 0.5], [1, 1], [0, 1]],
    }, 0);

    [Theory]
    [InlineData(0.25f, 0.25f, true)]
    [InlineData(0.75f, 0.25f, false)]   // in the notch
    [InlineData(0.75f, 0.75f, true)]
    [InlineData(0.49f, 0.1f, true)]
    [InlineData(0.51f, 0.1f, false)]
    public void Contains_ConcavePolygon(float x, float y, bool expected) => Assert.Equal(expected, L.Contains(x, y));

    [Fact]
    public void Contains_Box_UsesBottomCentre()
    {
        // Head in the notch, feet in the zone: inside. Feet in the notch, head in the zone: outside.
        Assert.True(L.Contains(new BoxF(0.7f, 0.3f, 0.8f, 0.6f)));
        Assert.False(L.Contains(new BoxF(0.7f, 0.0f, 0.8f, 0.4f)));
    }

    [Fact]
    public void Contains_ObjectTouchingFrameBorder_BelongsToZoneDrawnToBorder()
    {
        Assert.True(L.Contains(new BoxF(0.4f, 0.8f, 0.6f, 1.0f)));
        Assert.True(L.Contains(0f, 0.5f));
        Assert.True(L.Contains(1f, 1f));
    }

    [Fact]
    public void Info_CarriesIdTypeNameArea()
    {
        var zone = new Zone(new ZoneConfig { Id = "p", Type = ZoneTypes.Plaza, Name = "North plaza", AreaM2 = 420, Polygon = [[0, 0], [1, 0], [1, 1]] }, 3);

        Assert.Equal(new EdgeAi.Models.Events.ZoneInfo("p", "plaza", "North plaza", 420), zone.Info);
        Assert.Equal(3, zone.Index);
    }
}

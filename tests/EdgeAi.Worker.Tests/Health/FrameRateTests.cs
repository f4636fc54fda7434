using EdgeAi.Worker.Health;

namespace EdgeAi.Worker.Tests.Health;

public sealed class FrameRateTests
{
    private long _now = 1000;

    [Fact]
    public void PerSecond_OneFrameEveryTwoSeconds_IsHalfAFramePerSecond()
    {
        var rate = new FrameRate(() => _now);
        for (var i = 0; i < 40; i++)
        {
            if (i % 2 == 0) rate.Tick();
            _now++;
        }
        Assert.Equal(0.5, rate.PerSecond(), precision: 2);
    }

    [Fact]
    public void PerSecond_BeforeAWholeWindow_UsesTheSecondsSoFar_AndLeavesOutTheRunningSecond()
    {
        var rate = new FrameRate(() => _now);
        for (var i = 0; i < 4; i++)
        {
            for (var f = 0; f < 25; f++) rate.Tick();
            _now++;
        }
        rate.Tick();   // the running second: not complete, not counted
        Assert.Equal(25, rate.PerSecond(), precision: 3);
    }

    [Fact]
    public void PerSecond_StreamStops_FallsToZeroAfterTheWindow()
    {
        var rate = new FrameRate(() => _now);
        for (var i = 0; i < 30; i++) { rate.Tick(); _now++; }
        Assert.Equal(1, rate.PerSecond(), precision: 3);

        _now += FrameRate.WindowSeconds / 2;
        Assert.Equal(0.5, rate.PerSecond(), precision: 2);
        _now += FrameRate.WindowSeconds;
        Assert.Equal(0, rate.PerSecond());
    }
}

using EdgeAi.Models.Devices;
using EdgeAi.Worker.Quality;
using Microsoft.Extensions.Time.Testing;

namespace EdgeAi.Worker.Tests.Quality;

public sealed class QualityBoardTests
{
    [Fact]
    public void Get_ReportOlderThanMaxAge_NotShown()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));
        var board = new QualityBoard(clock);
        board.Set("cam-1", new QualityReport([QualityFlagNames.Frozen], new CameraQuality(100, 30, 500, 0, 70, 0, 1), clock.GetUtcNow()));

        clock.Advance(QualityBoard.MaxAge);
        Assert.Equal([QualityFlagNames.Frozen], board.Get("cam-1")!.Flags);

        clock.Advance(TimeSpan.FromSeconds(1));   // the stream stopped: the last picture's diagnosis is no longer current
        Assert.Null(board.Get("cam-1"));
        Assert.Null(board.Get("cam-2"));
    }
}

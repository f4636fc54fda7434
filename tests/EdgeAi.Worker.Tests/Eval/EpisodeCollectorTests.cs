using EdgeAi.Models.Events;
using EdgeAi.Worker.Eval;

namespace EdgeAi.Worker.Tests.Eval;

public sealed class EpisodeCollectorTests
{
    private static readonly DateTimeOffset Clock = new(2026, 4, 1, 10, 0, 0, TimeSpan.FromHours(8));

    private static EdgeEvent Event(EventType type, Guid episode, DateTimeOffset time, string scenario = "litter", string zone = "sidewalk") => new()
    {
        SchemaVersion = "1.0",
        EventId = Guid.CreateVersion7(time),
        EpisodeId = episode,
        Type = type,
        Sequence = 0,
        DeviceId = "eval",
        Camera = new CameraInfo("c", "c", 0, 0, null),
        Scenario = scenario,
        Zone = new ZoneInfo(zone, "street", null, null),
        Rule = new RuleEvaluation("r", new Dictionary<string, double>(), new Dictionary<string, double>()),
        Objects = [],
        Frame = new FrameInfo(time, 960, 540),
        DetectionTime = time,
        Model = new ModelInfo("m", "1", "00"),
    };

    [Fact]
    public async Task EmitAsync_EpisodesOnTheClipTimeAxis_EndedAtDrainLastsToTheClipEnd()
    {
        var collector = new EpisodeCollector(Clock, 60);
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        await collector.EmitAsync(Event(EventType.Started, a, Clock.AddSeconds(12)), [], default);
        await collector.EmitAsync(Event(EventType.Updated, a, Clock.AddSeconds(20)), [], default);
        await collector.EmitAsync(Event(EventType.Ended, a, Clock.AddSeconds(31)), [], default);
        await collector.EmitAsync(Event(EventType.Started, b, Clock.AddSeconds(40), "crowding", "plaza"), [], default);
        await collector.EmitAsync(Event(EventType.Ended, b, DateTimeOffset.UtcNow.AddYears(1), "crowding", "plaza"), [], default);   // drain: wall clock
        await collector.EmitAsync(Event(EventType.Started, c, Clock.AddSeconds(55)), [], default);

        Assert.Equal(6, collector.Events);
        Assert.Equal(
            [new DetectedEpisode("litter", "sidewalk", 12, 31), new DetectedEpisode("crowding", "plaza", 40, 60, true), new DetectedEpisode("litter", "sidewalk", 55, 60, true)],
            collector.Episodes());
    }
}
